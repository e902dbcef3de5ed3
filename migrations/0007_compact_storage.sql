CREATE TABLE "claim_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"source_id" text NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"qualifiers_key" text NOT NULL,
	"qualifiers" jsonb NOT NULL,
	"value" jsonb NOT NULL,
	"amount_usd" numeric,
	"via" text,
	"excerpt" text NOT NULL,
	"locator" text NOT NULL,
	"derived" jsonb,
	"provenance_id" bigint NOT NULL,
	"run_id" integer NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text
);
--> statement-breakpoint
CREATE TABLE "fact_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"head" text NOT NULL,
	CONSTRAINT "fact_rules_head_unique" UNIQUE("head")
);
--> statement-breakpoint
CREATE TABLE "fact_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"qualifiers_key" text NOT NULL,
	"qualifiers" jsonb NOT NULL,
	"chosen" jsonb,
	"chosen_usd" numeric,
	"rule_head" integer NOT NULL,
	"rule_tail" text,
	"confidence" real NOT NULL,
	"status" text NOT NULL,
	"candidate_claims" bigint[] NOT NULL,
	"candidate_pages" bigint[],
	"candidate_flags" jsonb,
	"candidates_hash" text NOT NULL,
	"related" jsonb,
	"run_id" integer NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text
);
--> statement-breakpoint
CREATE TABLE "provenance" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"page_hash" text NOT NULL,
	"extractor_version" text NOT NULL,
	"stated_as_of" jsonb
);
--> statement-breakpoint
-- Compact storage (issue 17): the claims and facts tables become views over
-- claim_versions, fact_versions and provenance. Provenance (URL, fetch time,
-- page hash, extractor version, the page's stated date) is stored once per page
-- read; a fact's candidates are references to claim versions and pages, not
-- copies; a rule text's first sentence is stored once (fact_rules). Every stored row is carried over (ids kept); a candidate no stored
-- claim version matches is kept as a claim version valid in no week.
CREATE TABLE "_compact_candidates" AS
SELECT f.id AS fact_id, e.ord::int AS ord, e.c->'value' AS value,
       coalesce(e.c->'provenance'->>'sourceId', '') AS source_id,
       coalesce(e.c->'provenance'->>'url', '') AS url,
       coalesce((e.c->'provenance'->>'fetchedAt')::timestamptz, 'epoch'::timestamptz) AS fetched_at,
       coalesce(e.c->'provenance'->>'pageHash', '') AS page_hash,
       coalesce(e.c->'provenance'->>'extractorVersion', '') AS extractor_version,
       e.c->'provenance'->'statedAsOf' AS stated_as_of,
       coalesce(e.c->'provenance'->>'excerpt', '') AS excerpt,
       coalesce(e.c->'provenance'->>'locator', '') AS locator,
       e.c->'provenance'->>'via' AS via,
       e.c->'provenance'->'derived' AS derived,
       coalesce(e.c->'flags', '[]'::jsonb) AS flags,
       f.model_id, f.attribute, f.qualifiers_key, f.qualifiers, f.run_id, f.valid_from,
       NULL::bigint AS claim_id, NULL::bigint AS page_id, false AS orphan
FROM "facts" f CROSS JOIN LATERAL jsonb_array_elements(f.candidates) WITH ORDINALITY AS e(c, ord);
--> statement-breakpoint
INSERT INTO "provenance" ("source_id", "url", "fetched_at", "page_hash", "extractor_version", "stated_as_of")
SELECT "source_id", "url", "fetched_at", "page_hash", "extractor_version", "stated_as_of" FROM "claims"
UNION
SELECT "source_id", "url", "fetched_at", "page_hash", "extractor_version", "stated_as_of" FROM "_compact_candidates";
--> statement-breakpoint
INSERT INTO "claim_versions" ("id", "content_hash", "source_id", "model_id", "attribute", "qualifiers_key", "qualifiers", "value",
  "amount_usd", "via", "excerpt", "locator", "derived", "provenance_id", "run_id", "valid_from", "valid_to")
SELECT c.id, c.content_hash, c.source_id, c.model_id, c.attribute, c.qualifiers_key, c.qualifiers, c.value,
       c.amount_usd, c.via, c.excerpt, c.locator, c.derived, p.id, c.run_id, c.valid_from, c.valid_to
FROM "claims" c JOIN "provenance" p
  ON p.source_id = c.source_id AND p.url = c.url AND p.fetched_at = c.fetched_at AND p.page_hash = c.page_hash
 AND p.extractor_version = c.extractor_version AND p.stated_as_of IS NOT DISTINCT FROM c.stated_as_of;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('claim_versions', 'id'), coalesce((SELECT max(id) FROM "claim_versions"), 0) + 1, false);
