-- Narrower version rows (issue 17): what thousands of claim versions repeat is
-- stored once and referenced. Qualifiers (with their key) and values, a
-- claim's and a fact's, live in qualifier_sets and claim_values (a fact
-- version keeps its qualifiers_key, which its key index holds);
-- the start of a claim's excerpt and locator (the model entry they are read
-- from, shared by that entry's claims) in claim_heads, the rest in the row.
-- Content and candidate hashes are stored as bytes, not hex text. The index on
-- fact_versions (model_id, attribute) goes: fact_versions_key_week_idx starts
-- with the same columns. A run's model names are stored as the changes to
-- each source's latest set. The views keep their columns and what they read.
CREATE TABLE "claim_heads" (
	"id" serial PRIMARY KEY NOT NULL,
	"excerpt" text NOT NULL,
	"locator" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qualifier_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"qualifiers" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_values" (
	"id" serial PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
DROP VIEW "current_facts";
--> statement-breakpoint
DROP VIEW "route_prices";
--> statement-breakpoint
DROP FUNCTION "facts_as_of"(text);
--> statement-breakpoint
DROP VIEW "current_claims";
--> statement-breakpoint
DROP VIEW "facts";
--> statement-breakpoint
DROP VIEW "claims";
--> statement-breakpoint
DROP FUNCTION "fact_candidates"(bigint[], bigint[], jsonb);
--> statement-breakpoint
INSERT INTO "qualifier_sets" ("key", "qualifiers")
SELECT "qualifiers_key", "qualifiers" FROM "claim_versions" UNION SELECT "qualifiers_key", "qualifiers" FROM "fact_versions";
--> statement-breakpoint
INSERT INTO "claim_values" ("value")
SELECT "value" FROM "claim_versions" UNION SELECT "chosen" FROM "fact_versions" WHERE "chosen" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "claim_versions" ADD COLUMN "head_id" integer;
--> statement-breakpoint
ALTER TABLE "claim_versions" ADD COLUMN "qualifiers_id" integer;
--> statement-breakpoint
ALTER TABLE "claim_versions" ADD COLUMN "value_id" integer;
--> statement-breakpoint
UPDATE "claim_versions" c SET "qualifiers_id" = q."id", "value_id" = v."id"
FROM "qualifier_sets" q, "claim_values" v
WHERE q."key" = c."qualifiers_key" AND q."qualifiers" = c."qualifiers" AND v."value" = c."value";
--> statement-breakpoint
ALTER TABLE "claim_versions" DROP COLUMN "qualifiers_key";
--> statement-breakpoint
ALTER TABLE "claim_versions" DROP COLUMN "qualifiers";
--> statement-breakpoint
ALTER TABLE "claim_versions" DROP COLUMN "value";
--> statement-breakpoint
ALTER TABLE "claim_versions" ALTER COLUMN "qualifiers_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "claim_versions" ALTER COLUMN "value_id" SET NOT NULL;
--> statement-breakpoint
-- a type change rewrites the table: the dropped columns' bytes go with it
ALTER TABLE "claim_versions" ALTER COLUMN "content_hash" SET DATA TYPE bytea USING decode("content_hash", 'hex');
--> statement-breakpoint
ALTER TABLE "fact_versions" ADD COLUMN "chosen_id" integer;
--> statement-breakpoint
ALTER TABLE "fact_versions" ADD COLUMN "qualifiers_id" integer;
--> statement-breakpoint
UPDATE "fact_versions" f SET "chosen_id" = v."id" FROM "claim_values" v WHERE v."value" = f."chosen";
--> statement-breakpoint
UPDATE "fact_versions" f SET "qualifiers_id" = q."id" FROM "qualifier_sets" q WHERE q."key" = f."qualifiers_key" AND q."qualifiers" = f."qualifiers";
--> statement-breakpoint
ALTER TABLE "fact_versions" DROP COLUMN "chosen";
--> statement-breakpoint
ALTER TABLE "fact_versions" DROP COLUMN "qualifiers";
--> statement-breakpoint
ALTER TABLE "fact_versions" ALTER COLUMN "qualifiers_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "fact_versions" ALTER COLUMN "content_hash" SET DATA TYPE bytea USING decode("content_hash", 'hex');
--> statement-breakpoint
ALTER TABLE "fact_versions" ALTER COLUMN "candidates_hash" SET DATA TYPE bytea USING decode("candidates_hash", 'hex');
--> statement-breakpoint
DROP INDEX "fact_versions_model_idx";
--> statement-breakpoint
-- Model names as changes to each source's latest set: a row is in it until the run that changed or dropped it.
ALTER TABLE "model_names" ADD COLUMN "until_run_id" integer;
--> statement-breakpoint
UPDATE "model_names" m SET "until_run_id" = (SELECT min(m2."run_id") FROM "model_names" m2 WHERE m2."source_id" = m."source_id" AND m2."run_id" > m."run_id");
--> statement-breakpoint
CREATE INDEX "model_names_current_idx" ON "model_names" USING btree ("source_id") WHERE until_run_id is null;
--> statement-breakpoint
-- A fact version's candidates as the facts table stored them: value, provenance, flags, in order.
CREATE FUNCTION "fact_candidates"(claim_ids bigint[], page_ids bigint[], flags jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
      'value', v.value,
      'provenance', jsonb_build_object('sourceId', c.source_id, 'url', p.url,
          'fetchedAt', to_char(p.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'excerpt', coalesce(h.excerpt, '') || c.excerpt, 'locator', coalesce(h.locator, '') || c.locator,
          'extractorVersion', p.extractor_version, 'pageHash', p.page_hash)
        || CASE WHEN p.stated_as_of IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('statedAsOf', p.stated_as_of) END
        || CASE WHEN c.via IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('via', c.via) END
        || CASE WHEN c.derived IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('derived', c.derived) END,
      'flags', coalesce(flags -> (r.ord::int - 1), '[]'::jsonb))
    ORDER BY r.ord), '[]'::jsonb)
  FROM unnest(claim_ids, page_ids) WITH ORDINALITY AS r(claim_id, page_id, ord)
  JOIN claim_versions c ON c.id = r.claim_id
  JOIN claim_values v ON v.id = c.value_id
  LEFT JOIN claim_heads h ON h.id = c.head_id
  JOIN provenance p ON p.id = coalesce(r.page_id, c.provenance_id)
