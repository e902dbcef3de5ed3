/**
 * Refresh progress: a live status line per source on a terminal, structured
 * JSON log lines on stderr otherwise (cron, CI, pipes).
 */
import type { RefreshEvents } from '../pipelines/run/refresh.js';

export function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): RefreshEvents {
  if (!stream.isTTY) {
    return {
      sourceStarted: (sourceId, pages) => log('source.started', { source: sourceId, pages }),
      pageDone: (sourceId, url, ok) => log('page.fetched', { source: sourceId, url, ok }),
      sourceDone: (o) =>
        log('source.done', { source: o.sourceId, status: o.status, reason: o.reason, claims: o.claims.length }),
    };
  }
  const state = new Map<string, { total: number; done: number; status?: string }>();
  const render = () => {
    const parts = [...state].map(([id, s]) => `${id} ${s.status ?? `${s.done}/${s.total || '?'}`}`);
    stream.write(`\r\x1b[2K${parts.join(' · ')}`.slice(0, (stream.columns ?? 120) + 8));
  };
  return {
    sourceStarted: (id, pages) => {
      state.set(id, { total: pages, done: state.get(id)?.done ?? 0 });
      render();
    },
    pageDone: (id) => {
      const s = state.get(id) ?? { total: 0, done: 0 };
      s.done++;
      state.set(id, s);
      render();
    },
    sourceDone: (o) => {
      const s = state.get(o.sourceId) ?? { total: 0, done: 0 };
      s.status = o.status === 'ok' ? `✓ ${o.claims.length} claims` : `✗ ${o.status}`;
      state.set(o.sourceId, s);
      render();
      if ([...state.values()].every((v) => v.status)) stream.write('\n');
    },
  };
}
