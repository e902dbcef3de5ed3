/** Starting a distributed refresh, and following it to its end. */
import type { SourceModule } from '../../../extractors/contract.js';
import type { Database } from '../../store/db.js';
import {
  createDistributedRun,
  expireOverdueRuns,
  finishDistributedRun,
  loadDistributedRun,
  runProgress,
  type DistributedPlan,
  type DistributedRun,
  type RunProgress,
} from '../../store/distributed.js';
import type { Boss } from '../../store/queue.js';
import { ensureQueues, QUEUES, type RunJob, type SourceJob } from './queues.js';

export interface DistributedRequest {
  week: string;
  sources: readonly SourceModule[];
  skipHealth?: readonly string[];
  transport: DistributedPlan['transport'];
  fetcher?: DistributedPlan['fetcher'];
  /** The run fails as a whole when not published by then. Default 120 minutes. */
  deadlineMinutes?: number;
  /** Attempts of a page job after the first (a bug, a lost worker). Default 2. */
  pageRetries?: number;
  /** An active source or page job not done after this long counts as lost (its worker killed) and is retried. Default 120 s. */
  jobExpireSeconds?: number;
}

/** Creates the run (refused while one of the same week runs), one job per source and the deadline job. */
export async function startDistributedRefresh(database: Database, boss: Boss, req: DistributedRequest): Promise<DistributedRun> {
  await ensureQueues(boss);
  const deadline = new Date(Date.now() + (req.deadlineMinutes ?? 120) * 60_000);
  const run = await createDistributedRun(database.db, {
    week: req.week,
    mode: req.transport.kind === 'live' ? 'live' : 'replay',
    deadline,
    plan: {
      sources: req.sources.map((s) => s.id),
      skipHealth: [...(req.skipHealth ?? [])],
      transport: req.transport,
      ...(req.fetcher ? { fetcher: req.fetcher } : {}),
      pageRetries: req.pageRetries ?? 2,
      jobExpireSeconds: req.jobExpireSeconds ?? 120,
    },
  });
  try {
    await boss.insert(
      req.sources.map((s) => ({
        name: QUEUES.source,
        data: { run: run.id, sourceId: s.id } satisfies SourceJob,
        retryLimit: 2,
        retryDelay: 2,
        expireInSeconds: run.plan.jobExpireSeconds,
        deadLetter: QUEUES.dead,
      })),
    );
    await boss.sendAfter(QUEUES.deadline, { run: run.id } satisfies RunJob, {}, deadline);
  } catch (error) {
    // without its jobs the run would hold the week's lock until its deadline
    await finishDistributedRun(database.db, run.id, { state: 'failed', error: `could not enqueue its jobs: ${(error as Error).message}` });
    throw error;
  }
  return run;
}

/** Polls the run until it ends; `onProgress` sees each change. */
export async function waitForRun(
  database: Database,
  runId: number,
  opts: { onProgress?: (p: RunProgress) => void; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<DistributedRun> {
  let last = '';
  for (;;) {
    const run = await loadDistributedRun(database.db, runId);
    if (!run) throw new Error(`distributed run ${runId} does not exist`);
    if (run.state !== 'running') return run;
    // past its deadline and no worker left to fail it (none running): failed here, holding no lock
    if (Date.now() > run.deadlineMs + 30_000) {
      await expireOverdueRuns(database.db);
      continue;
    }
    const p = await runProgress(database.db, run);
    const text = JSON.stringify(p);
    if (text !== last) opts.onProgress?.(p);
    last = text;
    if (opts.signal?.aborted) return run;
    await new Promise((ok) => setTimeout(ok, opts.intervalMs ?? 1000));
  }
}
