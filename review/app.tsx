/**
 * The review app (`modelfacts serve`): Hono routes over the database, pages
 * rendered on the server with hono/jsx (which escapes every string), no
 * action by GET, every POST checked for its CSRF token.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { SOURCES } from '../extractors/registry.js';
import { CONFLICT_STATES, findConflict, latestPublishedWeek, parseDecisionValue, ReviewInputError } from '../pipelines/report/conflicts.js';
import type { Database } from '../pipelines/store/db.js';
import { pageDiff } from '../pipelines/report/diff.js';
import { NothingArchivedError } from '../pipelines/store/raw-pages.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { FLAG } from '../schema/flags.js';
import { recordDecision, StaleReviewError, type DecisionInput } from '../pipelines/run/record-decision.js';
import { decisionLog, DECISION_ACTIONS, type DecisionAction } from '../pipelines/store/decisions.js';
import { priceVersions, publishedWeeks } from '../pipelines/store/price-history.js';
import { changedPages, latestRunId, modelConflictIds, queueFacets, queuePage, QUEUE_SORTS, routesPerModel, weekModels, type QueueSort } from '../pipelines/store/review-queue.js';
import { runRows } from '../pipelines/store/runs-page.js';
import { parseWeek } from '../schema/week.js';
import type { Attribute } from '../schema/attributes.js';
import { FactStatus } from '../schema/fact.js';
import { ModelId } from '../schema/ids.js';
import { Layout } from './layout.js';
import { ModelBody } from './model-page.js';
import { ConfirmBody, DecisionTable, DiffBody, ModelsBody, RunsBody } from './pages.js';
import { priceHistory } from './price-history.js';
import { QueueBody, QueueEntry, type QueueView } from './queue.js';
import { checkCsrf, csrfToken, requireToken, securityHeaders } from './security.js';

export interface ReviewAppOptions {
  database: Database;
  /** Who the decisions are recorded as. */
  by: string;
  /** Required on every request when set (any host but loopback must set it). */
  token?: string;
}

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const STATIC: Record<string, { type: string; body: string }> = {
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(STATIC_DIR, 'app.js'), 'utf8') },
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(STATIC_DIR, 'app.css'), 'utf8') },
};

const FLAGS = [...Object.values(FLAG)].sort();
const BULK_ACTIONS: readonly DecisionAction[] = ['defer', 'equivalent'];

/** A query parameter is bad input: 400 with one line, never a stack. */
class BadRequest extends Error {}

function previousWeekOf(weeks: readonly string[], week: string): string | null {
  const i = weeks.indexOf(week);
  return i > 0 ? weeks[i - 1]! : null;
}

/** Only same-site paths are followed after an action (no open redirect). */
function safeBack(back: unknown): string {
  return typeof back === 'string' && back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') ? back : '/';
}

