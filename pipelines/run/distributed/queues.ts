/** The queues of a distributed refresh and what their jobs carry. */
import { createHash } from 'node:crypto';
import { retryRace, type Boss } from '../../store/queue.js';

export const QUEUES = {
  /** Starts a distributed refresh of the current week (the cron job of `schedule --distributed`). */
  refresh: 'modelfacts-refresh',
  /** One per source: fetch its index pages, enqueue one page job per page. */
  source: 'modelfacts-source',
  /** One per page: fetch, extract, normalize, stage. */
  page: 'modelfacts-page',
  /** Source and page jobs that failed for good (retries spent, or their worker lost each time). */
  dead: 'modelfacts-dead',
  /** One per run (at most one queued): health checks, reconcile, publish. */
  finalize: 'modelfacts-finalize',
  /** One per run, due at its deadline: a run not published by then fails as a whole. */
  deadline: 'modelfacts-deadline',
} as const;

/** Which queues a worker takes jobs from, most urgent first. */
export const WORK_ORDER = [QUEUES.finalize, QUEUES.deadline, QUEUES.dead, QUEUES.refresh, QUEUES.source, QUEUES.page] as const;

export interface SourceJob {
  run: number;
  sourceId: string;
}
export interface PageJob extends SourceJob {
  url: string;
}
/** A dead letter carries the data of the job that failed for good: a page job's has its URL. */
export type DeadJob = SourceJob | PageJob;
export interface RunJob {
  run: number;
}
export interface RefreshJob {
  sources?: string[];
  replay?: string;
  skipHealth?: string[];
  deadlineMinutes?: number;
}

/** A job id derived from what the job is about: a retried source job enqueues each page once. */
export function jobId(...parts: (string | number)[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Creates the queues once per database (pg-boss 10 needs a queue before its first job); idempotent across processes. */
export function ensureQueues(boss: Boss): Promise<void> {
  return retryRace(() => createQueues(boss));
}

async function createQueues(boss: Boss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  const want: [string, Parameters<Boss['createQueue']>[1]][] = [
    [QUEUES.dead, { name: QUEUES.dead, retryLimit: 5, retryDelay: 2 }],
    [QUEUES.refresh, { name: QUEUES.refresh, retryLimit: 2, retryDelay: 10 }],
    [QUEUES.source, { name: QUEUES.source, deadLetter: QUEUES.dead }],
    [QUEUES.page, { name: QUEUES.page, deadLetter: QUEUES.dead }],
    // at most one finalize job waiting per run (singletonKey), however many page jobs saw the run complete
    [QUEUES.finalize, { name: QUEUES.finalize, policy: 'stately', retryLimit: 20, retryDelay: 3 }],
    [QUEUES.deadline, { name: QUEUES.deadline, retryLimit: 50, retryDelay: 3 }],
  ];
  for (const [name, options] of want) {
    if (existing.has(name)) continue;
    try {
      await boss.createQueue(name, options);
    } catch (error) {
      // another process created it between the listing and now
      if (!(await boss.getQueue(name))) throw error;
    }
  }
}
