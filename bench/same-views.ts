/**
 * Checks that two databases publish the same claims and facts: every row of
 * the `claims` and `facts` views (and `facts_as_of` for each stored week),
 * as JSON, compared in id order. Used to show a storage or speed change keeps
 * what is published: replay the same weeks with the old and the new code into
 * two databases, then
 *   node --import tsx bench/same-views.ts <database url A> <database url B>
 * Prints the row counts, or the first difference and exits 1.
 */
import pg from 'pg';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: bench/same-views.ts <database url A> <database url B>');
  process.exit(2);
}

async function dump(url: string, text: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ j: string }>(text)).rows.map((r) => r.j);
  } finally {
    await c.end();
  }
}

const weeks = await dump(a, `select distinct week as j from runs order by 1`);
const queries: [string, string][] = [
  ['claims', `select to_jsonb(c)::text as j from claims c order by id`],
  ['facts', `select to_jsonb(f)::text as j from facts f order by id`],
  ...weeks.map((w): [string, string] => [
    `facts_as_of(${w})`,
    `select to_jsonb(v)::text as j from facts_as_of('${w.replace(/'/g, "''")}') v order by model_id, attribute, qualifiers_key`,
  ]),
];
let failed = false;
for (const [name, q] of queries) {
  const [x, y] = await Promise.all([dump(a, q), dump(b, q)]);
  const i = x.findIndex((r, k) => r !== y[k]);
  if (x.length !== y.length || i >= 0) {
    failed = true;
    console.log(`${name}: ${x.length} vs ${y.length} rows; first difference at row ${i < 0 ? Math.min(x.length, y.length) : i}:`);
    console.log(`  A: ${x[i < 0 ? y.length : i]?.slice(0, 400)}`);
    console.log(`  B: ${y[i < 0 ? x.length : i]?.slice(0, 400)}`);
  } else console.log(`${name}: ${x.length} rows, identical`);
}
process.exit(failed ? 1 : 0);
