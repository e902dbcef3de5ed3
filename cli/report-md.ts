/**
 * The conflict report as Markdown, readable in a terminal and in a pull
 * request. Pure: report data in, text out. Scraped text (excerpts, rules,
 * notes) is escaped or put in code spans so a page cannot inject markup.
 */
import type { ConflictReport, ReportCandidate, ReportFact } from '../pipelines/report/conflicts.js';
import { FACT_STATUSES, ruleWords } from '../pipelines/report/conflicts.js';
import type { FactStatus } from '../schema/fact.js';
import { formatQualifiers, formatValue } from './format.js';

/** A text label per status, so the difference never rests on colour or an emoji alone. */
const STATUS_LABEL: Record<FactStatus, string> = {
  agreed: '✓ AGREED',
  'single-source': '· SINGLE-SOURCE',
  'auto-resolved': '⚙ AUTO-RESOLVED',
  'needs-review': '⚠ NEEDS-REVIEW',
  reviewed: '✔ REVIEWED',
};

/**
 * Escapes what Markdown (GitHub flavour) would read as markup in free text —
 * code, emphasis, links, inline HTML, table pipes, math, strikethrough — and
 * keeps it on one line. An underscore inside a word (`per_image`) is left
 * alone: it is not emphasis there, and escaping it would hurt reading in a terminal.
 */
function mdText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*[<>|$~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`);
}

/** Ids the schema validated (model ids, attributes, source ids) need no escaping unless they hold markup characters. */
function mdId(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9/_.:@-]*$/.test(text) ? text : mdText(text);
}

/** A code span that survives backticks inside the text. */
function mdCode(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t === '') return '` `';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Cells must already be escaped (mdText escapes `|`). */
function mdTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

function candidateLines(c: ReportCandidate): string[] {
  const who = `${mdId(c.sourceId)}${c.via ? ` (via ${mdId(c.via)})` : ''}`;
  const flags = c.flags.length ? ` — flags: ${c.flags.map(mdCode).join(', ')}` : '';
  const asOf = c.statedAsOf ? ` · page says as of ${mdText(c.statedAsOf.date)}` : '';
  return [
    `- **${who}**: ${mdCode(formatValue(c.value))}${flags}`,
    `  - ${mdText(c.url)} · fetched ${mdText(c.fetchedAt)}${asOf}`,
    `  - excerpt: ${mdCode(c.excerpt)}`,
    ...(c.derived ? [`  - derived, not stated: ${mdCode(c.derived.rule)} applied to ${mdCode(c.derived.from)}`] : []),
  ];
}

function factLines(f: ReportFact): string[] {
  const q = formatQualifiers(f.qualifiers);
  const head = [
    `**${STATUS_LABEL[f.status]}**`,
    q ? mdCode(q) : '',
    f.conflict ? `conflict #${f.conflict.id} (${f.conflict.state}${f.conflict.closedWeek ? ` in ${f.conflict.closedWeek}` : ''})` : 'no conflict record',
    `confidence ${f.confidence.toFixed(2)}`,
  ].filter(Boolean);
  const lines = [`#### ${head.join(' · ')}`, ''];
  lines.push(`- chosen: ${f.chosen ? mdCode(formatValue(f.chosen)) : '— (no rule decided; a reviewer must choose)'}`);
  if (f.majority) {
    lines.push(`- majority vote would choose: ${mdCode(formatValue(f.majority))}${f.majorityAgrees ? ' (the same)' : ' (the rules chose otherwise)'}`);
  } else if (f.candidates.length > 1 && f.status !== 'agreed') lines.push('- majority vote would choose: — (a tie)');
  lines.push(`- why (${f.ruleId}): ${mdText(ruleWords(f))}`);
  if (f.conflict?.state === 'reopened' && f.conflict.reason) lines.push(`- **re-opened**: ${mdText(f.conflict.reason)}`);
  const d = f.conflict?.decision;
  if (d) {
    lines.push(
      `- decision: ${mdCode(formatValue(d.value))} by ${mdText(d.by)} on ${mdText(d.at.slice(0, 10))}: ${mdText(d.note)}` +
        (d.candidatesUnchanged ? '' : ' (candidates have changed since)'),
    );
  }
  if (f.conflict && f.conflict.state !== 'resolved') {
    lines.push(`- decide: ${mdCode(`modelfacts resolve ${f.conflict.id} --value <value> --note <why>`)}`);
  }
  lines.push('', `Candidates (${f.candidates.length}):`, '');
  for (const c of f.candidates) lines.push(...candidateLines(c));
  if (f.related.length > 0) {
    lines.push('', 'Matched against:', '');
    for (const r of f.related) {
      lines.push(
        `- ${mdCode(formatQualifiers(r.qualifiers))}: ${r.chosen ? mdCode(formatValue(r.chosen)) : '—'} (${r.status}; ${r.sources.map(mdText).join(', ')})`,
      );
    }
  }
  lines.push('');
  return lines;
}

