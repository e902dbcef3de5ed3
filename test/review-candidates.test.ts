/**
 * The queue's candidate table keeps a queue item short: at most a few rows,
 * yet every value a source states keeps one (so each can be accepted), with a
 * link to the conflict's page where every row is shown.
 */
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../schema/fact.js';
import { CandidateTable } from '../review/candidates.js';

const money = (usd: string) => ({ kind: 'money' as const, usd });
const candidate = (sourceId: string, url: string, usd: string): Candidate => ({
  value: money(usd),
  provenance: {
    sourceId,
    url,
    fetchedAt: '2026-04-20T06:00:00.000Z',
    excerpt: `${sourceId} says $${usd}`,
    locator: 'x',
    extractorVersion: '1',
    pageHash: '0'.repeat(64),
  },
  flags: [],
});

// ten rows after folding: nine pages say $1, the tenth and last says $2
const candidates = [
  ...Array.from({ length: 9 }, (_, i) => candidate('litellm', `https://example.com/${i}`, '1')),
  candidate('openrouter-api', 'https://example.org/m', '2'),
];

const render = async (props: Record<string, unknown>) => String(await jsx(CandidateTable as never, { candidates, qualifiers: {}, fold: true, ...props }).toString());
const rows = (html: string) => [...html.matchAll(/<tr class="(?:conflicting)?">/g)].length;

describe('the candidate table in the queue', () => {
  it('shows every row without a limit', async () => {
    const html = await render({});
    expect(rows(html)).toBe(10);
    expect(html).not.toContain('class="more"');
  });

  it('with a limit, keeps each value (the last row states the only $2) and links to all rows', async () => {
    const html = await render({ limit: 6, moreHref: '/conflicts/7' });
    expect(rows(html)).toBe(6);
    expect(html).toContain('$2');
    expect(html).toContain('openrouter-api says $2');
    expect(html).toMatch(/<tr class="more">.*4 more rows.*href="\/conflicts\/7".*all 10/s);
  });
});
