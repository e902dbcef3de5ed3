/**
 * The conflict report as ONE self-contained HTML file that stays small at
 * real scale: the summary and a compact table of every listed fact are
 * rendered here; each fact's details (candidates, rule in words, decision,
 * related facts) are opened on demand by a small inline script from a compact
 * JSON block in the same file (strings shared through one table). No external
 * requests; a Content-Security-Policy allows only that script, by hash.
 * Pure: report data in, text out.
 *
 * Escaping: every string from a page or the database goes through escapeHtml
 * in the markup (the `html` template tag escapes each interpolated value
 * unless it is markup this module built itself, Raw); in the JSON block `<`,
 * `>`, `&` and the line separators are \u-escaped, so no data can close the
 * block; the script only ever sets textContent and links http(s) URLs.
 */
import { canonicalValue } from '../schema/keys.js';
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

/**
 * One row per source, page and value: a catalog that lists a model under 40
 * providers with one value reads as one row naming its listings.
 */
function foldCandidates(candidates: readonly ReportCandidate[]): { c: ReportCandidate; vias: string[]; flags: string[] }[] {
  const rows = new Map<string, { c: ReportCandidate; vias: string[]; flags: string[] }>();
  for (const c of candidates) {
    const k = `${c.sourceId}\u0000${c.url}\u0000${canonicalValue(c.value)}`;
    const row = rows.get(k);
    if (row) {
      if (c.via) row.vias.push(c.via);
      row.flags = [...new Set([...row.flags, ...c.flags])].sort();
    } else rows.set(k, { c, vias: c.via ? [c.via] : [], flags: [...c.flags] });
  }
  return [...rows.values()];
}

/** Strings the details share (sources, listings, URLs, times, values, flags), each stored once. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/**
 * A fact's details as the script reads them. Candidate:
 * [source, [listings], url, fetched, page-as-of, excerpt, value, [flags], derived-from]
 * (indexes into the string table, except the excerpt and rule words, which are rarely shared).
 */
interface FactDetails {
  /** Rule id and the rule in words. */
  r: [string, string];
  /** Since (valid from). */
  v: string;
  /** Chosen value, or null when no rule decided. */
  ch: string | null;
  c?: { id: number; st: string; re: string | null };
  d?: { v: string; by: string; at: string; n: string; changed: boolean };
  k: (number | number[] | string)[][];
  rel?: string[][];
}

function details(f: ReportFact, strings: Strings): FactDetails {
  const c = f.conflict;
  const d = c?.decision;
  return {
    r: [f.ruleId, ruleWords(f)],
    v: f.validFrom,
    ch: f.chosen ? formatValue(f.chosen) : null,
    ...(c ? { c: { id: c.id, st: c.state, re: c.state === 'reopened' ? c.reason : c.state === 'closed' && c.closedWeek ? `the candidates agree since ${c.closedWeek}` : null } } : {}),
    ...(d ? { d: { v: formatValue(d.value), by: d.by, at: d.at.slice(0, 10), n: d.note, changed: !d.candidatesUnchanged } } : {}),
    k: foldCandidates(f.candidates).map(({ c: x, vias, flags }) => [
      strings.of(x.sourceId),
      vias.map((v) => strings.of(v)),
      strings.of(x.url),
      strings.of(x.fetchedAt.slice(0, 16).replace('T', ' ')),
      strings.of(x.statedAsOf ? x.statedAsOf.date : ''),
      x.excerpt,
      strings.of(formatValue(x.value)),
      flags.map((g) => strings.of(g)),
      x.derived ? strings.of(`derived, not stated: ${x.derived.rule} applied to ${x.derived.from}`) : -1,
    ]),
    ...(f.related.length > 0
      ? { rel: f.related.map((r) => [formatQualifiers(r.qualifiers), r.chosen ? formatValue(r.chosen) : '—', r.status, r.sources.join(', ')]) }
      : {}),
  };
}