--> statement-breakpoint
UPDATE "_compact_candidates" x SET page_id = p.id FROM "provenance" p
WHERE p.source_id = x.source_id AND p.url = x.url AND p.fetched_at = x.fetched_at AND p.page_hash = x.page_hash
  AND p.extractor_version = x.extractor_version AND p.stated_as_of IS NOT DISTINCT FROM x.stated_as_of;
--> statement-breakpoint
UPDATE "_compact_candidates" x SET claim_id = m.id FROM (
  SELECT y.fact_id, y.ord, min(c.id) AS id
  FROM "_compact_candidates" y JOIN "claims" c
    ON c.source_id = y.source_id AND c.url = y.url AND c.locator = y.locator AND c.excerpt = y.excerpt AND c.value = y.value
   AND coalesce(c.via, '') = coalesce(y.via, '') AND coalesce(c.derived, 'null'::jsonb) = coalesce(y.derived, 'null'::jsonb)
  GROUP BY y.fact_id, y.ord) m
WHERE x.fact_id = m.fact_id AND x.ord = m.ord;
--> statement-breakpoint
UPDATE "_compact_candidates" SET claim_id = nextval(pg_get_serial_sequence('claim_versions', 'id')), orphan = true WHERE claim_id IS NULL;
--> statement-breakpoint
INSERT INTO "claim_versions" ("id", "content_hash", "source_id", "model_id", "attribute", "qualifiers_key", "qualifiers", "value",
  "via", "excerpt", "locator", "derived", "provenance_id", "run_id", "valid_from", "valid_to")
SELECT claim_id, '', source_id, model_id, attribute, qualifiers_key, qualifiers, value,
       via, excerpt, locator, derived, page_id, run_id, valid_from, valid_from
FROM "_compact_candidates" WHERE orphan;
--> statement-breakpoint
INSERT INTO "fact_rules" ("head")
SELECT DISTINCT CASE WHEN position('. ' in rule) > 0 THEN substr(rule, 1, position('. ' in rule) - 1) ELSE rule END FROM "facts";
--> statement-breakpoint
INSERT INTO "fact_versions" ("id", "content_hash", "model_id", "attribute", "qualifiers_key", "qualifiers", "chosen", "chosen_usd",
  "rule_head", "rule_tail", "confidence", "status", "candidate_claims", "candidate_pages", "candidate_flags", "candidates_hash", "related",
  "run_id", "valid_from", "valid_to")
SELECT f.id, f.content_hash, f.model_id, f.attribute, f.qualifiers_key, f.qualifiers, f.chosen, f.chosen_usd,
       r.id, CASE WHEN position('. ' in f.rule) > 0 THEN substr(f.rule, position('. ' in f.rule) + 2) END,
       f.confidence, f.status, coalesce(a.claim_ids, '{}'), a.page_ids, a.flags, f.candidates_hash, f.related,
       f.run_id, f.valid_from, f.valid_to
