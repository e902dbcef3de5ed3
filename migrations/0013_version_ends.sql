-- Append-only version rows and compact week weights (issue 17).
--
-- A version's end week (valid_to) moves out of its row into claim_version_ends / fact_version_ends: one narrow row
-- (id, valid_to) per closed version, none while it is current. Closing a version used to UPDATE its row, and an
-- UPDATE writes the whole row again (≈ 200 bytes) with new entries in every index: a real week's 2,700 closes were
-- ≈ 0.6 MB of its growth. The claim versions' partial index on the open rows of a source (valid_to is null) becomes
-- an index on source_id: the open rows are those without an end.
--
-- week_reliability keeps one row per week and voter, its attributes and their figures as arrays in attribute order:
-- a row per week, voter and attribute had a primary key of four texts as large as the table (≈ 210 kB a week).
--
-- The views keep their columns and what they read.
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
CREATE TABLE "claim_version_ends" (
	"id" bigint PRIMARY KEY NOT NULL,
	"valid_to" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fact_version_ends" (
	"id" bigint PRIMARY KEY NOT NULL,
	"valid_to" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "claim_version_ends" ("id", "valid_to") SELECT "id", "valid_to" FROM "claim_versions" WHERE "valid_to" IS NOT NULL ORDER BY "id";
--> statement-breakpoint
INSERT INTO "fact_version_ends" ("id", "valid_to") SELECT "id", "valid_to" FROM "fact_versions" WHERE "valid_to" IS NOT NULL ORDER BY "id";
--> statement-breakpoint
DROP INDEX "claim_versions_open_idx";
--> statement-breakpoint
ALTER TABLE "claim_versions" DROP COLUMN "valid_to";
--> statement-breakpoint
ALTER TABLE "fact_versions" DROP COLUMN "valid_to";
--> statement-breakpoint
CREATE INDEX "claim_versions_source_idx" ON "claim_versions" USING btree ("source_id");
--> statement-breakpoint
CREATE TABLE "week_reliability_0013" (
	"week" text NOT NULL,
	"kind" text NOT NULL,
	"voter" text NOT NULL,
	"run_id" integer NOT NULL,
	"attributes" text[] NOT NULL,
	"weights" double precision[] NOT NULL,
	"applied" double precision[] NOT NULL,
	"compared" integer[] NOT NULL,
	"agreed" double precision[] NOT NULL
);
--> statement-breakpoint
-- a week's weights are one run's (the run that reconciled it whole wrote them all)
INSERT INTO "week_reliability_0013" ("week", "kind", "voter", "run_id", "attributes", "weights", "applied", "compared", "agreed")
SELECT "week", "kind", "voter", max("run_id"), array_agg("attribute" ORDER BY "attribute"), array_agg("weight" ORDER BY "attribute"),
       array_agg("applied" ORDER BY "attribute"), array_agg("compared" ORDER BY "attribute"), array_agg("agreed" ORDER BY "attribute")
FROM "week_reliability"
GROUP BY "week", "kind", "voter"
ORDER BY "week", "kind", "voter";
--> statement-breakpoint
DROP TABLE "week_reliability";
--> statement-breakpoint
ALTER TABLE "week_reliability_0013" RENAME TO "week_reliability";
--> statement-breakpoint
ALTER TABLE "week_reliability" ADD CONSTRAINT "week_reliability_week_kind_voter_pk" PRIMARY KEY ("week", "kind", "voter");
--> statement-breakpoint
-- The claims table as it was: one row per claim version, with its page's provenance and its end.
CREATE VIEW "claims" AS
SELECT c.id,
       c.source_id || '|' || p.url || '|' || c.model_id || '|' || c.attribute || '|' || q.key || '|' || coalesce(c.via, '') AS identity,
       encode(c.content_hash, 'hex') AS content_hash, c.source_id, c.model_id, c.attribute, q.key AS qualifiers_key, q.qualifiers,
       v.value, c.amount_usd, c.via, p.url, p.fetched_at,
       coalesce(h.excerpt, '') || c.excerpt AS excerpt, coalesce(h.locator, '') || c.locator AS locator,
       p.extractor_version, p.page_hash, p.stated_as_of, c.run_id, c.valid_from, e.valid_to, c.derived
FROM claim_versions c
JOIN provenance p ON p.id = c.provenance_id
JOIN qualifier_sets q ON q.id = c.qualifiers_id
JOIN claim_values v ON v.id = c.value_id
LEFT JOIN claim_heads h ON h.id = c.head_id
LEFT JOIN claim_version_ends e ON e.id = c.id;
--> statement-breakpoint
-- The facts table as it was: one row per fact version, its candidates built from the references, its outcome from
-- fact_outcomes, its end from fact_version_ends (left joins the planner leaves out when none of their columns is read),
-- its weights the applied weights its voters had for its attribute in its first week.
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || q.key AS fact_key, encode(f.content_hash, 'hex') AS content_hash,
       f.model_id, f.attribute, q.key AS qualifiers_key, q.qualifiers, (SELECT v.value FROM claim_values v WHERE v.id = o.chosen_id) AS chosen, o.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = o.rule_head) || coalesce('. ' || o.rule_tail, '') AS rule,
       o.confidence, o.status,
       fact_candidates(f.candidate_claims, f.candidate_pages, f.candidate_flags) AS candidates,
       encode(o.candidates_hash, 'hex') AS candidates_hash, o.related, f.run_id, f.valid_from, e.valid_to,
       o.majority,
       CASE WHEN o.weight_voters IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(v.voter, coalesce(w.applied[array_position(w.attributes, f.attribute)], 1) ORDER BY v.voter)
          FROM unnest(o.weight_voters) AS v(voter)
          LEFT JOIN week_reliability w ON w.week = f.valid_from AND w.kind = 'voter' AND w.voter = v.voter)
       END AS weights
FROM fact_versions f JOIN qualifier_sets q ON q.id = f.qualifiers_id LEFT JOIN fact_outcomes o ON o.id = f.outcome_id
LEFT JOIN fact_version_ends e ON e.id = f.id;
--> statement-breakpoint
-- The views of 0001, unchanged, over the views above.
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