/** JSON that can sit inside a <script> data block: nothing in it can end the block or start markup. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
.finder{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.5rem 0;padding:.4rem .6rem;background:#f6f8fa;border:1px solid var(--line);border-radius:6px}
.finder input[type=search]{width:22rem}
button.open{font:inherit;font-weight:600;background:none;border:0;padding:0;color:#0550ae;cursor:pointer;text-align:left}
button.open::before{content:"▸ ";color:var(--muted)}button.open[aria-expanded=true]::before{content:"▾ "}
tr.detail>td{background:#fff;padding:.2rem .4rem .6rem 1.2rem}
tr.detail article.fact{margin:.2rem 0}
#overview tbody tr[hidden]{display:none}
`;

/**
 * The page's one script. Opens a fact's details from the JSON block (built
 * with createElement/textContent only: data never becomes markup), filters
 * the fact table by words, status and state, and sorts tables on header click
 * (numbers numerically, cell data-sort first; stable; open details stay under
 * their fact).
 */
const SCRIPT = `(function () {
  'use strict';
  // the details are parsed the first time they are needed, not while the page opens
  var data = null;
  var S = [];
  function load() {
    if (!data) {
      var block = document.getElementById('report-data');
      data = block ? JSON.parse(block.textContent) : { s: [], f: [] };
      S = data.s;
    }
    return data;
  }
  var ICON = { agreed: '\u2713', 'single-source': '\u2022', 'auto-resolved': '\u2699', 'needs-review': '\u26a0', reviewed: '\u2714' };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var x = arguments[i];
      if (x === null || x === undefined) continue;
      parent.appendChild(typeof x === 'string' ? document.createTextNode(x) : x);
    }
    return parent;
  }
  function link(url) {
    if (/^https?:\\/\\//i.test(url)) {
      var a = el('a', null, url);
      a.setAttribute('href', url);
      a.setAttribute('rel', 'noopener noreferrer nofollow');
      return a;
    }
    return el('span', 'url', url);
  }
  function badge(status) {
    var b = el('span', 'badge st-' + status, (ICON[status] || '') + ' ' + status);
    b.setAttribute('data-status', status);
    return b;
  }
  function para(cls, label, rest) {
    var p = el('p', cls);
    add(p, el('b', null, label), ' ');
    for (var i = 2; i < arguments.length; i++) add(p, arguments[i]);
    return p;
  }
  function candidateRow(k, decided) {
    var flags = k[7].map(function (i) { return S[i]; });
    var tr = el('tr', !decided ? 'cand-open' : flags.indexOf('conflicting') >= 0 ? 'cand-conflicting' : 'cand-agrees');
    var src = el('td', null, S[k[0]]);
    var vias = k[1].map(function (i) { return S[i]; });
    if (vias.length === 1) add(src, ' ', el('span', 'via', 'via ' + vias[0]));
    else if (vias.length > 1) add(src, ' ', el('span', 'via', vias.length + ' listings: ' + vias.join(', ')));
    var value = el('td');
    value.setAttribute('data-sort', S[k[6]]);
    add(value, el('code', null, S[k[6]]));
    if (k[8] >= 0) add(value, el('div', 'via', S[k[8]]));
    var fl = el('td');
    flags.forEach(function (f) { add(fl, el('span', 'flag flag-' + f, f), ' '); });
    var fetched = el('td', null, S[k[3]]);
    fetched.setAttribute('data-sort', S[k[3]]);
    add(tr, src, value, fl, fetched, el('td', null, S[k[4]]), el('td', 'excerpt', k[5]), add(el('td', 'link'), link(S[k[2]])));
    return tr;
  }
  function article(i, row) {
    var f = load().f[i];
    var status = row.getAttribute('data-status');
    var a = el('article', 'fact st-' + status);
    a.setAttribute('data-status', status);
    a.setAttribute('data-attribute', row.getAttribute('data-attribute'));
    var meta = el('span', 'meta');
    if (f.c) add(meta, 'conflict #' + f.c.id + ' ', el('span', 'state state-' + f.c.st, f.c.st));
    else add(meta, 'no conflict record');
    add(meta, ' \u00b7 confidence ' + row.cells[5].textContent + ' \u00b7 since ' + f.v);
    add(a, add(el('header'), badge(status), ' ', el('span', 'attr', row.getAttribute('data-attribute')), ' ', el('span', 'model', row.cells[0].textContent), meta));
    add(a, para('chosen', 'Chosen:', f.ch !== null ? el('code', null, f.ch) : el('em', null, 'none \u2014 no rule decided; a reviewer must choose')));
    add(a, para('rule', 'Why (' + f.r[0] + '):', f.r[1]));
    if (f.c && f.c.re) add(a, para('reopened', f.c.st === 'closed' ? 'Closed:' : 'Re-opened:', f.c.re));
    if (f.d) add(a, para('decision', 'Decision:', el('code', null, f.d.v), ' by ' + f.d.by + ' on ' + f.d.at + ': ' + f.d.n + (f.d.changed ? ' (the candidates have changed since)' : '')));
    if (f.c && f.c.st !== 'resolved' && f.c.st !== 'closed') add(a, el('p', 'howto', 'Decide: modelfacts resolve ' + f.c.id + ' --value <value> --note <why>'));
    var table = el('table', 'sortable candidates');
    var head = el('tr');
    ['Source', 'Value', 'Flags', 'Fetched (UTC)', 'Page as of', 'Excerpt', 'URL'].forEach(function (h) { add(head, el('th', null, h)); });
    add(table, add(el('thead'), head));
    var body = el('tbody');
    f.k.forEach(function (k) { add(body, candidateRow(k, f.ch !== null)); });
    add(a, add(table, body));
    sortable(table);
    if (f.rel) {
      var det = el('details', 'related');
      det.open = true;
      add(det, el('summary', null, 'Matched against ' + f.rel.length + ' related fact(s)'));
      var ul = el('ul');
      f.rel.forEach(function (r) { add(ul, add(el('li'), el('code', null, r[0]), ': ', el('code', null, r[1]), ' ', badge(r[2]), ' (' + r[3] + ')')); });
      add(a, add(det, ul));
    }
    return a;
  }
  var open = {};
  function toggle(row, show) {
    var i = Number(row.getAttribute('data-i'));
    var button = row.querySelector('button.open');
    var shown = open[i];
    if (show === undefined) show = !shown;
    if (show && !shown) {
      var tr = el('tr', 'detail');
      tr.id = 'd' + i;
      var td = el('td');
      td.colSpan = row.cells.length;
      add(tr, add(td, article(i, row)));
      row.parentNode.insertBefore(tr, row.nextSibling);
      open[i] = tr;
    } else if (!show && shown) {
      shown.parentNode.removeChild(shown);
      delete open[i];
    }
    if (button) button.setAttribute('aria-expanded', show ? 'true' : 'false');
  }
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
    var rows = Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains('detail'); })
      .map(function (r, i) { return { r: r, i: i, k: key(r.cells[index]) }; });
    rows.sort(function (a, b) { var c = cmp(a.k, b.k); return (dir === 'ascending' ? c : -c) || a.i - b.i; });
    rows.forEach(function (x) {
      body.appendChild(x.r);
      var d = x.r.hasAttribute('data-i') ? open[Number(x.r.getAttribute('data-i'))] : null;
      if (d) body.appendChild(d);
    });
  }
  function sortable(table) {
    Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (th) {
      th.tabIndex = 0;
      th.title = 'sort by this column';
      th.addEventListener('click', function () { sortBy(th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(th); }
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);

  var overview = document.getElementById('overview');
  var rows = overview ? Array.prototype.slice.call(overview.tBodies[0].rows) : [];
  var words = {};
  function haystack(row) {
    var i = Number(row.getAttribute('data-i'));
    if (words[i] === undefined) {
      var f = load().f[i];
      var parts = [row.textContent, f.r[1]];
      f.k.forEach(function (k) { parts.push(S[k[0]], S[k[2]], S[k[6]], k[5]); k[1].forEach(function (v) { parts.push(S[v]); }); });
      words[i] = parts.join(' ').toLowerCase();
    }
    return words[i];
  }
  var q = document.getElementById('find-q');
  var st = document.getElementById('find-status');
  var cs = document.getElementById('find-state');
  var shownCount = document.getElementById('find-shown');
  var onlyModel = document.getElementById('find-model');
  var model = '';
  function apply() {
    var text = q ? q.value.trim().toLowerCase() : '';
    var status = st ? st.value : '';
    var state = cs ? cs.value : '';
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!status || row.getAttribute('data-status') === status) &&
        (!state || row.getAttribute('data-state') === state) &&
        (!model || row.cells[0].textContent === model) &&
        (!text || haystack(row).indexOf(text) >= 0);
      row.hidden = !ok;
      var d = open[Number(row.getAttribute('data-i'))];
      if (d) d.hidden = !ok;
      if (ok) n++;
    });
    if (shownCount) shownCount.textContent = String(n);
    if (onlyModel) onlyModel.textContent = model ? 'model ' + model + ' only' : '';
  }
  [q, st, cs].forEach(function (x) { if (x) x.addEventListener('input', apply); });
  var expand = document.getElementById('find-open');
  if (expand) expand.addEventListener('click', function () { rows.forEach(function (r) { if (!r.hidden) toggle(r, true); }); });
  var collapse = document.getElementById('find-close');
  if (collapse) collapse.addEventListener('click', function () { rows.forEach(function (r) { toggle(r, false); }); });
  var reset = document.getElementById('find-reset');
  if (reset) reset.addEventListener('click', function () { model = ''; if (q) q.value = ''; if (st) st.value = ''; if (cs) cs.value = ''; apply(); });
  if (overview) overview.tBodies[0].addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button.open') : null;
    if (b) toggle(b.closest('tr'));
  });
  function follow() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (h.indexOf('model-') === 0) {
      model = h.slice(6);
      apply();
      if (overview) overview.scrollIntoView();
    } else if (/^f\\d+$/.test(h)) {
      var row = document.getElementById(h);
      if (row) { row.hidden = false; toggle(row, true); row.scrollIntoView(); }
    }
  }
  window.addEventListener('hashchange', follow);
  follow();
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

export function renderHtml(report: ConflictReport): string {
  const s = report.summary;
  const f = report.filters;
  const facts = report.models.flatMap((m) => m.attributes.flatMap((a) => a.facts));
  const strings = new Strings();
  const factDetails = facts.map((x) => details(x, strings));

  const overview = html`<table class="sortable" id="overview">
