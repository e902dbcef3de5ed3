/**
 * Weekly history: as-of queries, diffs, re-extraction, the one-run-at-a-time
 * lock, the scheduler, and a refresh killed outright.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefresh } from '../cli/run-commands.js';
import { diffWeeks, pageDiff } from '../pipelines/report/diff.js';
import { reextractWeek } from '../pipelines/run/reextract.js';
import { LockHeldError } from '../pipelines/store/lock.js';
import { listRuns, queryFacts } from '../pipelines/store/queries.js';
import { SOURCES } from '../extractors/registry.js';
import { freshDb, type TestDb } from './helpers/db.js';
import { runCli } from './helpers/cli.js';

const W16 = 'fixtures/replay/2026-W16';
const W17 = 'fixtures/replay/2026-W17';

async function vercelOutput(t: TestDb, asOf: string) {
  const facts = await queryFacts(t.database.db, { model: 'openai/gpt-image-1', attribute: 'price', asOf });
  const f = facts.find((x) => x.qualifiers.route === 'vercel' && x.qualifiers.direction === 'output' && x.qualifiers.unit === 'per_1m_tokens');
  return f?.chosen?.kind === 'money' ? f.chosen.usd : undefined;
}

describe('history over the bundled weeks (Postgres)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb('postgres');
    await runRefresh(t.database, { replay: W16, events: {} });
    await runRefresh(t.database, { replay: W17, events: {} });
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('as-of queries return what was known that week', async () => {
    expect(await vercelOutput(t, '2026-W16')).toBe('40');
    expect(await vercelOutput(t, '2026-W17')).toBe('32');
    expect(await vercelOutput(t, '2026-W20')).toBe('32');
    expect(await queryFacts(t.database.db, { asOf: '2026-W15' })).toEqual([]);
  });

  it('diff shows the planted changes, with sources', async () => {
    const d = await diffWeeks(t.database.db, '2026-W16', '2026-W17');
    const price = d.changed.find(
      (c) => c.modelId === 'openai/gpt-image-1' && c.attribute === 'price' && c.qualifiers.route === 'vercel' && c.qualifiers.direction === 'output',
    );
    expect(price?.before?.value).toEqual({ kind: 'money', usd: '40' });
    expect(price?.after?.value).toEqual({ kind: 'money', usd: '32' });
    expect(price?.candidates.map((c) => c.sourceId)).toEqual(expect.arrayContaining(['llmreference-model', 'llmreference-route', 'vercel-gateway-page']));
    const date = d.changed.find((c) => c.modelId === 'openai/gpt-image-1' && c.attribute === 'release_date');
    expect(date?.candidates).toEqual([
      expect.objectContaining({
        sourceId: 'llm-stats',
        before: { kind: 'date', date: '2025-03', precision: 'month' },
        after: { kind: 'date', date: '2025-04-23', precision: 'day' },
      }),
    ]);
    // exactly the planted changes (fixtures/replay/CHANGES.md), as (source, model, attribute)
    const touched = new Set(
      [...d.added, ...d.removed, ...d.changed].flatMap((c) => c.candidates.map((x) => `${x.sourceId} ${c.modelId} ${c.attribute}`)),
    );
    expect([...touched].sort()).toEqual(
      [
        ...['vercel-gateway-page', 'llmreference-model', 'llmreference-route'].map((s) => `${s} openai/gpt-image-1 price`),
        ...['context_window', 'family', 'max_output_tokens', 'organization', 'price', 'release_date'].map(
          (a) => `anttisahla google/imagen-4-fast ${a}`,
        ),
        'llm-stats openai/gpt-image-1 release_date',
        ...['context_window', 'max_output_tokens', 'price', 'provider_model_id', 'release_date'].map(
          (a) => `vercel-gateway-api openai/gpt-image-1.5 ${a}`,
        ),
        'anttisahla openai/gpt-image-1.5 price',
        'llmreference-model openai/gpt-image-1.5 price',
        'litellm openai/gpt-image-1-mini price',
        ...[
          'context_window',
          'family',
          'input_modalities',
          'max_output_tokens',
          'openness',
          'output_modalities',
          'price',
          'provider_model_id',
          'release_date',
        ].map((a) => `models-dev openai/gpt-image-1-mini ${a}`),
      ].sort(),
    );
    const imagen = d.changed.filter((c) => c.modelId === 'google/imagen-4-fast');
    expect(imagen.length).toBeGreaterThan(0);
    expect(imagen.every((c) => c.candidates.every((x) => x.sourceId === 'anttisahla' && x.before === undefined))).toBe(true);
    expect(d.removed).toEqual([]);
  });

  it("diff --page shows a unified diff of a page's text", async () => {
    const patch = await pageDiff(t.database.db, 'https://llmreference.com/model/gpt-image-1/vercel-ai-gateway', '2026-W16', '2026-W17');
    expect(patch).toMatch(/^-.*\$40\.00/m);
    expect(patch).toMatch(/^\+.*\$32\.00/m);
  });

  it('re-extracting a past week from archived pages changes nothing when extractors did not change', async () => {
    const before = await queryFacts(t.database.db, { asOf: '2026-W16' });
    const r = await reextractWeek(t.database, '2026-W16', SOURCES);
    expect(r.status).toBe('ok');
    expect(r.counts.claimsAdded).toBe(0);
    expect(r.counts.factsChanged).toBe(0);
    const after = await queryFacts(t.database.db, { asOf: '2026-W16' });
    expect(after.map((f) => [f.factKey, f.chosen])).toEqual(before.map((f) => [f.factKey, f.chosen]));
    expect((await listRuns(t.database.db, 1))[0]?.mode).toBe('reextract');
  });

  it('a refresh that finds every page as last time re-extracts nothing; an older week replayed again keeps its own values', async () => {
    const again = await runRefresh(t.database, { replay: W17, events: {} });
    expect(again.status).toBe('ok');
    expect(Object.values(again.sourceStatus).every((s) => s.unchanged)).toBe(true);
    expect(again.counts.claimsAdded + again.counts.claimsClosed + again.counts.factsChanged).toBe(0);
    expect(await vercelOutput(t, '2026-W17')).toBe('32');
    // the W16 pages published as W18: the same bytes as the last good run, but W17 changed claims in between,
    // so they are extracted again and W18 gets W16's values
    const w18 = await runRefresh(t.database, { replay: W16, week: '2026-W18', events: {} });
    expect(w18.sourceStatus['llmreference-route']?.unchanged).toBeUndefined();
    expect(await vercelOutput(t, '2026-W18')).toBe('40');
    expect(await vercelOutput(t, '2026-W17')).toBe('32');
    expect(await vercelOutput(t, '2026-W16')).toBe('40');
  });

  it('a week published after a later one changes nothing from that later week on', async () => {
    // W20 repeats W18's pages: no claim changes, so W20 adds no claim row at all
    const w20 = await runRefresh(t.database, { replay: W16, week: '2026-W20', events: {} });
    expect(w20.counts.claimsAdded + w20.counts.claimsClosed).toBe(0);
    // W19, published late, says $32; W20 had said $40, and still does
    const w19 = await runRefresh(t.database, { replay: W17, week: '2026-W19', events: {} });
    expect(w19.status).toBe('ok');
    expect(await vercelOutput(t, '2026-W18')).toBe('40');
    expect(await vercelOutput(t, '2026-W19')).toBe('32');
    expect(await vercelOutput(t, '2026-W20')).toBe('40');
    expect(await vercelOutput(t, '2026-W30')).toBe('40');
    const factsAt = async (asOf: string) =>
      (await queryFacts(t.database.db, { asOf })).map((f) => [f.factKey, f.chosen, f.status]);
    expect(await factsAt('2026-W20')).toEqual(await factsAt('2026-W18'));
    expect(await factsAt('2026-W19')).toEqual(await factsAt('2026-W17'));
  });

  it('a second refresh while one holds the lock reports the lock', async () => {
    const release = await t.database.lock();
    try {
      await expect(runRefresh(t.database, { replay: W17, events: {} })).rejects.toThrow(LockHeldError);
      const cli = await runCli(['refresh', '--replay', W17], { DATABASE_URL: t.url });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/another modelfacts refresh is running/);
    } finally {
      await release();
    }
  });
});

function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), ...args], {
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code, signal) => ok(code ?? (signal ? -1 : null))));
  const waitFor = async (re: RegExp, ms: number) => {
    const end = Date.now() + ms;
    while (!re.test(stderr)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} in:\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, stderr: () => stderr };
}

describe('scheduler and killed runs (Postgres)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb('postgres');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('runs a replay refresh on a short cron expression and stops cleanly on SIGTERM', async () => {
    const p = spawnCli(['schedule', '--cron', '*/2 * * * * *', '--replay', W16, '--source', 'openai-docs', 'anttisahla'], {
      DATABASE_URL: t.url!,
    });
    await p.waitFor(/schedule\.run\.finished/, 120_000);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toMatch(/schedule\.stopped/);
    const runs = await listRuns(t.database.db);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.status === 'ok' && r.week === '2026-W16')).toBe(true);
  }, 180_000);

  it('a refresh killed with SIGKILL leaves no partial week, and the next run completes', async () => {
    const before = await listRuns(t.database.db);
    const factsBefore = await queryFacts(t.database.db, { asOf: '2026-W17' });
    const p = spawnCli(['refresh', '--replay', W17], { DATABASE_URL: t.url! });
    // all sources done = the publish transaction is starting
    await p.waitFor(new RegExp(`(source\\.done[\\s\\S]*){${SOURCES.length}}`), 120_000);
    p.child.kill('SIGKILL');
    await p.exited;
    const after = await listRuns(t.database.db);
    const factsAfter = await queryFacts(t.database.db, { asOf: '2026-W17' });
    if (after.length === before.length) {
      expect(factsAfter).toEqual(factsBefore); // killed inside the transaction: nothing of it stayed
    } else {
      expect(after[0]!.status).not.toBe('running'); // it had committed: the run is whole
    }
    const next = await runCli(['refresh', '--replay', W17], { DATABASE_URL: t.url! }, 300_000);
    expect(next.code, next.stderr).toBe(0);
    expect(await vercelOutput(t, '2026-W17')).toBe('32');
  }, 400_000);
});