$$;
--> statement-breakpoint
-- The claims table as it was: one row per claim version, with its page's provenance.
CREATE VIEW "claims" AS
SELECT c.id,
       c.source_id || '|' || p.url || '|' || c.model_id || '|' || c.attribute || '|' || q.key || '|' || coalesce(c.via, '') AS identity,
       encode(c.content_hash, 'hex') AS content_hash, c.source_id, c.model_id, c.attribute, q.key AS qualifiers_key, q.qualifiers,
       v.value, c.amount_usd, c.via, p.url, p.fetched_at,
       coalesce(h.excerpt, '') || c.excerpt AS excerpt, coalesce(h.locator, '') || c.locator AS locator,
       p.extractor_version, p.page_hash, p.stated_as_of, c.run_id, c.valid_from, c.valid_to, c.derived
FROM claim_versions c
JOIN provenance p ON p.id = c.provenance_id
JOIN qualifier_sets q ON q.id = c.qualifiers_id
JOIN claim_values v ON v.id = c.value_id
LEFT JOIN claim_heads h ON h.id = c.head_id;
--> statement-breakpoint
-- The facts table as it was: one row per fact version, its candidates built from the references.
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || f.qualifiers_key AS fact_key, encode(f.content_hash, 'hex') AS content_hash,
       f.model_id, f.attribute, f.qualifiers_key, q.qualifiers, (SELECT v.value FROM claim_values v WHERE v.id = f.chosen_id) AS chosen, f.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = f.rule_head) || coalesce('. ' || f.rule_tail, '') AS rule,
       f.confidence, f.status,
       fact_candidates(f.candidate_claims, f.candidate_pages, f.candidate_flags) AS candidates,
       encode(f.candidates_hash, 'hex') AS candidates_hash, f.related, f.run_id, f.valid_from, f.valid_to,
       f.majority,
       CASE WHEN f.weight_voters IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(v.voter, coalesce(w.applied, 1) ORDER BY v.voter)
          FROM unnest(f.weight_voters) AS v(voter)
          LEFT JOIN week_reliability w ON w.week = f.valid_from AND w.kind = 'voter' AND w.voter = v.voter AND w.attribute = f.attribute)
       END AS weights
FROM fact_versions f JOIN qualifier_sets q ON q.id = f.qualifiers_id;
--> statement-breakpoint
-- The views of 0001, unchanged, over the views above.
-- Views for people querying with psql. Facts and claims are stored as versions
-- over ISO weeks: valid from `valid_from` up to (excluding) `valid_to`.

-- Every fact as currently known (the newest version of each key).
CREATE VIEW current_facts AS
SELECT model_id, attribute, qualifiers_key, qualifiers, chosen, chosen_usd, status, rule, confidence,
       jsonb_array_length(candidates) AS candidate_count, candidates, valid_from
FROM facts
WHERE valid_to IS NULL;
--> statement-breakpoint

-- Prices per route, one row per (model, route, unit, direction, modality, quality, size, tier),
-- with the chosen amount as numeric and the sources that state it.
CREATE VIEW route_prices AS
SELECT f.model_id,
       f.qualifiers->>'route' AS route,
       f.qualifiers->>'unit' AS unit,
       f.qualifiers->>'direction' AS direction,
       f.qualifiers->>'modality' AS modality,
       f.qualifiers->>'quality' AS quality,
       f.qualifiers->>'size' AS size,
       f.qualifiers->>'tier' AS tier,
       f.chosen_usd AS usd,
       f.status,
       (SELECT string_agg(DISTINCT c->'provenance'->>'sourceId', ',') FROM jsonb_array_elements(f.candidates) c) AS sources,
       f.valid_from
FROM facts f
WHERE f.valid_to IS NULL AND f.attribute = 'price';
--> statement-breakpoint

-- What was known in a given ISO week: SELECT * FROM facts_as_of('2026-W15');
CREATE FUNCTION facts_as_of(week text)
RETURNS TABLE (model_id text, attribute text, qualifiers_key text, chosen jsonb, chosen_usd numeric,
               status text, rule text, confidence real, candidates jsonb, valid_from text, valid_to text)
LANGUAGE sql STABLE AS $$
  SELECT f.model_id, f.attribute, f.qualifiers_key, f.chosen, f.chosen_usd, f.status, f.rule, f.confidence,
         f.candidates, f.valid_from, f.valid_to
  FROM facts f
  WHERE f.valid_from <= week AND (f.valid_to IS NULL OR f.valid_to > week)
$$;
--> statement-breakpoint

-- Every claim with its source, as currently stated.
CREATE VIEW current_claims AS
SELECT source_id, model_id, attribute, qualifiers_key, value, amount_usd, via, url, fetched_at, excerpt, valid_from
FROM claims
WHERE valid_to IS NULL;
