/** The review queue: filters, one page of conflicts, each with its candidates and the actions a reviewer can take. */
import { formatQualifiers, formatValue } from '../cli/format.js';
import { ruleIdOf, ruleWords } from '../pipelines/report/conflicts.js';
import type { QueueItem, QueuePage } from '../pipelines/store/review-queue.js';
import { CandidateTable } from './candidates.js';
import { modelHref } from './layout.js';
import { majorityVote } from './majority.js';

export interface QueueView {
  page: QueuePage;
  query: Record<string, string>;
  facets: { attributes: string[]; rules: string[]; sources: string[]; flags: string[] };
  csrf: string;
  changedPages: ReadonlySet<string>;
  previousWeek: string | null;
  /** This page's own address, where actions return to. */
  back: string;
  /** Every candidate row (a conflict's own page); the queue shows at most QUEUE_ROWS per item. */
  full?: boolean;
}

/** Candidate rows per queue item (each value keeps one; the conflict's page has them all). */
export const QUEUE_ROWS = 6;

const STATUS_WORDS: Record<string, string> = {
  'needs-review': 'needs review',
  'auto-resolved': 'auto-resolved',
  reviewed: 'reviewed',
  agreed: 'agreed',
  'single-source': 'single source',
};

export const STATE_CHOICES = [
  ['', 'open and re-opened'],
  ['open', 'open'],
  ['reopened', 're-opened'],
  ['resolved', 'resolved'],
  ['deferred', 'deferred'],
  ['closed', 'closed (the sources agree now)'],
  ['all', 'all'],
] as const;

function Select(props: { name: string; value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <select name={props.name} id={`f-${props.name}`}>
      {props.options.map(([v, label]) => (
        <option value={v} selected={v === props.value}>
          {label}
        </option>
      ))}
    </select>
  );
}

function Filters({ view }: { view: QueueView }) {
  const q = view.query;
  const any = (xs: string[]) => [['', 'any'] as const, ...xs.map((x) => [x, x] as const)];
  return (
    <form class="filters" method="get" action="/">
      <input type="hidden" name="week" value={view.page.week} />
      <label>
        search <input type="search" name="q" id="f-q" value={q.q ?? ''} placeholder="model, value, URL, excerpt" />
      </label>
      <label>
        model <input type="text" name="model" id="f-model" value={q.model ?? ''} placeholder="creator/slug" />
      </label>
      <label>
        attribute <Select name="attribute" value={q.attribute ?? ''} options={any(view.facets.attributes)} />
      </label>
      <label>
        source <Select name="source" value={q.source ?? ''} options={any(view.facets.sources)} />
      </label>
      <label>
        state <Select name="state" value={q.state ?? ''} options={STATE_CHOICES} />
      </label>
      <label>
        status <Select name="status" value={q.status ?? ''} options={any(['needs-review', 'auto-resolved', 'reviewed'])} />
      </label>
      <label>
        rule <Select name="rule" value={q.rule ?? ''} options={any(view.facets.rules)} />
      </label>
      <label>
        flag <Select name="flag" value={q.flag ?? ''} options={any(view.facets.flags)} />
      </label>
      <label>
        sort{' '}
        <Select
          name="sort"
          value={q.sort ?? 'impact'}
          options={[
            ['impact', 'impact (routes affected)'],
            ['model', 'model'],
            ['confidence', 'lowest confidence'],
          ]}
        />
      </label>
      <button type="submit">Filter</button> <a href={`/?week=${encodeURIComponent(view.page.week)}`}>clear</a>
    </form>
  );
}

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function ActionForm(props: { item: QueueItem; view: QueueView; action: string; children: unknown; id?: string }) {
  return (
    <form method="post" action={`/conflicts/${props.item.conflictId}/decide`} class={`act act-${props.action}`} id={props.id}>
      <Csrf token={props.view.csrf} />
      <input type="hidden" name="action" value={props.action} />
      <input type="hidden" name="back" value={props.view.back} />
      <input type="hidden" name="seen" value={props.item.candidatesHash} />
      {props.children as never}
    </form>
  );
}

