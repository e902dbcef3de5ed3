/**
 * Refresh progress: on a terminal, a live display (log-update) with one line
 * per source — its phase and pages fetched of pages known — and, once every
 * source is done, the write phase; structured JSON log lines on stderr
 * otherwise (cron, CI, pipes). Counts never pass their totals (index pages
 * are not model pages) and lines are cut to the terminal width, so nothing wraps.
 */
import { createLogUpdate } from 'log-update';
import type { RefreshEvents } from '../pipelines/run/refresh.js';
import { safeCell } from './terminal.js';

export function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

interface SourceLine {
  /** Model pages known once the index was read; undefined while reading it. */
  total?: number;
  done: number;
  result?: string;
}

function describe(id: string, s: SourceLine): string {
  if (s.result) return `${id}: ${s.result}`;
  if (s.total === undefined) return `${id}: reading index`;
  return `${id}: fetching ${Math.min(s.done, s.total)}/${s.total} pages`;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): RefreshEvents {
  if (!stream.isTTY) {
    return {
      sourceStarted: (sourceId, pages) => log('source.started', { source: sourceId, pages }),
      pageDone: (sourceId, url, ok) => log('page.fetched', { source: sourceId, url, ok }),
      sourceDone: (o) =>
        log('source.done', { source: o.sourceId, status: o.status, reason: o.reason, claims: o.claims.length, unchanged: o.unchanged }),
    };
  }
  const update = createLogUpdate(stream, { showCursor: true });
  const state = new Map<string, SourceLine>();
  let phase = '';
  const render = () => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    const lines = [...state].map(([id, s]) => describe(id, s));
    if (phase) lines.push(phase);
    update(lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)).join('\n'));
  };
  const line = (id: string) => {
    let s = state.get(id);
    if (!s) state.set(id, (s = { done: 0 }));
    return s;
  };
  return {
    sourceStarted: (id, pages) => {
      const s = line(id);
      s.total = pages;
      s.done = 0; // pages fetched before this were the index
      render();
    },
    pageDone: (id) => {
      const s = line(id);
      if (s.total !== undefined) s.done++;
      render();
    },
    sourceDone: (o) => {
      const s = line(o.sourceId);
      const claims = `${o.claims.length} claims`;
      s.result =
        o.status === 'ok' || o.status === 'partial'
          ? o.unchanged
            ? '✓ unchanged since its last run'
            : `✓ ${claims}${o.status === 'partial' ? ` (partial: ${safeCell(o.reason ?? '')})` : ''}`
          : `✗ ${o.status}: ${safeCell(o.reason ?? '')}`;
      render();
    },
    publishing: () => {
      phase = 'writing the week…';
      render();
    },
    finished: () => {
      phase = '';
      render();
      update.done();
    },
  };
}
