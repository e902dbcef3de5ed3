/**
 * A worker thread's entry (started by page-threads.ts): reads the one page it is
 * given with its registry source, answers the reading or the error, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SOURCES } from '../../extractors/registry.js';
import { readPage } from './read-page.js';
import { thrownInThread, type PageThreadAnswer, type PageThreadJob } from './page-threads.js';

const job = workerData as PageThreadJob;
let answer: PageThreadAnswer;
try {
  const source = SOURCES.find((s) => s.id === job.sourceId);
  if (!source) throw new Error(`no source ${job.sourceId} in the registry`);
  answer = { reading: readPage(source, job.url, job.page, job.identity) };
} catch (error) {
  answer = { error: thrownInThread(error) };
}
parentPort!.postMessage(answer);