export function QueueEntry({ item, view }: { item: QueueItem; view: QueueView }) {
  const q = formatQualifiers(item.qualifiers);
  const ruleId = ruleIdOf(item.rule);
  const vote = majorityVote(item.candidates);
  const chosenKey = item.chosen ? formatValue(item.chosen) : null;
  const sources = [...new Set(item.candidates.map((c) => (c.provenance.via ? `${c.provenance.sourceId}:${c.provenance.via}` : c.provenance.sourceId)))];
  const week = view.page.week;
  const acceptId = `acc-${item.conflictId}`;
  const offered = new Set<string>();
  return (
    <section class={`item state-${item.state} status-${item.status}`} id={`c${item.conflictId}`} data-conflict={String(item.conflictId)} data-fact={item.factKey} tabindex={-1}>
      <header>
        <input type="checkbox" class="pick" name="ids" value={String(item.conflictId)} form="bulk" aria-label={`select conflict ${item.conflictId}`} />
        <a class="model" href={`${modelHref(item.modelId)}?week=${encodeURIComponent(week)}`}>
          {item.modelId}
        </a>{' '}
        <span class="attr">{item.attribute}</span>
        {q ? <span class="quals"> [{q}]</span> : null}
        <span class={`badge status-${item.status}`}>{STATUS_WORDS[item.status] ?? item.status}</span>
        <span class={`badge state-${item.state}`}>{item.state === 'reopened' ? 're-opened' : item.state}</span>
        <span class="meta">
          conflict #{item.conflictId} · impact {item.impact} · confidence {item.confidence.toFixed(2)} · since {item.openedWeek}
          {item.state === 'closed' && item.closedWeek ? ` · closed in ${item.closedWeek}` : ''}
        </span>
      </header>
      <p class="chosen">
        <b>Chosen:</b> <span class="chosen-value">{item.chosen ? formatValue(item.chosen) : 'nothing (no rule decides)'}</span> —{' '}
        <span class="rule-id">{ruleId}</span>: {ruleWords({ rule: item.rule, ruleId })}
      </p>
      <p class="majority">
        <b>Majority vote would choose:</b>{' '}
        {vote.value ? (
          <>
            {formatValue(vote.value)} ({vote.votes} of {vote.of} sources)
          </>
        ) : (
          <>no value: a tie between {vote.tiedWith + 1} values ({vote.votes} sources each)</>
        )}
      </p>
      {item.weights ? (
        <p class="weights">
          <b>Learned weights used:</b>{' '}
          {Object.entries(item.weights)
            .map(([voter, w]) => `${voter} ${w}`)
            .join(', ')}
        </p>
      ) : null}
      {item.state === 'reopened' && item.reason ? <p class="reason">Re-opened: {item.reason}</p> : null}
      {/* one accept form per item; each value's button submits it with that value (form attribute), so a row adds a button, not a form */}
      <ActionForm item={item} view={view} action="accept" id={acceptId}>
        {null}
      </ActionForm>
      <CandidateTable
        candidates={item.candidates}
        qualifiers={item.qualifiers}
        fold
        limit={view.full ? undefined : QUEUE_ROWS}
        moreHref={`/conflicts/${item.conflictId}`}
        changedPages={view.changedPages}
        diffLink={view.previousWeek ? (url) => `/diff?url=${encodeURIComponent(url)}&from=${view.previousWeek}&to=${week}` : undefined}
        actions={(c) => {
          const shown = formatValue(c.value);
          // one button per distinct value, on its first row
          if (offered.has(shown)) return null;
          offered.add(shown);
          return (
            <button type="submit" form={acceptId} name="value" value={JSON.stringify(c.value)} class={chosenKey === shown ? 'accept default-accept' : 'accept'} title={`accept ${shown}`}>
              accept
            </button>
          );
        }}
      />
      <div class="item-actions">
        <ActionForm item={item} view={view} action="override">
          <input type="text" name="value" required placeholder="value, e.g. 0.005 or 2025-10-06" aria-label="override value" />
          <input type="text" name="note" required placeholder="why (required)" aria-label="override note" />
          <button type="submit">override</button>
        </ActionForm>
        <ActionForm item={item} view={view} action="reject">
          <select name="source" aria-label="source to reject">
            {sources.map((s) => (
              <option>{s}</option>
            ))}
          </select>
          <input type="text" name="note" required placeholder="why this source is wrong" aria-label="reject note" />
          <button type="submit">reject source</button>
        </ActionForm>
        <ActionForm item={item} view={view} action="equivalent">
          <button type="submit" title="the candidates mean the same: not a conflict">
            equivalent
          </button>
        </ActionForm>
        <ActionForm item={item} view={view} action="defer">
          <button type="submit">defer</button>
        </ActionForm>
        <a class="history" href={`/conflicts/${item.conflictId}`}>
          history
        </a>
      </div>
    </section>
  );
}

function pageHref(query: Record<string, string>, page: number): string {
  const p = new URLSearchParams({ ...query, page: String(page) });
  return `/?${p.toString()}`;
}

export function QueueBody({ view }: { view: QueueView }) {
  const { page } = view;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const from = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const to = Math.min(page.total, page.page * page.pageSize);
  return (
    <>
      <h1>
        Review queue <small>week {page.week}</small>
      </h1>
      <Filters view={view} />
      <form id="bulk" class="bulk" method="post" action="/bulk">
        <Csrf token={view.csrf} />
        <input type="hidden" name="back" value={view.back} />
        <span>
          With the selected (<span id="picked">0</span>):
        </span>
        <select name="action" aria-label="bulk action">
          <option value="defer">defer</option>
          <option value="equivalent">mark equivalent</option>
        </select>
        <input type="text" name="note" placeholder="note (optional)" aria-label="bulk note" />
        <button type="submit">apply…</button>
        <span class="hint">(you confirm on the next page)</span>
      </form>
      <p class="count">
        {page.total === 0 ? 'Nothing to review with these filters.' : `${from}–${to} of ${page.total} conflicts`}
      </p>
      <div id="items">
        {page.items.map((item) => (
          <QueueEntry item={item} view={view} />
        ))}
      </div>
      <nav class="pager">
        {page.page > 1 ? (
          <a rel="prev" href={pageHref(view.query, page.page - 1)}>
            ← previous
          </a>
        ) : null}
        <span>
          page {page.page} of {pages}
        </span>
        {page.page < pages ? (
          <a rel="next" href={pageHref(view.query, page.page + 1)}>
            next →
          </a>
        ) : null}
      </nav>
    </>
  );
}
