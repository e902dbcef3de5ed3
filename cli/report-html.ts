/**
 * The conflict report as ONE self-contained HTML file: inline CSS and a small
 * inline script that sorts tables on header click, no external requests (a
 * Content-Security-Policy allows only that script, by hash). Pure: report
 * data in, text out.
 *
 * Every string from a page or the database goes through escapeHtml: the
 * `html` template tag escapes each interpolated value unless it is markup
 * this module built itself (Raw), so forgetting to escape takes effort.
 */
import { FLAG } from '../schema/flags.js';
import { createHash } from 'node:crypto';
import type { ConflictReport, ReportCandidate, ReportFact } from '../pipelines/report/conflicts.js';
import { FACT_STATUSES, ruleWords } from '../pipelines/report/conflicts.js';
import type { FactStatus } from '../schema/fact.js';
import type { Value } from '../schema/values.js';
import { formatQualifiers, formatValue } from './format.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** The one escaper for text and attribute values (attributes are always double-quoted). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** Markup built here; never wraps data. */
class Raw {
  constructor(readonly html: string) {}
}

function piece(v: unknown): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** Template tag: interpolations are escaped unless they are Raw (or arrays of Raw). */
function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += piece(v) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

/** Only http(s) links become clickable; anything else (javascript:, data:) stays text. */
function link(url: string): Raw {
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer nofollow">${url}</a>`
    : html`<span class="url">${url}</span>`;
}

const STATUS_ICON: Record<FactStatus, string> = {
  agreed: '✓',
  'single-source': '•',
  'auto-resolved': '⚙',
  'needs-review': '⚠',
  reviewed: '✔',
};
/** Sort rank: most urgent first. */
const STATUS_RANK: Record<FactStatus, number> = {
  'needs-review': 0,
  reviewed: 1,
  'auto-resolved': 2,
  'single-source': 3,
  agreed: 4,
};

function badge(status: FactStatus): Raw {
  return html`<span class="badge st-${status}" data-status="${status}">${STATUS_ICON[status]} ${status}</span>`;
}

function stateBadge(state: string): Raw {
  return html`<span class="state state-${state}">${state}</span>`;
}

function valueSortKey(v: Value | null): string {
  if (!v) return '';
  if (v.kind === 'money') return v.usd;
  if (v.kind === 'count') return String(v.count);
  return formatValue(v);
}

const anchor = (i: number) => `f${i}`;

/** `decided`: the fact has a chosen value, so a candidate either agrees with it or is flagged conflicting. */
function candidateRow(c: ReportCandidate, decided: boolean): Raw {
  const flags = c.flags.map((f) => html`<span class="flag flag-${f}">${f}</span> `);
  const cls = !decided ? 'cand-open' : c.flags.includes(FLAG.conflicting) ? 'cand-conflicting' : 'cand-agrees';
  return html`<tr class="${cls}">
<td>${c.sourceId}${c.via ? html` <span class="via">via ${c.via}</span>` : ''}</td>
<td data-sort="${valueSortKey(c.value)}"><code>${formatValue(c.value)}</code></td>
<td>${flags}</td>
<td data-sort="${c.fetchedAt}">${c.fetchedAt.slice(0, 16).replace('T', ' ')}</td>
<td>${c.statedAsOf ? c.statedAsOf.date : ''}</td>
<td class="excerpt">${c.excerpt}</td>
<td class="link">${link(c.url)}</td>
</tr>`;
}

