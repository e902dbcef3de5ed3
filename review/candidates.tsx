/** A fact's candidates as a table: value, source, via, URL, fetched / stated time, excerpt, flags. */
import type { Candidate } from '../schema/fact.js';
import type { Qualifiers } from '../schema/qualifiers.js';
import { formatValue } from '../cli/format.js';
import { canonicalValue } from '../schema/keys.js';
import { SafeLink } from './layout.js';

export interface CandidateActions {
  /** Renders the per-candidate buttons (accept, reject) for candidate i. */
  (c: Candidate, i: number): unknown;
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

interface Row {
  c: Candidate;
  /** The listings (via) of one source stating the same value on the same page, folded into this row. */
  vias: string[];
  flags: string[];
}

/** One row per source, page and value: a catalog listing one model under 40 providers reads as one row with its listings. */
function foldRows(candidates: readonly Candidate[], fold: boolean): Row[] {
  if (!fold) return candidates.map((c) => ({ c, vias: c.provenance.via ? [c.provenance.via] : [], flags: c.flags }));
  const rows = new Map<string, Row>();
  for (const c of candidates) {
    const k = `${c.provenance.sourceId}\u0000${c.provenance.url}\u0000${canonicalValue(c.value)}`;
    const row = rows.get(k);
    if (row) {
      if (c.provenance.via) row.vias.push(c.provenance.via);
      row.flags = [...new Set([...row.flags, ...c.flags])].sort();
    } else rows.set(k, { c, vias: c.provenance.via ? [c.provenance.via] : [], flags: c.flags });
  }
  return [...rows.values()];
}

export function CandidateTable(props: {
  candidates: readonly Candidate[];
  qualifiers: Qualifiers;
  changedPages?: ReadonlySet<string>;
  diffLink?: (url: string) => string;
  actions?: CandidateActions;
  /** Fold one source's listings that say the same value into one row. */
  fold?: boolean;
  /** Show at most this many rows (every value still has one), and a link to the full table. */
  limit?: number;
  moreHref?: string;
}) {
  const { changedPages, diffLink, actions } = props;
  const all = foldRows(props.candidates, props.fold ?? false);
  const rows = props.limit !== undefined && all.length > props.limit ? pick(all, props.limit) : all;
  const hidden = all.length - rows.length;
  // a page's diff link once per table (a catalog's listings share one page)
  const diffed = new Set<string>();
  const diffOnce = (url: string) => (changedPages?.has(url) && diffLink && !diffed.has(url) ? (diffed.add(url), true) : false);
  return (
    <table class="cands">
      <thead>
        <tr>
          <th>value</th>
          <th>source</th>
          <th>page</th>
          <th>fetched / stated</th>
          <th>excerpt</th>
          <th>flags</th>
          {actions ? <th></th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ c, vias, flags }, i) => (
          <tr class={flags.includes('conflicting') ? 'conflicting' : ''}>
            <td class="val">{formatValue(c.value)}</td>
            <td>
              {c.provenance.sourceId}
              {vias.length === 1 ? <div class="via">via {vias[0]}</div> : null}
              {vias.length > 1 ? (
                <div class="via">
                  {vias.length} listings: {vias.join(', ')}
                </div>
              ) : null}
            </td>
            <td class="url">
              <SafeLink url={c.provenance.url} />
              {diffOnce(c.provenance.url) ? (
                <div>
                  <a class="diff" href={diffLink!(c.provenance.url)}>
                    page changed: text diff
                  </a>
                </div>
              ) : null}
            </td>
            <td class="time">
              {when(c.provenance.fetchedAt)}
              {c.provenance.statedAsOf ? <div class="stated">says as of {c.provenance.statedAsOf.date}</div> : null}
            </td>
            <td class="excerpt">
              {c.provenance.excerpt}
              {vias.length > 1 ? <div class="via">(the first listing's; all {vias.length} state this value)</div> : null}
            </td>
            <td class="flags">
              {flags.map((f) => (
                <span class={`flag flag-${f}`}>{f}</span>
              ))}
            </td>
            {actions ? <td class="acts">{actions(c, i) as never}</td> : null}
          </tr>
        ))}
        {hidden > 0 ? (
          <tr class="more">
            <td colspan={actions ? 7 : 6}>
              {hidden} more row{hidden === 1 ? '' : 's'}, each repeating a value above{' '}
              {props.moreHref ? <a href={props.moreHref}>(all {all.length} on the conflict's page)</a> : null}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/** At most `limit` rows in their order: first every value's first row, then the others as they come. */
function pick(rows: Row[], limit: number): Row[] {
  const keep = new Set<number>();
  const values = new Set<string>();
  rows.forEach((r, i) => {
    const v = canonicalValue(r.c.value);
    if (!values.has(v)) {
      values.add(v);
      keep.add(i);
    }
  });
  for (let i = 0; i < rows.length && keep.size < limit; i++) keep.add(i);
  return rows.filter((_, i) => keep.has(i));
}