<thead><tr><th>Model</th><th>Attribute</th><th>Qualifiers</th><th>Status</th><th>Chosen</th><th>Confidence</th><th>Conflict</th><th>State</th><th>Sources</th></tr></thead>
<tbody>${facts.map((x, i) => {
    const q = formatQualifiers(x.qualifiers);
    return html`<tr id="${anchor(i)}" data-i="${i}" data-status="${x.status}" data-attribute="${x.attribute}"${x.conflict ? html` data-state="${x.conflict.state}"` : ''}>
<td>${x.modelId}</td><td><button type="button" class="open" aria-expanded="false" title="show the candidates">${x.attribute}</button></td><td>${q ? html`<code>${q}</code>` : ''}</td>
<td data-sort="${STATUS_RANK[x.status]}">${badge(x.status)}</td>
<td data-sort="${valueSortKey(x.chosen)}">${x.chosen ? formatValue(x.chosen) : '—'}</td>
<td>${x.confidence.toFixed(2)}</td>
<td>${x.conflict ? x.conflict.id : ''}</td><td>${x.conflict ? stateBadge(x.conflict.state) : ''}</td>
<td>${x.sources.join(', ')}</td></tr>`;
  })}</tbody></table>`;

  const problems =
    report.sourceProblems.length === 0
      ? html`<p>${report.run ? 'None: every source was ok in this run.' : 'No run recorded for this week.'}</p>`
      : html`<table class="sortable" id="source-problems"><thead><tr><th>Source</th><th>Status</th><th>Reason</th><th>Keeping claims from</th></tr></thead><tbody>${report.sourceProblems.map(
          (p) =>
            html`<tr class="problem"><td>${p.sourceId}</td><td>${p.status}</td><td>${p.reason ?? 'no reason recorded'}</td><td>${p.lastGoodWeek ?? ''}</td></tr>`,
        )}</tbody></table>`;

  const finder = html`<div class="finder" role="search">