function factArticle(f: ReportFact, i: number): Raw {
  const q = formatQualifiers(f.qualifiers);
  const c = f.conflict;
  const d = c?.decision;
  return html`<article class="fact st-${f.status}" id="${anchor(i)}" data-status="${f.status}" data-attribute="${f.attribute}">
<header>${badge(f.status)} <span class="attr">${f.attribute}</span>${q ? html` <code class="q">${q}</code>` : ''}
<span class="meta">${c ? html`conflict #${c.id} ${stateBadge(c.state)}` : 'no conflict record'} · confidence ${f.confidence.toFixed(2)} · since ${f.validFrom}</span></header>
<p class="chosen"><b>Chosen:</b> ${f.chosen ? html`<code>${formatValue(f.chosen)}</code>` : html`<em>none — no rule decided; a reviewer must choose</em>`}</p>
<p class="rule"><b>Why (${f.ruleId}):</b> ${ruleWords(f)}</p>
${c?.state === 'reopened' && c.reason ? html`<p class="reopened"><b>Re-opened:</b> ${c.reason}</p>` : ''}
${d ? html`<p class="decision"><b>Decision:</b> <code>${formatValue(d.value)}</code> by ${d.by} on ${d.at.slice(0, 10)}: ${d.note}${d.candidatesUnchanged ? '' : ' (the candidates have changed since)'}</p>` : ''}
${c && c.state !== 'resolved' ? html`<p class="howto">Decide: <code>modelfacts resolve ${c.id} --value &lt;value&gt; --note &lt;why&gt;</code></p>` : ''}
<table class="sortable candidates">
<thead><tr><th>Source</th><th>Value</th><th>Flags</th><th>Fetched (UTC)</th><th>Page as of</th><th>Excerpt</th><th>URL</th></tr></thead>
<tbody>${f.candidates.map((x) => candidateRow(x, f.chosen !== null))}</tbody>
</table>
${
  f.related.length > 0
    ? html`<details class="related" open><summary>Matched against ${f.related.length} related fact(s)</summary><ul>${f.related.map(
        (r) =>
          html`<li><code>${formatQualifiers(r.qualifiers)}</code>: <code>${r.chosen ? formatValue(r.chosen) : '—'}</code> ${badge(r.status)} (${r.sources.join(', ')})</li>`,
      )}</ul></details>`
    : ''
}
</article>`;
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg)}
body{margin:0 auto;max-width:1200px;padding:1rem 1.5rem;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
.sub{color:var(--muted);margin-top:0}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f6f8fa;cursor:pointer;user-select:none;white-space:nowrap}
thead th::after{content:" ⇅";color:#8c959f}
thead th[aria-sort=ascending]::after{content:" ▲";color:var(--fg)}
thead th[aria-sort=descending]::after{content:" ▼";color:var(--fg)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;background:#f6f8fa;padding:0 .2em;border-radius:3px}
.badge{display:inline-block;border-radius:1em;padding:0 .6em;font-weight:600;font-size:.85rem;border:1px solid;white-space:nowrap}
.st-agreed.badge{color:#116329;background:#dafbe1;border-color:#4ac26b}
.st-single-source.badge{color:#424a53;background:#eaeef2;border-color:#afb8c1}
.st-auto-resolved.badge{color:#0550ae;background:#ddf4ff;border-color:#54aeff}
.st-needs-review.badge{color:#a40e26;background:#ffebe9;border-color:#ff8182}
.st-reviewed.badge{color:#6639ba;background:#fbefff;border-color:#c297ff}
article.fact{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:.5rem .8rem;margin:.8rem 0}
article.st-agreed{border-left-color:#4ac26b}
article.st-single-source{border-left-color:#afb8c1;border-left-style:dotted}
article.st-auto-resolved{border-left-color:#54aeff;border-left-style:dashed}
article.st-needs-review{border-left-color:#cf222e;border-left-style:double;border-left-width:8px;background:#fffafa}
article.st-reviewed{border-left-color:#8250df}
article header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.attr{font-weight:700}.meta{color:var(--muted);font-size:.85rem;margin-left:auto}
.state{font-size:.8rem;border:1px solid var(--line);border-radius:3px;padding:0 .3em}
.state-open,.state-reopened{font-weight:700}.state-reopened{color:#a40e26}
.reopened{border-left:3px solid #cf222e;padding-left:.5rem}
.decision{border-left:3px solid #8250df;padding-left:.5rem}
.howto{color:var(--muted);font-size:.85rem}
.flag{display:inline-block;font-size:.75rem;border:1px solid var(--line);border-radius:3px;padding:0 .25em;margin:1px 0}
.flag-conflicting{border-color:#cf222e;color:#a40e26}
.flag-likely-placeholder,.flag-stale,.flag-approximate{border-color:#bf8700;color:#7d4e00}
tr.cand-conflicting td:first-child::before{content:"✗ ";color:#cf222e}
tr.cand-agrees td:first-child::before{content:"= ";color:#1a7f37}
.excerpt{max-width:28rem;overflow-wrap:anywhere}.link{max-width:16rem;overflow-wrap:anywhere;font-size:.8rem}
.via{color:var(--muted);font-size:.8rem}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.share{display:inline-block;height:.6rem;background:#54aeff;vertical-align:middle;margin-right:.3rem}
.problem td:nth-child(2){font-weight:700;color:#a40e26}
`;

/** Sorts a table by the clicked column: numbers numerically (cell data-sort first), text alphabetically; stable. */
const SCRIPT = `(function () {
  function key(cell) {
    var v = cell ? cell.getAttribute('data-sort') : '';
    if (v === null) v = cell.textContent.trim();
    var n = Number(v);
    return { n: v !== '' && isFinite(n) ? n : null, s: String(v).toLowerCase() };
  }
  function cmp(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  }
  function sortBy(th) {
    var table = th.closest('table');
    var row = th.parentNode;
    var index = Array.prototype.indexOf.call(row.children, th);
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    Array.prototype.forEach.call(row.children, function (x) { x.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (r, i) { return { r: r, i: i, k: key(r.cells[index]) }; });
    rows.sort(function (a, b) { var c = cmp(a.k, b.k); return (dir === 'ascending' ? c : -c) || a.i - b.i; });
    rows.forEach(function (x) { body.appendChild(x.r); });
  }
  document.querySelectorAll('table.sortable thead th').forEach(function (th) {
    th.tabIndex = 0;
    th.title = 'sort by this column';
    th.addEventListener('click', function () { sortBy(th); });
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(th); }
    });
  });
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

export function renderHtml(report: ConflictReport): string {
  const s = report.summary;
  const f = report.filters;
  const facts = report.models.flatMap((m) => m.attributes.flatMap((a) => a.facts));
  const index = new Map(facts.map((x, i) => [x, i]));

  const overview = html`<table class="sortable" id="overview">
<thead><tr><th>Model</th><th>Attribute</th><th>Qualifiers</th><th>Status</th><th>Chosen</th><th>Confidence</th><th>Conflict</th><th>State</th><th>Sources</th></tr></thead>
<tbody>${facts.map(
    (x) => html`<tr data-status="${x.status}">
<td>${x.modelId}</td><td><a href="#${anchor(index.get(x)!)}">${x.attribute}</a></td><td>${formatQualifiers(x.qualifiers) ? html`<code>${formatQualifiers(x.qualifiers)}</code>` : ''}</td>
<td data-sort="${STATUS_RANK[x.status]}">${badge(x.status)}</td>
<td data-sort="${valueSortKey(x.chosen)}">${x.chosen ? formatValue(x.chosen) : '—'}</td>
<td>${x.confidence.toFixed(2)}</td>
<td>${x.conflict ? x.conflict.id : ''}</td><td>${x.conflict ? stateBadge(x.conflict.state) : ''}</td>
<td>${x.sources.join(', ')}</td></tr>`,
  )}</tbody></table>`;

  const problems =
    report.sourceProblems.length === 0
      ? html`<p>${report.run ? 'None: every source was ok in this run.' : 'No run recorded for this week.'}</p>`
      : html`<table class="sortable" id="source-problems"><thead><tr><th>Source</th><th>Status</th><th>Reason</th><th>Keeping claims from</th></tr></thead><tbody>${report.sourceProblems.map(
          (p) =>
            html`<tr class="problem"><td>${p.sourceId}</td><td>${p.status}</td><td>${p.reason ?? 'no reason recorded'}</td><td>${p.lastGoodWeek ?? ''}</td></tr>`,
        )}</tbody></table>`;

  const body = html`<header>
<h1>Conflict report — week ${report.week}</h1>
<p class="sub">Generated ${report.generatedAt} from ${report.run ? `run ${report.run.id} (${report.run.mode}, ${report.run.status}, started ${report.run.startedAt})` : 'no recorded run'}.
Listing ${f.statuses.join(', ')}${f.states ? `; conflict states ${f.states.join(', ')}` : ''}${f.model ? `; model ${f.model}` : ''}${f.source ? `; source ${f.source}` : ''}.</p>
</header>
<section id="sources"><h2>Sources with problems in this run</h2>${problems}</section>
<section id="summary"><h2>Summary</h2>
<p>${s.listed} facts listed, of ${s.facts} in scope this week. Conflicts listed: ${s.byState.open} open, ${s.byState.reopened} re-opened, ${s.byState.resolved} resolved.</p>
<ul class="counts">${FACT_STATUSES.map((st) => html`<li>${badge(st)} <b class="count" data-status="${st}">${s.byStatus[st]}</b></li>`)}</ul>
<table class="sortable" id="per-model"><thead><tr><th>Model</th><th>Listed</th>${FACT_STATUSES.map((st) => html`<th>${st}</th>`)}</tr></thead>
<tbody>${s.byModel.map((m) => html`<tr><td><a href="#model-${m.modelId}">${m.modelId}</a></td><td>${m.listed}</td>${FACT_STATUSES.map((st) => html`<td>${m.byStatus[st]}</td>`)}</tr>`)}</tbody></table>
<h3>All listed facts</h3>${facts.length > 0 ? overview : html`<p>No facts match.</p>`}
</section>
<section id="facts">${report.models.map(
    (m) => html`<section class="model" id="model-${m.modelId}"><h2>${m.modelId}</h2>${m.attributes.map(
      (a) => html`<section class="attribute"><h3>${a.attribute}</h3>${a.facts.map((x) => factArticle(x, index.get(x)!))}</section>`,
    )}</section>`,
  )}</section>
<section id="reliability"><h2>Source reliability</h2>
<p>Per source and attribute: how many of its claims this week agreed with the final value.</p>
<table class="sortable" id="reliability-table"><thead><tr><th>Source</th><th>Attribute</th><th>Claims</th><th>Agreed</th><th>Share</th></tr></thead>
<tbody>${report.reliability.map(
    (r) =>
      html`<tr><td>${r.sourceId}</td><td>${r.attribute}</td><td>${r.claims}</td><td>${r.agreed}</td><td data-sort="${r.share}"><span class="share" style="width:${Math.round(r.share * 60)}px"></span>${Math.round(r.share * 100)}%</td></tr>`,
  )}</tbody></table>
</section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`modelfacts conflicts — ${report.week}`)}</title>
<style>${CSS}</style>
</head>
<body>
${body.html}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
