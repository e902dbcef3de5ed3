/**
 * `modelfacts worker`: takes jobs from the refresh queues until stopped. Up to
 * `concurrency` jobs at once, fetched as slots free up (pg-boss 10's own `work` loop
 * waits a polling interval even after a job, which would cap a worker at a few pages a
 * second). A job that throws is failed to pg-boss, which retries it or dead-letters it;
 * a worker killed mid-job leaves its job active until it expires, then another retries it.
 * `stop()` takes no new job and resolves when the jobs in hand are done.
 */
import type { Database } from '../../store/db.js';
import type { Boss, QueueJob } from '../../store/queue.js';
import { Jobs, type JobLog } from './jobs.js';
import { ensureQueues, QUEUES, WORK_ORDER } from './queues.js';

export interface WorkerOptions {
  concurrency?: number;
  /** Pause when no queue had a job, ms. Default 250. */
  idleMs?: number;
  log?: JobLog;
}

export interface RunningWorker {
  /** Takes no new job; resolves once the jobs in hand finished. */
  stop(): Promise<void>;
  /** Resolves when the worker stopped. */
  done: Promise<void>;
}

export async function startWorker(database: Database, boss: Boss, opts: WorkerOptions = {}): Promise<RunningWorker> {
  await ensureQueues(boss);
  const log = opts.log ?? (() => undefined);
  const jobs = new Jobs(database, boss, log);
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const active = new Set<Promise<void>>();
  let stopping = false;
  let wake: (() => void) | undefined;

  const run = (queue: string, job: QueueJob<unknown>) => {
    const t0 = Date.now();
    log('job.started', { queue, job: job.id, ...(job.data as object) });
    const p = jobs
      .handle(queue, job)
      .then(
        async () => {
          await boss.complete(queue, job.id);
          log('job.done', { queue, job: job.id, ms: Date.now() - t0 });
        },
        async (error: unknown) => {
          log('job.failed', { queue, job: job.id, error: (error as Error)?.message ?? String(error) });
          await boss.fail(queue, job.id, { message: (error as Error)?.message ?? String(error) });
        },
      )
      // the queue call itself failed (database gone): the job expires and is retried elsewhere
      .catch((error: unknown) => log('job.unacknowledged', { queue, job: job.id, error: (error as Error)?.message }))
      .finally(() => {
        active.delete(p);
        wake?.();
      });
    active.add(p);
  };

  /** The queues other than pages are asked at most this often: page slots are refilled as they free. */
  const controlEveryMs = opts.idleMs ?? 250;
  let controlAt = 0;
  const loop = async () => {
    while (!stopping) {
      let took = 0;
      try {
        const control = Date.now() - controlAt >= controlEveryMs;
        if (control) controlAt = Date.now();
        for (const queue of WORK_ORDER) {
          const free = concurrency - active.size;
          if (free <= 0 || stopping) break;
          if (!control && queue !== QUEUES.page) continue;
          const got = (await boss.fetch<unknown>(queue, { batchSize: free, includeMetadata: true })) ?? [];
          for (const job of got) run(queue, job);
          took += got.length;
        }
      } catch (error) {
        log('worker.fetch-failed', { error: (error as Error).message });
      }
      if (stopping) break;
      // full: wait for a slot; idle: wait a little, or for a slot
      if (active.size >= concurrency || took === 0) {
        await new Promise<void>((ok) => {
          wake = ok;
          setTimeout(ok, active.size >= concurrency ? 60_000 : (opts.idleMs ?? 250));
        });
        wake = undefined;
      }
    }
    await Promise.allSettled([...active]);
    await jobs.close();
  };
  const done = loop();
  return {
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
