/**
 * Large pages read in a worker thread (pipelines/run/page-threads.ts): the
 * reading is the one this thread makes, a changed layout is still a
 * LayoutError (the source is quarantined) and anything else still stops the
 * run as a bug, named as it was thrown. Small pages never start a thread.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { modelsDev } from '../extractors/models-dev.js';
import type { FetchedPage } from '../pipelines/fetch/types.js';
import { SEED_ALIAS_TABLE } from '../pipelines/normalize/identity.js';
import { readPageInThread, readsInThread, THREAD_PAGE_CHARS } from '../pipelines/run/page-threads.js';
import { readPage, runSource } from '../pipelines/run/refresh.js';
import { catalogSample } from './helpers/catalog.js';

const URL_ = modelsDev.pages![0]!;

function fetched(body: string, hash = createHash('sha256').update(body).digest('hex')): FetchedPage {
  return { url: URL_, finalUrl: URL_, status: 200, contentType: 'application/json', headers: {}, body, hash, fetchedAt: '2026-04-20T06:00:00Z', mode: 'http' };
}

/** The sample catalog, padded with whitespace JSON ignores until it is large enough for a thread. */
const large = (body: string) => body + ' '.repeat(Math.max(0, THREAD_PAGE_CHARS - body.length));

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('reading a page in a worker thread', () => {
  it('gives the very reading this thread makes', async () => {
    const page = fetched(catalogSample('models-dev.sample.json'));
    const here = readPage(modelsDev, URL_, page, SEED_ALIAS_TABLE);
    const there = await readPageInThread(modelsDev, URL_, page, SEED_ALIAS_TABLE);
    expect(here.claims.length).toBeGreaterThan(10);
    expect(there).toEqual(here);
  });

  it('a page it cannot read is a LayoutError, with the message of one read here', async () => {
    const page = fetched('{"openai": ');
    const here = thrown(() => readPage(modelsDev, URL_, page, SEED_ALIAS_TABLE));
    expect(here).toBeInstanceOf(LayoutError);
    const there = await readPageInThread(modelsDev, URL_, page, SEED_ALIAS_TABLE).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(LayoutError);
    expect((there as LayoutError).message).toBe((here as LayoutError).message);
    expect((there as LayoutError).sourceId).toBe('models-dev');
    // its cause too, by name and message (here: the JSON parser's)
    expect((there as Error).cause).toMatchObject({ name: ((here as Error).cause as Error).name, message: ((here as Error).cause as Error).message });
  });

  it('a bug comes back with its name, message, fields and the stack of the thread', async () => {
    // a provenance no claim may have (the page hash is not a sha256): normalize throws a SchemaError, not a site failure
    const page = fetched(catalogSample('models-dev.sample.json'), 'not-a-hash');
    const here = thrown(() => readPage(modelsDev, URL_, page, SEED_ALIAS_TABLE)) as Error & { problems: unknown };
    const there = (await readPageInThread(modelsDev, URL_, page, SEED_ALIAS_TABLE).catch((e: unknown) => e)) as Error & { problems: unknown };
    expect(there).not.toBeInstanceOf(LayoutError);
    expect(there.name).toBe('SchemaError');
    expect(there.message).toBe(here.message);
    expect(there.problems).toEqual(here.problems);
    expect(there.stack).toMatch(/normalize/);
  });

  it('only large pages of registry sources go to a thread', () => {
    const small = fetched(catalogSample('models-dev.sample.json'));
    expect(readsInThread(modelsDev, small)).toBe(false);
    expect(readsInThread(modelsDev, fetched(large(small.body)))).toBe(true);
    // a module the thread cannot find by id (a test's own source) is read here, whatever its size
    expect(readsInThread({ ...modelsDev }, fetched(large(small.body)))).toBe(false);
  });
});

describe('a source whose page is read in a thread', () => {
  const run = (body: string) => runSource(modelsDev, async () => fetched(body), SEED_ALIAS_TABLE);

  it('publishes the claims of reading it here', async () => {
    const body = large(catalogSample('models-dev.sample.json'));
    const outcome = await run(body);
    expect(outcome.status).toBe('ok');
    expect(outcome.claims).toEqual(readPage(modelsDev, URL_, fetched(body), SEED_ALIAS_TABLE).claims);
  });

  it('is quarantined for a changed layout, as when read here', async () => {
    const body = large('{"openai": ');
    const outcome = await run(body);
    expect(outcome.status).toBe('quarantined');
    expect(outcome.reason).toBe((thrown(() => readPage(modelsDev, URL_, fetched(body), SEED_ALIAS_TABLE)) as Error).message);
    expect(outcome.claims).toEqual([]);
  });

  it('stops the run on a bug: the error is thrown, not recorded as the source failing', async () => {
    const body = large(catalogSample('models-dev.sample.json'));
    const bad = runSource(modelsDev, async () => fetched(body, 'not-a-hash'), SEED_ALIAS_TABLE);
    await expect(bad).rejects.toMatchObject({ name: 'SchemaError', message: expect.stringMatching(/^invalid provenance of https:\/\/models\.dev\/api\.json: pageHash/) });
  });
});
