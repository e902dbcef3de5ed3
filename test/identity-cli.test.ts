/**
 * Identity through the real CLI on the bundled 2026-W17 replay: raw names are
 * stored with their id and rule, a reviewer's split is kept and applied by the
 * next refresh, `models` lists what is known, and `--model` takes any name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { createPgDatabase } from './helpers/db.js';

const MINI = 'openai/gpt-image-1-mini';
const AZURE = 'openai/gpt-image-1-mini-azure';

interface NameJson {
  sourceId: string;
  name: string;
  modelId: string | null;
  rule: string | null;
  count: number;
  decision: { decision: string; modelId: string; ruleModelId: string | null } | null;
}
interface FactJson {
  modelId: string;
  qualifiers: Record<string, string>;
  candidates: { provenance: { sourceId: string; excerpt: string } }[];
}

describe('aliases, models and --model by any name', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let env: Record<string, string>;
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await runCli([...args, '--json'], env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  beforeAll(async () => {
    db = await createPgDatabase();
    env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const run = await runCli(['refresh', '--replay', 'fixtures/replay/2026-W17'], env, 300_000);
    expect(run.code, run.stderr).toBe(0);
  }, 400_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('stores every raw name with the id it resolved to and the rule that did it', async () => {
    const names = await json<NameJson[]>(['aliases', '--model', 'GPT-Image-1-Mini']);
    const azure = names.find((n) => n.name === 'azure/gpt-image-1-mini');
    expect(azure).toMatchObject({ sourceId: 'litellm', modelId: MINI, rule: 'family:openai + provider-prefix:azure', decision: null });
    expect(new Set(names.map((n) => n.modelId))).toEqual(new Set([MINI]));
    expect(new Set(names.map((n) => n.sourceId)).size).toBeGreaterThan(3);
    const litellm = await json<NameJson[]>(['aliases', '--source', 'litellm']);
    expect(litellm.every((n) => n.sourceId === 'litellm')).toBe(true);
  });

  it('--model takes any name; an unknown one exits 2 with the nearest ids', async () => {
    const byBare = await json<FactJson[]>(['facts', '--model', 'gpt-image-1-mini']);
    const byId = await json<FactJson[]>(['facts', '--model', MINI]);
    expect(byBare.length).toBeGreaterThan(0);
    expect(byBare).toEqual(byId);
    const typo = await runCli(['facts', '--model', 'gpt-imag-1-mini'], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown model "gpt-imag-1-mini".*did you mean openai\/gpt-image-1-mini/);
    const conflicts = await runCli(['conflicts', '--model', 'no-such-model-at-all', '--format', 'json'], env);
    expect(conflicts.code).toBe(2);
  });

  it('models lists a model with its aliases, routes and sources; filters by search and creator', async () => {
    const models = await json<{ modelId: string; aliases: string[]; routes: string[]; sources: string[] }[]>(['models', '--search', 'IMAGE-1-mini']);
    const mini = models.find((m) => m.modelId === MINI);
    expect(mini?.aliases).toEqual(expect.arrayContaining(['azure/gpt-image-1-mini', 'gpt-image-1-mini', 'openai/gpt-image-1-mini']));
    expect(mini?.routes).toEqual(expect.arrayContaining(['azure', 'openai']));
    expect(mini?.sources).toEqual(expect.arrayContaining(['litellm', 'models-dev', 'openai-docs']));
    const openai = await json<{ modelId: string }[]>(['models', '--creator', 'OpenAI']);
    expect(openai.length).toBeGreaterThan(1);
    expect(openai.every((m) => m.modelId.startsWith('openai/'))).toBe(true);
  });

  it('aliases split, then a refresh: the two models are separate from then on, and the decision shows', async () => {
    const bad = await runCli(['aliases', 'split', 'azure/gpt-image-1-mini', '--to', MINI], env);
    expect(bad.code).toBe(2);
    expect((await runCli(['aliases', 'split', 'never-seen-name', '--to', AZURE], env)).code).toBe(2);
    const split = await runCli(['aliases', 'split', 'azure/gpt-image-1-mini', '--to', AZURE], env);
    expect(split.code, split.stderr).toBe(0);
    const again = await runCli(['refresh', '--replay', 'fixtures/replay/2026-W17'], env, 300_000);
    expect(again.code, again.stderr).toBe(0);

    const azure = await json<FactJson[]>(['facts', '--model', AZURE]);
    expect(azure.length).toBeGreaterThan(0);
    expect(azure.every((f) => f.qualifiers.route === undefined || f.qualifiers.route === 'azure')).toBe(true);
    const mini = await json<FactJson[]>(['facts', '--model', MINI]);
    expect(mini.some((f) => f.qualifiers.route === 'azure' && f.candidates.some((c) => c.provenance.sourceId === 'litellm'))).toBe(false);
    expect(mini.length).toBeGreaterThan(0);

    const names = await json<NameJson[]>(['aliases', '--model', AZURE]);
    expect(names).toEqual([
      {
        sourceId: 'litellm',
        name: 'azure/gpt-image-1-mini',
        modelId: AZURE,
        rule: 'alias',
        count: expect.any(Number),
        decision: { decision: 'split', modelId: AZURE, ruleModelId: MINI, decidedAt: expect.any(String) },
      },
    ]);
    // the decision is kept: a later refresh still keeps them apart
    const third = await runCli(['refresh', '--replay', 'fixtures/replay/2026-W17'], env, 300_000);
    expect(third.code).toBe(0);
    expect((await json<NameJson[]>(['aliases', '--model', AZURE]))[0]?.modelId).toBe(AZURE);
  }, 600_000);

  it('confirm and map record decisions; unmatched lists a reason', async () => {
    expect((await runCli(['aliases', 'confirm', 'gpt-image-1-mini'], env)).code).toBe(0);
    expect((await runCli(['aliases', 'map', 'gpt-image-1-mini', '--to', 'Not An Id'], env)).code).toBe(2);
    expect((await runCli(['aliases', 'map', 'gpt-image-1-mini'], env)).code).toBe(2);
    const names = await json<NameJson[]>(['aliases', '--model', MINI]);
    expect(names.find((n) => n.name === 'gpt-image-1-mini')?.decision).toMatchObject({ decision: 'confirm', modelId: MINI });
    const unmatched = await json<{ name: string; reason: string | null }[]>(['unmatched']);
    expect(unmatched.every((u) => ['unknown-family', 'unknown-creator', 'ambiguous'].includes(u.reason ?? ''))).toBe(true);
  });
});
