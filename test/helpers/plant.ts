/**
 * Plants hostile text where a fact's candidate is stored: facts hold their
 * candidates by reference (compact storage), so the excerpt and listing go to
 * the claim version, the URL to the page read it was seen on, the flags to the
 * fact version.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../pipelines/store/db.js';

export async function plantCandidate(
  db: Db,
  factId: number,
  /** 0-based position among the fact's candidates. */
  index: number,
  plant: { excerpt?: string; via?: string; url?: string; flags?: string[] },
): Promise<void> {
  const res = (await db.execute(sql`
    select f.candidate_claims[${index + 1}::int]::text as claim, coalesce(f.candidate_pages[${index + 1}::int], c.provenance_id)::text as page,
           jsonb_array_length(coalesce(f.candidate_flags, '[]'::jsonb)) as flagged, cardinality(f.candidate_claims) as n
    from fact_versions f join claim_versions c on c.id = f.candidate_claims[${index + 1}::int] where f.id = ${factId}`)) as unknown as {
    rows: { claim: string; page: string; n: number }[];
  };
  const row = res.rows[0];
  if (!row) throw new Error(`fact ${factId} has no candidate ${index}`);
  if (plant.excerpt !== undefined) await db.execute(sql`update claim_versions c set excerpt = ${plant.excerpt}, head_id = null,
        locator = coalesce((select h.locator from claim_heads h where h.id = c.head_id), '') || c.locator where id = ${row.claim}::bigint`);
  if (plant.via !== undefined) await db.execute(sql`update claim_versions set via = ${plant.via} where id = ${row.claim}::bigint`);
  if (plant.url !== undefined) {
    // a page read of its own for this one candidate: the page's other claims keep their URL
    const copy = (await db.execute(sql`
      insert into provenance (source_id, url, fetched_at, page_hash, extractor_version, stated_as_of)
      select source_id, ${plant.url}, fetched_at, page_hash, extractor_version, stated_as_of from provenance where id = ${row.page}::bigint
      returning id::text`)) as unknown as { rows: { id: string }[] };
    await db.execute(sql`
      update fact_versions f set candidate_pages = (
        select array_agg(case when r.ord = ${index + 1}::int then ${copy.rows[0]!.id}::bigint else coalesce(f.candidate_pages[r.ord], c.provenance_id) end order by r.ord)
        from unnest(f.candidate_claims) with ordinality r(claim_id, ord) join claim_versions c on c.id = r.claim_id)
      where f.id = ${factId}`);
  }
  if (plant.flags !== undefined) {
    await db.execute(sql`
      update fact_versions set candidate_flags = jsonb_set(
        coalesce(candidate_flags, (select jsonb_agg('[]'::jsonb) from generate_series(1, ${row.n}::int))),
        ${`{${index}}`}::text[], ${JSON.stringify(plant.flags)}::jsonb)
      where id = ${factId}`);
  }
}
