-- A fact version's candidates packed into one byte string (issue 17): candidate_refs replaces candidate_claims
-- (bigint[]), candidate_pages (bigint[]) and candidate_flags (jsonb), which took ≈ 200 bytes of a row of six
-- candidates; packed they take ≈ 30-60. Layout (pipelines/store/candidate-refs.ts writes and reads it too):
-- byte 0 says what follows (bit 0: page read ids, bit 1: flag masks); one unsigned 32-bit big-endian claim
-- version id per candidate; with bit 0, one 32-bit page read id per candidate (0: the claim version's own);
-- with bit 1, one 16-bit mask per candidate, bit k the k-th name of fact_flag_names().
-- The table is written anew (dropped columns would keep their bytes); ids, order and indexes stay.
-- The views keep their columns and what they read; a candidate's flags come in fact_flag_names() order. The function
-- fact_candidates(bigint[], bigint[], jsonb), which built them from the arrays, goes: the facts view builds them.
DROP VIEW "current_facts";
--> statement-breakpoint
DROP VIEW "route_prices";
--> statement-breakpoint
DROP FUNCTION "facts_as_of"(text);
--> statement-breakpoint
DROP VIEW "facts";
--> statement-breakpoint
DROP FUNCTION "fact_candidates"(bigint[], bigint[], jsonb);
--> statement-breakpoint
-- The flag names by bit. Append only (a stored mask means what this list said when it was written).
CREATE FUNCTION "fact_flag_names"() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['likely-placeholder', 'zero-means-not-applicable', 'stale', 'approximate', 'unqualified-match',
               'possible-copy', 'conflicting', 'rejected-by-reviewer', 'other-listing', 'pass-through-route',
               'far-from-gateway-price', 'unit-slip', 'zero-price', 'cache-read-above-input', 'cache-write-below-input']::text[]
$$;
--> statement-breakpoint
-- A fact version's candidates, one row each: position (from 1), claim version, page read (null: the claim
-- version's own) and flag mask. The packed numbers become arrays by casts (hex digits to bit strings to integers), one
-- expression per part: no subquery, so the planner inlines this where it is used, and counts the rows as an array's (10).
CREATE FUNCTION "fact_candidate_refs"(refs bytea)
RETURNS TABLE (ord integer, claim_id bigint, page_id bigint, flag_bits integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT u.ord::int, u.claim_id, nullif(u.page_id, 0), coalesce(u.flag_bits, 0)
  FROM (SELECT get_byte(refs, 0) AS m, (length(refs) - 1) / (4 + 4 * (get_byte(refs, 0) & 1) + 2 * ((get_byte(refs, 0) >> 1) & 1)) AS n) k
  CROSS JOIN LATERAL unnest(
    ('{' || substr(regexp_replace(encode(substring(refs from 2 for 4 * k.n), 'hex'), '(.{8})', ',x\1', 'g'), 2) || '}')::bit(32)[]::bigint[],
    CASE WHEN k.m & 1 = 1 THEN
      ('{' || substr(regexp_replace(encode(substring(refs from 2 + 4 * k.n for 4 * k.n), 'hex'), '(.{8})', ',x\1', 'g'), 2) || '}')::bit(32)[]::bigint[] END,
    CASE WHEN k.m & 2 = 2 THEN
      ('{' || substr(regexp_replace(encode(substring(refs from 2 + 4 * k.n * (1 + (k.m & 1)) for 2 * k.n), 'hex'), '(.{4})', ',x\1', 'g'), 2) || '}')::bit(16)[]::int[] END
  ) WITH ORDINALITY AS u(claim_id, page_id, flag_bits, ord)
$$;
--> statement-breakpoint
-- The claim versions a fact version's candidates come from, in order (one expression: inlined where it is used).
CREATE FUNCTION "fact_candidate_claims"(refs bytea) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('{' || substr(regexp_replace(encode(substring(refs from 2 for 4 * ((length(refs) - 1) / (4 + 4 * (get_byte(refs, 0) & 1)
            + 2 * ((get_byte(refs, 0) >> 1) & 1)))), 'hex'), '(.{8})', ',x\1', 'g'), 2) || '}')::bit(32)[]::bigint[]
$$;
--> statement-breakpoint
-- Whether any of a fact version's candidates has the flag (false for a name fact_flag_names() does not hold).
CREATE FUNCTION "fact_candidates_flagged"(refs bytea, flag text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT get_byte(refs, 0) & 2 = 2 AND coalesce((SELECT bool_or(r.flag_bits & (1 << (array_position(fact_flag_names(), flag) - 1)) <> 0)
                                                 FROM fact_candidate_refs(refs) r), false)
$$;
--> statement-breakpoint
-- A flag mask's names, in fact_flag_names() order.
CREATE FUNCTION "fact_flags_of"(bits integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bits = 0 THEN '[]'::jsonb ELSE
    (SELECT coalesce(jsonb_agg(t.name ORDER BY t.k), '[]'::jsonb) FROM unnest(fact_flag_names()) WITH ORDINALITY AS t(name, k)
     WHERE bits & (1 << (t.k::int - 1)) <> 0) END
$$;
--> statement-breakpoint
-- a flag no name stands for cannot be packed: the migration stops, naming it
DO $$
DECLARE unknown text;
BEGIN
  SELECT x.name INTO unknown
  FROM fact_versions f, jsonb_array_elements(f.candidate_flags) AS c(flags), jsonb_array_elements_text(c.flags) AS x(name)
  WHERE f.candidate_flags IS NOT NULL AND NOT x.name = ANY (fact_flag_names())
  LIMIT 1;
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'migration 0015: a stored fact candidate has the flag %, which fact_flag_names() does not list', unknown;
  END IF;
END $$;
--> statement-breakpoint
-- the old columns' references, packed (only for this migration)
CREATE FUNCTION "fact_refs_0015"(claims bigint[], pages bigint[], flags jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
  SELECT set_byte('\x00'::bytea, 0, (CASE WHEN pages IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(pages) p WHERE p IS NOT NULL) THEN 0 ELSE 1 END)
                                    | (CASE WHEN flags IS NULL OR NOT jsonb_path_exists(flags, '$[*][*]') THEN 0 ELSE 2 END))
    || coalesce((SELECT string_agg(substring(int8send(u.c) from 5 for 4), ''::bytea ORDER BY u.o) FROM unnest(claims) WITH ORDINALITY AS u(c, o)), ''::bytea)
    || CASE WHEN pages IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(pages) p WHERE p IS NOT NULL) THEN ''::bytea ELSE
         (SELECT string_agg(substring(int8send(coalesce(u.p, 0)) from 5 for 4), ''::bytea ORDER BY u.o) FROM unnest(pages) WITH ORDINALITY AS u(p, o)) END
    || CASE WHEN flags IS NULL OR NOT jsonb_path_exists(flags, '$[*][*]') THEN ''::bytea ELSE
         (SELECT string_agg(substring(int4send(coalesce((SELECT bit_or(1 << (array_position(fact_flag_names(), x.name) - 1))
                                                          FROM jsonb_array_elements_text(u.f) AS x(name)), 0)) from 3 for 2), ''::bytea ORDER BY u.o)
          FROM jsonb_array_elements(flags) WITH ORDINALITY AS u(f, o)) END
$$;
--> statement-breakpoint
-- the new table takes over the id sequence (ids stay what they were)
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY NONE;
--> statement-breakpoint
CREATE TABLE "fact_versions_0015" (
	"id" bigint DEFAULT nextval('fact_versions_id_seq') NOT NULL,
	"run_id" integer NOT NULL,
	"outcome_id" integer NOT NULL,
	"qualifiers_id" integer NOT NULL,
	"content_hash" bytea NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"valid_from" text NOT NULL,
	"candidate_refs" bytea NOT NULL
);
--> statement-breakpoint
INSERT INTO "fact_versions_0015" ("id", "run_id", "outcome_id", "qualifiers_id", "content_hash", "model_id", "attribute", "valid_from", "candidate_refs")
SELECT "id", "run_id", "outcome_id", "qualifiers_id", "content_hash", "model_id", "attribute", "valid_from",
       fact_refs_0015("candidate_claims", "candidate_pages", "candidate_flags")
FROM "fact_versions" ORDER BY "model_id", "attribute", "qualifiers_id", "id";
--> statement-breakpoint
DROP FUNCTION "fact_refs_0015"(bigint[], bigint[], jsonb);
--> statement-breakpoint
DROP TABLE "fact_versions";
--> statement-breakpoint
ALTER TABLE "fact_versions_0015" RENAME TO "fact_versions";
--> statement-breakpoint
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY "fact_versions"."id";
--> statement-breakpoint
ALTER TABLE "fact_versions" ADD CONSTRAINT "fact_versions_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
CREATE INDEX "fact_versions_key_idx" ON "fact_versions" USING btree ("model_id","attribute");
--> statement-breakpoint
-- The facts table as it was: one row per fact version, its candidates built from the packed references (a subquery of
-- the view, planned once per query: a function, planned again for every fact, took half as long again), its outcome from
-- fact_outcomes, its end from fact_version_ends (left joins the planner leaves out when none of their columns is read),
-- its weights the applied weights its voters had for its attribute in its first week.
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || q.key AS fact_key, encode(f.content_hash, 'hex') AS content_hash,
       f.model_id, f.attribute, q.key AS qualifiers_key, q.qualifiers, (SELECT v.value FROM claim_values v WHERE v.id = o.chosen_id) AS chosen, o.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = o.rule_head) || coalesce('. ' || o.rule_tail, '') AS rule,
       o.confidence, o.status,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
               'value', v.value,
               'provenance', jsonb_build_object('sourceId', c.source_id, 'url', p.url,
                   'fetchedAt', to_char(p.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'excerpt', coalesce(h.excerpt, '') || c.excerpt, 'locator', coalesce(h.locator, '') || c.locator,
                   'extractorVersion', p.extractor_version, 'pageHash', p.page_hash)
                 || CASE WHEN p.stated_as_of IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('statedAsOf', p.stated_as_of) END
                 || CASE WHEN c.via IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('via', c.via) END
                 || CASE WHEN c.derived IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('derived', c.derived) END,
               'flags', CASE WHEN r.flag_bits = 0 THEN '[]'::jsonb ELSE
                 (SELECT coalesce(jsonb_agg(t.name ORDER BY t.k), '[]'::jsonb) FROM unnest(fact_flag_names()) WITH ORDINALITY AS t(name, k)
                  WHERE r.flag_bits & (1 << (t.k::int - 1)) <> 0) END)
             ORDER BY r.ord), '[]'::jsonb)
           FROM fact_candidate_refs(f.candidate_refs) r
           JOIN claim_versions c ON c.id = r.claim_id
           JOIN claim_values v ON v.id = c.value_id
           LEFT JOIN claim_heads h ON h.id = c.head_id
           JOIN provenance p ON p.id = coalesce(r.page_id, c.provenance_id)) AS candidates,
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