export function renderMarkdown(report: ConflictReport): string {
  const out: string[] = [];
  const f = report.filters;
  out.push(`# Conflict report — week ${report.week}`, '');
  const run = report.run ? `run ${report.run.id} (${report.run.mode}, ${report.run.status}, started ${report.run.startedAt})` : 'no run recorded for this week';
  out.push(`Generated ${report.generatedAt} from ${run}.`);
  out.push(
    `Listing statuses ${f.statuses.join(', ')}` +
      (f.states ? `; conflict states ${f.states.join(', ')}` : '') +
      (f.model ? `; model ${mdText(f.model)}` : '') +
      (f.source ? `; source ${mdText(f.source)}` : '') +
      '.',
    '',
  );

  out.push('## Sources with problems in this run', '');
  if (report.sourceProblems.length === 0) out.push(report.run ? 'None: every source was ok.' : 'Unknown (no run).');
  for (const p of report.sourceProblems) {
    out.push(
      `- **${mdText(p.sourceId)}**: ${p.status.toUpperCase()} — ${p.reason ? mdText(p.reason) : 'no reason recorded'}` +
        (p.lastGoodWeek ? ` (keeping its claims from ${p.lastGoodWeek})` : ''),
    );
  }
  out.push('');

  const s = report.summary;
  out.push('## Summary', '');
  out.push(`${s.listed} facts listed, of ${s.facts} in scope this week.`, '');
  out.push(mdTable(['status', 'facts'], FACT_STATUSES.map((st) => [STATUS_LABEL[st], String(s.byStatus[st])])), '');
  out.push(`Conflicts listed: ${s.byState.open} open, ${s.byState.reopened} re-opened, ${s.byState.resolved} resolved, ${s.byState.deferred} deferred, ${s.byState.closed} closed.`, '');
  if (s.byModel.length > 0) {
    out.push(
      mdTable(
        ['model', 'listed', ...FACT_STATUSES],
        s.byModel.map((m) => [mdId(m.modelId), String(m.listed), ...FACT_STATUSES.map((st) => String(m.byStatus[st]))]),
      ),
      '',
    );
  }

  if (report.models.length === 0) out.push('No facts match.', '');
  for (const m of report.models) {
    out.push(`## ${mdId(m.modelId)}`, '');
    for (const a of m.attributes) {
      out.push(`### ${mdId(a.attribute)}`, '');
      for (const fact of a.facts) out.push(...factLines(fact));
    }
  }

  out.push('## Source reliability', '');
  out.push('Per source and attribute: how many of its claims this week agreed with the final value.', '');
  if (report.reliability.length === 0) out.push('No decided facts.');
  else {
    out.push(
      mdTable(
        ['source', 'attribute', 'claims', 'agreed', 'share'],
        report.reliability.map((r) => [mdId(r.sourceId), mdId(r.attribute), String(r.claims), String(r.agreed), pct(r.share)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