export function createReviewApp(opts: ReviewAppOptions): Hono {
  const { database, by } = opts;
  const db = database.db;
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', requireToken(opts.token));

  // week-level figures that only a refresh changes (decisions do not), kept per week and run
  const cache = new Map<string, Promise<{ facets: Awaited<ReturnType<typeof queueFacets>>; routes: Record<string, number> }>>();
  const weekFigures = async (week: string) => {
    const key = `${week}\u0000${await latestRunId(db)}`;
    let hit = cache.get(key);
    if (!hit) {
      if (cache.size > 16) cache.clear();
      hit = Promise.all([queueFacets(db, week), routesPerModel(db, week)]).then(([facets, routes]) => ({ facets, routes }));
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };

  // the latest week's figures are worked out while the server starts, not on the first reviewer's request
  void latestPublishedWeek(db)
    .then((w) => (w ? weekFigures(w) : undefined))
    .catch(() => undefined);

  const weekOf = async (c: Context): Promise<string> => {
    const w = c.req.query('week');
    if (w) {
      try {
        return parseWeek(w);
      } catch (cause) {
        throw new BadRequest(`week: ${(cause as Error).message}`);
      }
    }
    const latest = await latestPublishedWeek(db);
    if (!latest) throw new BadRequest('nothing has been published yet: run `modelfacts refresh` first');
    return latest;
  };

  const page = (c: Context, title: string, week: string | undefined, body: unknown, status: 200 | 400 | 404 | 409 = 200) =>
    c.html(
      <Layout title={title} week={week} by={by}>
        {body as never}
      </Layout>,
      status,
    );

  app.onError((err, c) => {
    if (err instanceof BadRequest || err instanceof ReviewInputError) {
      const status = err instanceof StaleReviewError ? 409 : err instanceof BadRequest ? 400 : 400;
      return page(c, 'Cannot do that', undefined, <p class="error">{err.message}</p>, status);
    }
    console.error(err);
    return c.html(<p>Internal error: {err.message}</p>, 500);
  });

  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/static/:file', (c) => {
    const f = STATIC[c.req.param('file')];
    if (!f) return c.notFound();
    c.header('Content-Type', f.type);
    return c.body(f.body);
  });

  app.get('/', async (c) => {
    const week = await weekOf(c);
    const q = c.req.query();
    const query: Record<string, string> = {};
    for (const k of ['week', 'q', 'model', 'attribute', 'source', 'state', 'status', 'rule', 'flag', 'sort']) {
      const v = q[k]?.trim();
      if (v) query[k] = v;
    }
    query.week = week;
    const state = query.state;
    if (state && state !== 'all' && !(CONFLICT_STATES as readonly string[]).includes(state)) throw new BadRequest(`state: unknown ${JSON.stringify(state)}`);
    if (query.status && !FactStatus.safeParse(query.status).success) throw new BadRequest(`status: unknown ${JSON.stringify(query.status)}`);
    if (query.sort && !(QUEUE_SORTS as readonly string[]).includes(query.sort)) throw new BadRequest(`sort: unknown ${JSON.stringify(query.sort)}`);
    const pageNo = Number(q.page ?? '1');
    if (!Number.isInteger(pageNo) || pageNo < 1) throw new BadRequest('page must be a whole number from 1');
    const [figures, weeks] = await Promise.all([weekFigures(week), publishedWeeks(db)]);
    const result = await queuePage(db, {
      week,
      routes: figures.routes,
      states: state === 'all' ? CONFLICT_STATES : state ? [state] : undefined,
      statuses: query.status ? [query.status as FactStatus] : undefined,
      model: query.model,
      attribute: query.attribute,
      source: query.source,
      rule: query.rule,
      flag: query.flag,
      search: query.q,
      sort: query.sort as QueueSort | undefined,
      page: pageNo,
    });
    const facets = figures.facets;
    const previousWeek = previousWeekOf(weeks, week);
    const urls = [...new Set(result.items.flatMap((i) => i.candidates.map((x) => x.provenance.url)))];
    const view: QueueView = {
      page: result,
      query,
      facets: { ...facets, sources: SOURCES.map((s) => s.id), flags: FLAGS },
      csrf: csrfToken(c),
      changedPages: previousWeek ? await changedPages(db, urls, week, previousWeek) : new Set(),
      previousWeek,
      back: `/?${new URLSearchParams({ ...query, ...(pageNo > 1 ? { page: String(pageNo) } : {}) }).toString()}`,
    };
    return page(c, 'Review queue', week, <QueueBody view={view} />);
  });

  app.get('/conflicts/:id', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id)) throw new BadRequest('conflict id must be a number');
    const conflict = await findConflict(db, id);
    const week = await weekOf(c);
    const [result, weeks, log] = await Promise.all([queuePage(db, { week, conflictIds: [id] }), publishedWeeks(db), decisionLog(db, { conflictId: id })]);
    const previousWeek = previousWeekOf(weeks, week);
    const item = result.items[0];
    const view: QueueView = {
      page: result,
      query: { week },
      facets: { attributes: [], rules: [], sources: [], flags: [] },
      csrf: csrfToken(c),
      changedPages: item && previousWeek ? await changedPages(db, item.candidates.map((x) => x.provenance.url), week, previousWeek) : new Set(),
      previousWeek,
      back: `/conflicts/${id}`,
      full: true,
    };
    return page(
      c,
      `Conflict ${id}`,
      week,
      <>
        <h1>
          Conflict #{id} <small>{conflict.factKey}</small>
        </h1>
        {item ? <QueueEntry item={item} view={view} /> : <p>No fact for this conflict in week {week}.</p>}
        <h2>Decision history</h2>
        {log.length === 0 ? <p>No decision yet.</p> : <DecisionTable log={log} />}
      </>,
    );
  });

  app.get('/decisions', async (c) => {
    const log = await decisionLog(db);
    return page(
      c,
      'Decisions',
      undefined,
      <>
        <h1>Decision log</h1>
        <p>Every decision, oldest first; a later one on the same conflict supersedes the earlier one, which stays here.</p>
        <DecisionTable log={log} />
      </>,
    );
  });

  app.get('/models', async (c) => {
    const week = await weekOf(c);
    const q = (c.req.query('q') ?? '').trim();
    return page(c, 'Models', week, <ModelsBody models={await weekModels(db, week, q)} q={q} week={week} />);
  });

  app.get('/models/:creator/:slug', async (c) => {
    const modelId = `${c.req.param('creator')}/${c.req.param('slug')}`;
    if (!ModelId.safeParse(modelId).success) throw new BadRequest(`not a model id: ${JSON.stringify(modelId)}`);
    const week = await weekOf(c);
    const [facts, conflictIds, versions, weeks] = await Promise.all([
      queryFacts(db, { model: modelId, asOf: week }),
      modelConflictIds(db, modelId),
      priceVersions(db, modelId),
      publishedWeeks(db),
    ]);
    return page(c, modelId, week, <ModelBody view={{ modelId, week, facts, conflictIds, charts: priceHistory(versions, weeks), weeks }} />);
  });

  app.get('/runs', async (c) => page(c, 'Runs', undefined, <RunsBody runs={await runRows(db)} />));

  app.get('/diff', async (c) => {
    const url = c.req.query('url') ?? '';
    let from: string;
    let to: string;
    try {
      from = parseWeek(c.req.query('from') ?? '');
      to = parseWeek(c.req.query('to') ?? '');
    } catch (cause) {
      throw new BadRequest(`from/to: ${(cause as Error).message}`);
    }
    try {
      return page(c, 'Page diff', to, <DiffBody url={url} from={from} to={to} patch={await pageDiff(db, url, from, to)} />);
    } catch (e) {
      if (e instanceof NothingArchivedError) return page(c, 'Page diff', to, <p class="error">{e.message}</p>, 404);
      throw e;
    }
  });

  /** Builds the decision a form asks for; the value is read as `resolve --value` reads it. */
  async function formDecision(id: number, form: Record<string, string>): Promise<DecisionInput> {
    const action = form.action as DecisionAction;
    if (!DECISION_ACTIONS.includes(action)) throw new BadRequest(`unknown action ${JSON.stringify(form.action)}`);
    const base = { conflictId: id, action, note: form.note ?? '', by, seen: form.seen || undefined };
    if (action === 'accept' || action === 'override') {
      const conflict = await findConflict(db, id);
      return { ...base, value: parseDecisionValue(conflict.attribute as Attribute, form.value ?? '') };
    }
    if (action === 'reject') {
      const [sourceId, ...via] = (form.source ?? '').split(':');
      return { ...base, sourceId, via: via.length ? via.join(':') : null };
    }
    return base;
  }

  const formOf = async (c: Context): Promise<{ fields: Record<string, string>; ids: number[] }> => {
    const body = await c.req.parseBody({ all: true });
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0);
    return { fields, ids };
  };

  app.post('/conflicts/:id/decide', async (c) => {
    const { fields } = await formOf(c);
    const refused = checkCsrf(c, fields);
    if (refused) return refused;
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id)) throw new BadRequest('conflict id must be a number');
    await recordDecision(database, await formDecision(id, fields));
    return c.redirect(`${safeBack(fields.back)}#c${id}`, 303);
  });

  app.post('/bulk', async (c) => {
    const { fields, ids } = await formOf(c);
    const refused = checkCsrf(c, fields);
    if (refused) return refused;
    const action = fields.action as DecisionAction;
    if (!BULK_ACTIONS.includes(action)) throw new BadRequest(`bulk action must be one of ${BULK_ACTIONS.join(', ')}`);
    if (ids.length === 0) throw new BadRequest('select at least one conflict first');
    const back = safeBack(fields.back);
    if (fields.confirm !== 'yes') {
      const week = (await latestPublishedWeek(db)) ?? '';
      const shown = await queuePage(db, { week, conflictIds: ids, pageSize: 200 });
      const labels = new Map(shown.items.map((i) => [i.conflictId, `${i.modelId} ${i.attribute} ${i.factKey.split('|')[2] ?? ''}`]));
      return page(c, 'Confirm', week, <ConfirmBody action={action} note={fields.note ?? ''} ids={ids} labels={labels} csrf={csrfToken(c)} back={back} />);
    }
    for (const id of ids) await recordDecision(database, { conflictId: id, action, note: fields.note ?? '', by });
    return c.redirect(back, 303);
  });

  return app;
}