FROM "facts" f
JOIN "fact_rules" r ON r.head = CASE WHEN position('. ' in f.rule) > 0 THEN substr(f.rule, 1, position('. ' in f.rule) - 1) ELSE f.rule END
LEFT JOIN (
  SELECT fact_id, array_agg(claim_id ORDER BY ord) AS claim_ids,
         CASE WHEN bool_and(own_page) THEN NULL ELSE array_agg(page_id ORDER BY ord) END AS page_ids,
         CASE WHEN bool_and(flags = '[]'::jsonb) THEN NULL ELSE jsonb_agg(flags ORDER BY ord) END AS flags
  FROM (SELECT x.*, x.page_id = c.provenance_id AS own_page FROM "_compact_candidates" x JOIN "claim_versions" c ON c.id = x.claim_id) y
  GROUP BY fact_id) a ON a.fact_id = f.id;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('fact_versions', 'id'), coalesce((SELECT max(id) FROM "fact_versions"), 0) + 1, false);
--> statement-breakpoint
DROP VIEW "current_facts";
--> statement-breakpoint
DROP VIEW "route_prices";
--> statement-breakpoint
DROP FUNCTION "facts_as_of"(text);
--> statement-breakpoint
DROP VIEW "current_claims";
--> statement-breakpoint
DROP TABLE "_compact_candidates";
--> statement-breakpoint
DROP TABLE "facts";
--> statement-breakpoint
DROP TABLE "claims";
--> statement-breakpoint
CREATE INDEX "claim_versions_model_idx" ON "claim_versions" USING btree ("model_id","attribute");--> statement-breakpoint
CREATE INDEX "claim_versions_open_idx" ON "claim_versions" USING btree ("source_id") WHERE valid_to is null;--> statement-breakpoint
CREATE INDEX "fact_versions_model_idx" ON "fact_versions" USING btree ("model_id","attribute");--> statement-breakpoint
CREATE INDEX "provenance_url_idx" ON "provenance" USING btree ("url");--> statement-breakpoint
-- A fact version's candidates as the facts table stored them: value, provenance, flags, in order.
CREATE FUNCTION "fact_candidates"(claim_ids bigint[], page_ids bigint[], flags jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
      'value', c.value,
      'provenance', jsonb_build_object('sourceId', c.source_id, 'url', p.url,
          'fetchedAt', to_char(p.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'excerpt', c.excerpt, 'locator', c.locator, 'extractorVersion', p.extractor_version, 'pageHash', p.page_hash)
        || CASE WHEN p.stated_as_of IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('statedAsOf', p.stated_as_of) END
        || CASE WHEN c.via IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('via', c.via) END
        || CASE WHEN c.derived IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('derived', c.derived) END,
      'flags', coalesce(flags -> (r.ord::int - 1), '[]'::jsonb))
    ORDER BY r.ord), '[]'::jsonb)
  FROM unnest(claim_ids, page_ids) WITH ORDINALITY AS r(claim_id, page_id, ord)
  JOIN claim_versions c ON c.id = r.claim_id
  JOIN provenance p ON p.id = coalesce(r.page_id, c.provenance_id)
$$;
--> statement-breakpoint
-- The claims table as it was: one row per claim version, with its page's provenance.
CREATE VIEW "claims" AS
SELECT c.id,
       c.source_id || '|' || p.url || '|' || c.model_id || '|' || c.attribute || '|' || c.qualifiers_key || '|' || coalesce(c.via, '') AS identity,
       c.content_hash, c.source_id, c.model_id, c.attribute, c.qualifiers_key, c.qualifiers, c.value, c.amount_usd, c.via,
       p.url, p.fetched_at, c.excerpt, c.locator, p.extractor_version, p.page_hash, p.stated_as_of,
       c.run_id, c.valid_from, c.valid_to, c.derived
FROM claim_versions c JOIN provenance p ON p.id = c.provenance_id;
--> statement-breakpoint
-- The facts table as it was: one row per fact version, its candidates built from the references.
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || f.qualifiers_key AS fact_key, f.content_hash, f.model_id, f.attribute,
       f.qualifiers_key, f.qualifiers, f.chosen, f.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = f.rule_head) || coalesce('. ' || f.rule_tail, '') AS rule,
       f.confidence, f.status,
       fact_candidates(f.candidate_claims, f.candidate_pages, f.candidate_flags) AS candidates,
       f.candidates_hash, f.related, f.run_id, f.valid_from, f.valid_to
FROM fact_versions f;
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
