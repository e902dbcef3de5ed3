/**
 * Plants hostile text where a fact's candidate is stored: facts hold their
 * candidates by reference (compact storage), so the excerpt and listing go to
 * the claim version, the URL to the page read it was seen on, the flags to the
 * fact version's packed references (a flag name no rule makes is added to the
 * database's fact_flag_names(), the list its masks are read with).
 */
import { sql } from 'drizzle-orm';
import { packCandidateRefs, unpackCandidateRefs } from '../../pipelines/store/candidate-refs.js';
import type { Db } from '../../pipelines/store/db.js';

export async function plantCandidate(
  db: Db,
  factId: number,
  /** 0-based position among the fact's candidates. */
  index: number,
  plant: { excerpt?: string; via?: string; url?: string; flags?: string[] },
): Promise<void> {
  const res = (await db.execute(sql`
    select encode(f.candidate_refs, 'hex') as refs, c.provenance_id::text as own_page
    from fact_versions f, fact_candidate_refs(f.candidate_refs) r join claim_versions c on c.id = r.claim_id
    where f.id = ${factId} order by r.ord`)) as unknown as { rows: { refs: string; own_page: string }[] };
  if (!res.rows[0]) throw new Error(`fact ${factId} is not stored`);
  // the flag names the database reads masks with (a name no rule makes is added to them, as a database could hold it)
  const names = (
    (await db.execute(sql`select fact_flag_names() as names`)) as unknown as { rows: { names: string[] }[] }
  ).rows[0]!.names;
  const refs = unpackCandidateRefs<string>(res.rows[0].refs, names);
  const claim = refs.claims[index];
  if (claim === undefined) throw new Error(`fact ${factId} has no candidate ${index}`);
  if (plant.excerpt !== undefined) await db.execute(sql`update claim_versions c set excerpt = ${plant.excerpt}, head_id = null,
        locator = coalesce((select h.locator from claim_heads h where h.id = c.head_id), '') || c.locator where id = ${claim}`);
  if (plant.via !== undefined) await db.execute(sql`update claim_versions set via = ${plant.via} where id = ${claim}`);
  let pages = refs.pages;
  if (plant.url !== undefined) {
    // a page read of its own for this one candidate: the page's other claims keep their URL
    const page = refs.pages?.[index] ?? Number(res.rows[index]!.own_page);
    const copy = (await db.execute(sql`
      insert into provenance (source_id, url, fetched_at, page_hash, extractor_version, stated_as_of)
      select source_id, ${plant.url}, fetched_at, page_hash, extractor_version, stated_as_of from provenance where id = ${page}
      returning id`)) as unknown as { rows: { id: number | string }[] };
    pages = refs.claims.map((_, i) => (i === index ? Number(copy.rows[0]!.id) : (refs.pages?.[i] ?? null)));
  }
  let flags = refs.flags;
  let flagNames = names;
  if (plant.flags !== undefined) {
    const unknown = plant.flags.filter((f) => !names.includes(f));
    if (unknown.length > 0) {
      flagNames = [...names, ...unknown];
      await db.execute(
        sql.raw(`create or replace function fact_flag_names() returns text[] language sql immutable parallel safe as $f$
          select array[${flagNames.map((n) => `'${n.replaceAll("'", "''")}'`).join(', ')}]::text[] $f$`),
      );
    }
    flags = refs.claims.map((_, i) => (i === index ? plant.flags! : (refs.flags?.[i] ?? [])));
  }
  const packed = packCandidateRefs({ claims: refs.claims, pages, flags }, flagNames);
  await db.execute(sql`update fact_versions set candidate_refs = decode(${packed}, 'hex') where id = ${factId}`);
}
