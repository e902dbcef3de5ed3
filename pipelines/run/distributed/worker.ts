/**
 * `modelfacts worker`: takes jobs from the refresh queues until stopped. Up to
 * `concurrency` jobs at once, fetched as slots free up (pg-boss 10's own `work` loop
 * waits a polling interval even after a job, which would cap a worker at a few pages a
 * second). A job that throws is failed to pg-boss, which retries it or dead-letters it;
 * a worker killed mid-job leaves its job active until it expires, then another retries it.
 * `stop()` takes no new job and resolves when the jobs in hand are done.
 * Per page the queue costs little: jobs are fetched up to the free slots at once, completed
 * in batches, and a page job's slot is freed once its page is staged (its run's completion
 * check, shared with the pages staged about the same time, runs before it is completed).
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

  const completions = completer(boss, log);
  /** Jobs whose handler returned and whose remaining work (a page's completion check) runs: they hold no slot. */
  const settling = new Set<Promise<void>>();

  const failed = async (queue: string, job: QueueJob<unknown>, error: unknown) => {
    log('job.failed', { queue, job: job.id, error: (error as Error)?.message ?? String(error) });
    await boss.fail(queue, job.id, { message: (error as Error)?.message ?? String(error) });
  };
  // the queue call itself failed (database gone): the job expires and is retried elsewhere
  const unacknowledged = (queue: string, job: QueueJob<unknown>) => (error: unknown) =>
    log('job.unacknowledged', { queue, job: job.id, error: (error as Error)?.message });

  const run = (queue: string, job: QueueJob<unknown>) => {
    const t0 = Date.now();
    log('job.started', { queue, job: job.id, ...(job.data as object) });
    const p = jobs
      .handle(queue, job)
      .then(
        (result) => {
          const after = result?.after;
          const done = async () => {
            await completions.add(queue, job.id);
            log('job.done', { queue, job: job.id, ms: Date.now() - t0 });
          };
          if (!after) return done();
          const s: Promise<void> = after
            .then(done, (error: unknown) => failed(queue, job, error))
            .catch(unacknowledged(queue, job))
            .finally(() => settling.delete(s));
          settling.add(s);
        },
        (error: unknown) => failed(queue, job, error),
      )
      .catch(unacknowledged(queue, job))
      .finally(() => {
        active.delete(p);
        wake?.();
      });
    active.add(p);
  };

  /**
   * The queues other than pages are asked at most this often (one round trip each): page slots
   * are refilled as they free. While the worker has jobs in hand it asks them less often (a
   * finalize or a dead letter waits a second or two more; an idle worker asks at once).
   */
  const controlEveryMs = opts.idleMs ?? 250;
  const busyControlMs = Math.max(controlEveryMs, 2000);
  let controlAt = 0;
  const loop = async () => {
    while (!stopping) {
      let took = 0;
      try {
        const control = Date.now() - controlAt >= (active.size > 0 ? busyControlMs : controlEveryMs);
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
    await Promise.allSettled([...settling]);
    await completions.flush();
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

/** Jobs are completed to pg-boss in batches (one statement per queue for the jobs done in a short while). */
const COMPLETE_EVERY_MS = 50;
const COMPLETE_BATCH = 50;

function completer(boss: Boss, log: (event: string, fields: Record<string, unknown>) => void) {
  const pending = new Map<string, { ids: string[]; waiters: { ok: () => void; fail: (e: unknown) => void }[] }>();
  let timer: NodeJS.Timeout | undefined;
  const flushQueue = async (queue: string) => {
    const batch = pending.get(queue);
    if (!batch) return;
    pending.delete(queue);
    try {
      await boss.complete(queue, batch.ids);
      for (const w of batch.waiters) w.ok();
    } catch (error) {
      log('worker.complete-failed', { queue, jobs: batch.ids.length, error: (error as Error).message });
      for (const w of batch.waiters) w.fail(error);
    }
  };
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    await Promise.all([...pending.keys()].map(flushQueue));
  };
  return {
    /** Resolves once the job is recorded completed. */
    add(queue: string, id: string): Promise<void> {
      return new Promise<void>((ok, fail) => {
        let batch = pending.get(queue);
        if (!batch) pending.set(queue, (batch = { ids: [], waiters: [] }));
        batch.ids.push(id);
        batch.waiters.push({ ok, fail });
        if (batch.ids.length >= COMPLETE_BATCH) void flushQueue(queue);
        else timer ??= setTimeout(() => void flush(), COMPLETE_EVERY_MS);
      });
    },
    flush,
  };
}