<label>Find <input type="search" id="find-q" placeholder="model, value, source, URL, excerpt"></label>
<label>status <select id="find-status"><option value="">any</option>${f.statuses.map((st) => html`<option value="${st}">${st}</option>`)}</select></label>
<label>conflict state <select id="find-state"><option value="">any</option>${['open', 'reopened', 'resolved', 'deferred', 'closed'].map((st) => html`<option value="${st}">${st}</option>`)}</select></label>
<span><b id="find-shown">${facts.length}</b> of ${facts.length} shown <span id="find-model"></span></span>
<button type="button" id="find-reset">show all</button> <button type="button" id="find-open">open the shown</button> <button type="button" id="find-close">close all</button>
</div>`;

  const body = html`<header>
<h1>Conflict report — week ${report.week}</h1>
<p class="sub">Generated ${report.generatedAt} from ${report.run ? `run ${report.run.id} (${report.run.mode}, ${report.run.status}, started ${report.run.startedAt})` : 'no recorded run'}.
Listing ${f.statuses.join(', ')}${f.states ? `; conflict states ${f.states.join(', ')}` : ''}${f.model ? `; model ${f.model}` : ''}${f.source ? `; source ${f.source}` : ''}.</p>
</header>
<section id="sources"><h2>Sources with problems in this run</h2>${problems}</section>
<section id="summary"><h2>Summary</h2>
<p>${s.listed} facts listed, of ${s.facts} in scope this week. Conflicts listed: ${s.byState.open} open, ${s.byState.reopened} re-opened, ${s.byState.resolved} resolved, ${s.byState.deferred} deferred, ${s.byState.closed} closed.</p>
<ul class="counts">${FACT_STATUSES.map((st) => html`<li>${badge(st)} <b class="count" data-status="${st}">${s.byStatus[st]}</b></li>`)}</ul>
<details${s.byModel.length <= 30 ? ' open' : ''}><summary>Per model (${s.byModel.length})</summary>
<table class="sortable" id="per-model"><thead><tr><th>Model</th><th>Listed</th>${FACT_STATUSES.map((st) => html`<th>${st}</th>`)}</tr></thead>
<tbody>${s.byModel.map((m) => html`<tr><td><a href="#model-${m.modelId}">${m.modelId}</a></td><td>${m.listed}</td>${FACT_STATUSES.map((st) => html`<td>${m.byStatus[st]}</td>`)}</tr>`)}</tbody></table></details>
</section>
<section id="facts"><h2>Facts</h2>
<p>One row per listed fact; open one (or all the shown) for its candidates with source, URL, fetch time, excerpt and flags, the rule in words, and any decision.</p>
${facts.length > 0 ? html`${finder}${overview}` : html`<p>No facts match.</p>`}
</section>
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
<script type="application/json" id="report-data">${scriptJson({ s: strings.list, f: factDetails })}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
