-- Fact versions without the parts many of them repeat (issue 17). What a fact
-- concluded (rule head and tail, status, confidence, chosen value and amount,
-- candidates hash, related facts, majority, weight voters) moves to
-- fact_outcomes, stored once: a real week's 33,000 facts have 14,000 distinct
-- outcomes. The row keeps its key, its candidates' references and its weeks,
-- with the fixed-width columns first (no alignment padding); its qualifiers
-- key is read from qualifier_sets. The key index has one entry per model and
-- attribute, the ids of its versions deduplicated into it (4.7 MB for a real
-- week's facts before, about 1 MB now). The facts views keep their columns and
-- what they read.
DROP VIEW "current_facts";
--> statement-breakpoint
DROP VIEW "route_prices";
--> statement-breakpoint
DROP FUNCTION "facts_as_of"(text);
--> statement-breakpoint
DROP VIEW "facts";
--> statement-breakpoint
CREATE TABLE "fact_outcomes" (
	"id" serial PRIMARY KEY NOT NULL,
	"rule_head" integer NOT NULL,
	"confidence" real NOT NULL,
	"chosen_id" integer,
	"candidates_hash" bytea NOT NULL,
	"status" text NOT NULL,
	"rule_tail" text,
	"chosen_usd" numeric,
	"related" jsonb,
	"majority" jsonb,
	"weight_voters" text[]
);
--> statement-breakpoint
-- one outcome per distinct text of its parts (0.2 and 0.20, or jsonb 1 and 1.0, are equal values but not the same text)
CREATE TABLE "fact_outcomes_0012" AS
SELECT k, row_number() OVER (ORDER BY first_id)::int AS outcome_id, rule_head, confidence, chosen_id, candidates_hash, status, rule_tail, chosen_usd, related, majority, weight_voters
FROM (
  SELECT DISTINCT ON (k) k, id AS first_id, rule_head, confidence, chosen_id, candidates_hash, status, rule_tail, chosen_usd, related, majority, weight_voters
  FROM (SELECT f.*, row(f.rule_head, f.confidence::text, f.chosen_id, f.candidates_hash, f.status, f.rule_tail, f.chosen_usd::text,
                        f.related::text, f.majority::text, f.weight_voters::text)::text AS k
        FROM "fact_versions" f) s
  ORDER BY k, id
) d;
--> statement-breakpoint
INSERT INTO "fact_outcomes" ("id", "rule_head", "confidence", "chosen_id", "candidates_hash", "status", "rule_tail", "chosen_usd", "related", "majority", "weight_voters")
SELECT outcome_id, rule_head, confidence, chosen_id, candidates_hash, status, rule_tail, chosen_usd, related, majority, weight_voters
FROM "fact_outcomes_0012" ORDER BY outcome_id;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('fact_outcomes', 'id'), max("id")) FROM "fact_outcomes" HAVING max("id") IS NOT NULL;
--> statement-breakpoint
-- the new table takes over the id sequence (ids stay what they were)
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY NONE;
--> statement-breakpoint
CREATE TABLE "fact_versions_0012" (
	"id" bigint DEFAULT nextval('fact_versions_id_seq') NOT NULL,
	"run_id" integer NOT NULL,
	"outcome_id" integer NOT NULL,
	"qualifiers_id" integer NOT NULL,
	"content_hash" bytea NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text,
	"candidate_claims" bigint[] NOT NULL,
	"candidate_pages" bigint[],
	"candidate_flags" jsonb
);
--> statement-breakpoint
INSERT INTO "fact_versions_0012" ("id", "run_id", "outcome_id", "qualifiers_id", "content_hash", "model_id", "attribute", "valid_from", "valid_to", "candidate_claims", "candidate_pages", "candidate_flags")
SELECT f.id, f.run_id, o.outcome_id, f.qualifiers_id, f.content_hash, f.model_id, f.attribute, f.valid_from, f.valid_to, f.candidate_claims, f.candidate_pages, f.candidate_flags
FROM "fact_versions" f
JOIN "fact_outcomes_0012" o ON o.k = row(f.rule_head, f.confidence::text, f.chosen_id, f.candidates_hash, f.status, f.rule_tail, f.chosen_usd::text,
                                         f.related::text, f.majority::text, f.weight_voters::text)::text
ORDER BY f.model_id, f.attribute, f.qualifiers_id, f.id;
--> statement-breakpoint
DROP TABLE "fact_outcomes_0012";
--> statement-breakpoint
DROP TABLE "fact_versions";
--> statement-breakpoint
ALTER TABLE "fact_versions_0012" RENAME TO "fact_versions";
--> statement-breakpoint
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY "fact_versions"."id";
--> statement-breakpoint
ALTER TABLE "fact_versions" ADD CONSTRAINT "fact_versions_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
CREATE INDEX "fact_versions_key_idx" ON "fact_versions" USING btree ("model_id","attribute");
--> statement-breakpoint
-- The facts table as it was: one row per fact version, its candidates built from the references, its outcome from
-- fact_outcomes (a left join the planner leaves out when no outcome column is read; every version has its outcome).
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || q.key AS fact_key, encode(f.content_hash, 'hex') AS content_hash,
       f.model_id, f.attribute, q.key AS qualifiers_key, q.qualifiers, (SELECT v.value FROM claim_values v WHERE v.id = o.chosen_id) AS chosen, o.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = o.rule_head) || coalesce('. ' || o.rule_tail, '') AS rule,
       o.confidence, o.status,
       fact_candidates(f.candidate_claims, f.candidate_pages, f.candidate_flags) AS candidates,
       encode(o.candidates_hash, 'hex') AS candidates_hash, o.related, f.run_id, f.valid_from, f.valid_to,
       o.majority,
       CASE WHEN o.weight_voters IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(v.voter, coalesce(w.applied, 1) ORDER BY v.voter)
          FROM unnest(o.weight_voters) AS v(voter)
          LEFT JOIN week_reliability w ON w.week = f.valid_from AND w.kind = 'voter' AND w.voter = v.voter AND w.attribute = f.attribute)
       END AS weights
FROM fact_versions f JOIN qualifier_sets q ON q.id = f.qualifiers_id LEFT JOIN fact_outcomes o ON o.id = f.outcome_id;
--> statement-breakpoint
-- The views of 0001, unchanged, over the view above.
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
