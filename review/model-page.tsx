/** One model: every fact of the week grouped by route and attribute, with status, candidates and provenance, then its price history. */
import { formatQualifiers, formatValue } from '../cli/format.js';
import { ruleIdOf, ruleWords } from '../pipelines/report/conflicts.js';
import type { queryFacts } from '../pipelines/store/queries.js';
import { CandidateTable } from './candidates.js';
import { PriceChart } from './price-chart.js';
import type { PriceChartData } from './price-history.js';

type WeekFact = Awaited<ReturnType<typeof queryFacts>>[number];

export interface ModelView {
  modelId: string;
  week: string;
  facts: WeekFact[];
  conflictIds: ReadonlyMap<string, number>;
  charts: PriceChartData[];
  weeks: string[];
}

export function ModelBody({ view }: { view: ModelView }) {
  const byRoute = new Map<string, WeekFact[]>();
  for (const f of view.facts) {
    const r = f.qualifiers.route ?? '';
    byRoute.set(r, [...(byRoute.get(r) ?? []), f]);
  }
  const routes = [...byRoute.keys()].sort();
  const sources = [...new Set(view.facts.flatMap((f) => f.candidates.map((c) => c.provenance.sourceId)))].sort();
  return (
    <>
      <h1>
        {view.modelId} <small>week {view.week}</small>
      </h1>
      <p class="summary">
        {view.facts.length} facts on {routes.filter(Boolean).length} routes, from {sources.length} sources: {sources.join(', ')}.{' '}
        <a href={`#history`}>Price history ↓</a>
      </p>
      {view.facts.length === 0 ? <p>No facts for this model in week {view.week}.</p> : null}
      {routes.map((route) => (
        <section class="route">
          <h2>{route ? `Route ${route}` : 'The model itself'}</h2>
          {groupByAttribute(byRoute.get(route)!).map(([attribute, list]) => (
            <div class="attr-group">
              <h3>{attribute}</h3>
              {list.map((f) => {
                const ruleId = ruleIdOf(f.rule);
                const q = formatQualifiers({ ...f.qualifiers, route: undefined });
                const conflict = view.conflictIds.get(f.factKey);
                return (
                  <details class={`fact status-${f.status}`} open={f.status === 'needs-review'}>
                    <summary>
                      {q ? <span class="quals">[{q}] </span> : null}
                      <b>{f.chosen ? formatValue(f.chosen) : '—'}</b> <span class={`badge status-${f.status}`}>{f.status}</span>{' '}
                      <span class="meta">
                        {f.candidates.length} candidate{f.candidates.length === 1 ? '' : 's'} · {[...new Set(f.candidates.map((c) => c.provenance.sourceId))].join(', ')}
                      </span>
                      {conflict !== undefined ? (
                        <>
                          {' '}
                          · <a href={`/conflicts/${conflict}`}>conflict #{conflict}</a>
                        </>
                      ) : null}
                    </summary>
                    <p class="rule">
                      <span class="rule-id">{ruleId}</span>: {ruleWords({ rule: f.rule, ruleId })}
                    </p>
                    {f.majority ? (
                      <p class="majority">
                        <b>Majority vote would choose:</b> {formatValue(f.majority)}
                      </p>
                    ) : null}
                    {f.weights ? (
                      <p class="weights">
                        <b>Learned weights used:</b>{' '}
                        {Object.entries(f.weights)
                          .map(([voter, w]) => `${voter} ${w}`)
                          .join(', ')}
                      </p>
                    ) : null}
                    <CandidateTable candidates={f.candidates} qualifiers={f.qualifiers} fold />
                  </details>
                );
              })}
            </div>
          ))}
        </section>
      ))}
      <section id="history">
        <h2>Price history</h2>
        {view.charts.length === 0 ? <p>No prices stored for this model.</p> : null}
        {view.charts.map((c) => (
          <PriceChart chart={c} weeks={view.weeks} />
        ))}
      </section>
    </>
  );
}

function groupByAttribute(list: WeekFact[]): [string, WeekFact[]][] {
  const m = new Map<string, WeekFact[]>();
  for (const f of list) m.set(f.attribute, [...(m.get(f.attribute) ?? []), f]);
  return [...m];
}
