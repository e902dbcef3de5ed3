/** `runs --id N` on screen: the run, each source's status and reason, and its extraction problems by source. */
import type { runDetail } from '../pipelines/store/runs.js';
import { table, terminalSafe } from './output.js';

type RunDetail = NonNullable<Awaited<ReturnType<typeof runDetail>>>;

const safe = terminalSafe;

export function printRunDetail(run: RunDetail, json?: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  const c = run.counts;
  process.stdout.write(
    `run ${run.id} (${run.week}, ${run.mode}): ${run.status}, started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}\n` +
      `  ${c.claims} claims (+${c.claimsAdded}, ${c.claimsClosed} closed), ${c.facts} facts, ${c.needsReview} need review, ${c.issues} extraction problems, ${c.unmatched} unmatched names\n` +
      `${run.error ? `  error: ${safe(run.error)}\n` : ''}\n`,
  );
  const sources = Object.entries(run.sourceStatus).map(([id, s]) => ({
    source: id,
    status: s.status,
    pages: s.pages,
    claims: s.claims,
    problems: s.issues,
    reason: safe(s.reason ?? (s.unchanged ? 'pages unchanged since the last good run' : '')),
  }));
  process.stdout.write(`${table(sources)}\n`);
  if (run.issues.length === 0) return;
  process.stdout.write(`\nextraction problems (${run.issues.length}):\n`);
  process.stdout.write(`${table(run.issues.map((i) => ({ source: i.sourceId, message: safe(i.message), url: safe(i.url) })))}\n`);
}
