/** Helpers of the distributed refresh tests: worker processes, published facts without fetch times. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Db } from '../../pipelines/store/db.js';
import { queryFacts } from '../../pipelines/store/queries.js';
import { factJson } from '../../cli/format.js';

/** The week's facts as the CLI prints them, every fetch time removed (the one thing two runs differ in). */
export async function factsWithoutFetchTimes(db: Db): Promise<unknown[]> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'fetchedAt').map(([k, x]) => [k, strip(x)]));
    }
    return v;
  };
  return JSON.parse(JSON.stringify((await queryFacts(db, {})).map(factJson).map(strip))) as unknown[];
}

export interface WorkerProcess {
  child: ChildProcess;
  /** JSON log lines seen so far. */
  lines: Record<string, unknown>[];
  /** Resolves with the first log line matching. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** `modelfacts worker` in its own process, as an operator starts it. */
export function spawnWorker(databaseUrl: string, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), 'worker', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CI: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; ok: (l: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  child.stderr!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { event: 'text', text };
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (match, timeoutMs = 60_000) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`worker ${child.pid}: no matching log line in ${timeoutMs} ms; last: ${JSON.stringify(lines.slice(-3))}`)), timeoutMs);
        waiters.push({ match, ok: (l) => (clearTimeout(timer), ok(l)) });
      });
    },
  };
}
