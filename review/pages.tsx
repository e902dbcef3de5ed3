/** The smaller pages: runs, the decision log, one conflict's history, a page diff, the bulk confirmation, the model list. */
import { formatValue } from '../cli/format.js';
import { modelHref } from './layout.js';
import type { LoggedDecision } from '../pipelines/store/decisions.js';
import type { RunRow } from '../pipelines/store/runs-page.js';
import type { Value } from '../schema/values.js';

export function RunsBody({ runs }: { runs: RunRow[] }) {
  return (
    <>
      <h1>Runs</h1>
      {runs.map((r) => (
        <section class={`run run-${r.status}`}>
          <h2>
            Run {r.id} · week {r.week} · <span class={`badge run-${r.status}`}>{r.status}</span> <small>{r.mode}, started {r.startedAt.slice(0, 16).replace('T', ' ')}</small>
          </h2>
          <table class="sources">
            <thead>
              <tr>
                <th>source</th>
                <th>status</th>
                <th>reason</th>
                <th>pages</th>
                <th>claims</th>
                <th>problems</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.sourceStatus)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([id, s]) => (
                  <tr class={`src-${s.status}`}>
                    <td>{id}</td>
                    <td>
                      <span class={`badge src-${s.status}`}>{s.status}</span>
                      {s.status === 'quarantined' ? <div class="note">{s.claims} claims held back, last good week {s.lastGoodWeek ?? '—'}</div> : null}
                      {s.status === 'stale' ? <div class="note">kept from {s.lastGoodWeek ?? '—'}</div> : null}
                    </td>
                    <td>{s.reason ?? ''}</td>
                    <td>{s.pages}</td>
                    <td>{s.claims}</td>
                    <td>{s.issues}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {r.issueCount > 0 ? (
            <details>
              <summary>
                {r.issueCount} extraction problem{r.issueCount === 1 ? '' : 's'}
                {r.issueCount > r.issues.length ? ` (first ${r.issues.length})` : ''}
              </summary>
              <ul class="issues">
                {r.issues.map((i) => (
                  <li>
                    <b>{i.sourceId}</b> {i.url}: {i.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      ))}
    </>
  );
}

const actionWords = (d: LoggedDecision) =>
  d.action === 'reject'
    ? `rejected ${d.sourceId}${d.via ? ` (via ${d.via})` : ''}`
    : d.action === 'defer'
      ? 'deferred'
      : `${d.action} ${d.value ? formatValue(d.value as Value) : ''}`;

export function DecisionTable({ log }: { log: LoggedDecision[] }) {
  return (
    <table class="decisions">
      <thead>
        <tr>
          <th>#</th>
          <th>conflict</th>
          <th>decision</th>
          <th>by</th>
          <th>when</th>
          <th>week</th>
          <th>note</th>
          <th>supersedes</th>
          <th>candidates seen</th>
        </tr>
      </thead>
      <tbody>
        {log.map((d) => (
          <tr>
            <td>{d.id}</td>
            <td>
              <a href={`/conflicts/${d.conflictId}`}>#{d.conflictId}</a> <span class="meta">{d.factKey}</span>
            </td>
            <td class={`dec dec-${d.action}`}>{actionWords(d)}</td>
            <td>{d.by}</td>
            <td>{d.at.slice(0, 19).replace('T', ' ')}</td>
            <td>{d.week}</td>
            <td>{d.note}</td>
            <td>{d.supersedes ? `#${d.supersedes}` : ''}</td>
            <td class="seen">{d.candidates.map((c) => `${c.sourceId}${c.via ? `:${c.via}` : ''}=${formatValue(c.value as Value)}`).join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConfirmBody(props: { action: string; note: string; ids: number[]; labels: Map<number, string>; csrf: string; back: string }) {
  return (
    <>
      <h1>Confirm: {props.action} {props.ids.length} conflicts</h1>
      <ul class="confirm-list">
        {props.ids.map((id) => (
          <li>
            #{id} {props.labels.get(id) ?? ''}
          </li>
        ))}
      </ul>
      {props.note ? <p>Note: {props.note}</p> : null}
      <form method="post" action="/bulk" class="confirm">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="action" value={props.action} />
        <input type="hidden" name="note" value={props.note} />
        <input type="hidden" name="back" value={props.back} />
        <input type="hidden" name="confirm" value="yes" />
        {props.ids.map((id) => (
          <input type="hidden" name="ids" value={String(id)} />
        ))}
        <button type="submit" id="confirm-bulk">
          Yes, {props.action} these {props.ids.length}
        </button>{' '}
        <a href={props.back}>cancel</a>
      </form>
    </>
  );
}

export function DiffBody({ url, from, to, patch }: { url: string; from: string; to: string; patch: string }) {
  return (
    <>
      <h1>Page text diff</h1>
      <p>
        {url}: {from} → {to}
      </p>
      <pre class="diff">
        {patch.split('\n').map((l) => (
          <span class={l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : ''}>{`${l}\n`}</span>
        ))}
      </pre>
    </>
  );
}

export function ModelsBody({ models, q, week }: { models: { modelId: string; facts: number; review: number }[]; q: string; week: string }) {
  return (
    <>
      <h1>
        Models <small>week {week}</small>
      </h1>
      <form method="get" action="/models" class="filters">
        <input type="search" name="q" value={q} placeholder="search model ids" aria-label="search models" /> <button type="submit">Search</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>model</th>
            <th>facts</th>
            <th>need review</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr>
              <td>
                <a href={`${modelHref(m.modelId)}?week=${encodeURIComponent(week)}`}>{m.modelId}</a>
              </td>
              <td>{m.facts}</td>
              <td>{m.review}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
