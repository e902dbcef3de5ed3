/**
 * The terminal progress display: counts never pass their totals (the index
 * page is not a model page), lines never wrap, an unchanged source says so,
 * and the write phase shows.
 */
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../cli/progress.js';
import type { SourceOutcome } from '../pipelines/publish/publish.js';

function fakeTty(columns: number) {
  const frames: string[] = [];
  const stream = {
    isTTY: true,
    columns,
    rows: 40,
    write: (chunk: string) => {
      frames.push(chunk);
      return true;
    },
    on: () => stream,
    off: () => stream,
    once: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, frames };
}

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

function outcome(sourceId: string, extra: Partial<SourceOutcome>): SourceOutcome {
  return { sourceId, status: 'ok', pages: [], observations: 0, claims: [], issues: [], unmatched: new Map(), ...extra };
}

describe('refresh progress on a terminal', () => {
  it('phases and counts within totals, cut to the width, unchanged sources named', () => {
    const { stream, frames } = fakeTty(40);
    const p = progressReporter(stream);
    p.pageDone?.('anttisahla', 'https://anttisahla.com/ai/models', true); // the index
    p.sourceStarted?.('anttisahla', 2);
    for (let i = 0; i < 3; i++) p.pageDone?.('anttisahla', `u${i}`, true); // a retried page counted twice
    p.sourceStarted?.('litellm', 1);
    p.sourceDone?.(outcome('litellm', { unchanged: true }));
    p.sourceDone?.(outcome('anttisahla', {}));
    p.sourceStarted?.('llm-stats', 1);
    p.sourceDone?.(outcome('llm-stats', { status: 'broken', reason: `https://llm-stats.com/models/x: HTTP 500 (gave up after 4 attempts)` }));
    p.publishing?.();
    const text = frames.map(plain).join('\n');
    expect(text).toMatch(/reading index/);
    expect(text).toMatch(/fetching 2\/2/);
    expect(text).not.toMatch(/3\/2/);
    expect(text).toMatch(/litellm: ✓ unchanged since its last run/);
    expect(text).not.toMatch(/litellm: ✓ 0 claims/);
    expect(text).toMatch(/writing the week/);
    expect(text).toMatch(/llm-stats: ✗ broken: https:\/\/llm-stats.*…/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(39);
    p.finished?.();
  });
});
