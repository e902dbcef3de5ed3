-- Fact versions and outcomes without the parts the changed facts of a week repeat (issue 17: a later real week
-- ≤ 5 % of the first one's database size; W17 added 7.4 %).
--
-- A fact version's candidates' page reads and flags (candidate_pages, candidate_flags) move to fact_candidate_pages
-- and fact_candidate_flags, each distinct array stored once, the version keeping their ids (pages_id, flags_id; null as
-- the columns were): W17's 2,082 changed facts, mostly wide ones re-read on the week's pages, carried ≈ 260 kB of
-- these arrays, 120 distinct page arrays and 437 distinct flags. Flags are kept by the positions of the flagged
-- candidates only.
--
-- An outcome's rule tail (the sources and listings that agree or differ: "models-dev (via abacus), models-dev (via
-- aihubmix), …") becomes the ids of its parts, split after ", ", ": ", ". ", "(" and ") " (parts longer than 500
-- characters in pieces), each part stored once in fact_rule_parts: W17's 1,217 new outcomes had 350 kB of tails,
-- 230 of their parts new.
--
-- Both tables are rebuilt (ids kept) so that no dropped column stays in their rows. The views keep their columns and
-- what they read.
DROP VIEW "current_facts";
--> statement-breakpoint
DROP VIEW "route_prices";
--> statement-breakpoint
DROP FUNCTION "facts_as_of"(text);
--> statement-breakpoint
DROP VIEW "facts";
--> statement-breakpoint
CREATE TABLE "fact_candidate_pages" (
	"id" serial PRIMARY KEY NOT NULL,
	"pages" bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fact_candidate_flags" (
	"id" serial PRIMARY KEY NOT NULL,
	"flags" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fact_rule_parts" (
	"id" serial PRIMARY KEY NOT NULL,
	"part" text NOT NULL,
	CONSTRAINT "fact_rule_parts_part_unique" UNIQUE("part")
);
--> statement-breakpoint
-- each distinct array once, in the order of the first version that has it
INSERT INTO "fact_candidate_pages" ("pages")
SELECT "candidate_pages" FROM "fact_versions" WHERE "candidate_pages" IS NOT NULL GROUP BY "candidate_pages" ORDER BY min("id");
--> statement-breakpoint
-- flags by the positions of the flagged candidates ({"3": ["other-listing"]}): one array per candidate was ≈ 340 bytes
-- for a wide fact; a document naming no candidate is no flags (flags_id null)
CREATE FUNCTION "fact_flags_0015"(flags jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_object_agg((e.n - 1)::text, e.v) FROM jsonb_array_elements(flags) WITH ORDINALITY AS e(v, n) WHERE e.v <> '[]'::jsonb
$$;
--> statement-breakpoint
INSERT INTO "fact_candidate_flags" ("flags")
SELECT fact_flags_0015("candidate_flags") FROM "fact_versions" WHERE fact_flags_0015("candidate_flags") IS NOT NULL
GROUP BY fact_flags_0015("candidate_flags") ORDER BY min("id");
--> statement-breakpoint
-- the new table takes over the id sequence (ids stay what they were)
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY NONE;
--> statement-breakpoint
CREATE TABLE "fact_versions_0015" (
	"id" bigint DEFAULT nextval('fact_versions_id_seq') NOT NULL,
	"run_id" integer NOT NULL,
	"outcome_id" integer NOT NULL,
	"qualifiers_id" integer NOT NULL,
	"pages_id" integer,
	"flags_id" integer,
	"content_hash" bytea NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"valid_from" text NOT NULL,
	"candidate_claims" bigint[] NOT NULL
);
--> statement-breakpoint
INSERT INTO "fact_versions_0015" ("id", "run_id", "outcome_id", "qualifiers_id", "pages_id", "flags_id", "content_hash", "model_id", "attribute", "valid_from", "candidate_claims")
SELECT f."id", f."run_id", f."outcome_id", f."qualifiers_id", p."id", l."id", f."content_hash", f."model_id", f."attribute", f."valid_from", f."candidate_claims"
FROM "fact_versions" f
LEFT JOIN "fact_candidate_pages" p ON p."pages" = f."candidate_pages"
LEFT JOIN "fact_candidate_flags" l ON l."flags" = fact_flags_0015(f."candidate_flags")
ORDER BY f."model_id", f."attribute", f."qualifiers_id", f."id";
--> statement-breakpoint
DROP TABLE "fact_versions";
--> statement-breakpoint
DROP FUNCTION "fact_flags_0015"(jsonb);
--> statement-breakpoint
ALTER TABLE "fact_versions_0015" RENAME TO "fact_versions";
--> statement-breakpoint
ALTER SEQUENCE "fact_versions_id_seq" OWNED BY "fact_versions"."id";
--> statement-breakpoint
ALTER TABLE "fact_versions" ADD CONSTRAINT "fact_versions_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
CREATE INDEX "fact_versions_key_idx" ON "fact_versions" USING btree ("model_id","attribute");
--> statement-breakpoint
-- every tail's parts, in order (what pipelines/store/fact-outcomes.ts splitRuleTail does; an empty tail is one empty part)
CREATE TABLE "fact_rule_parts_0015" AS
SELECT o."id" AS outcome_id, (s.n * 1000 + p.k) AS n, p.piece AS part
FROM "fact_outcomes" o
CROSS JOIN LATERAL regexp_split_to_table(o."rule_tail", '(?<=, |: |\. |\(|\) )') WITH ORDINALITY AS s(chunk, n)
CROSS JOIN LATERAL (SELECT k, substr(s.chunk, (k - 1) * 500 + 1, 500) AS piece
                    FROM generate_series(1, greatest(1, (length(s.chunk) + 499) / 500)) AS k) p
WHERE o."rule_tail" IS NOT NULL;
--> statement-breakpoint
INSERT INTO "fact_rule_parts" ("part")
SELECT part FROM "fact_rule_parts_0015" GROUP BY part ORDER BY min(outcome_id), min(n);
--> statement-breakpoint
ALTER SEQUENCE "fact_outcomes_id_seq" OWNED BY NONE;
--> statement-breakpoint
CREATE TABLE "fact_outcomes_0015" (
	"id" integer DEFAULT nextval('fact_outcomes_id_seq') NOT NULL,
	"rule_head" integer NOT NULL,
	"confidence" real NOT NULL,
	"chosen_id" integer,
	"candidates_hash" bytea NOT NULL,
	"status" text NOT NULL,
	"rule_tail_parts" integer[],
	"chosen_usd" numeric,
	"related" jsonb,
	"majority" jsonb,
	"weight_voters" text[]
);
--> statement-breakpoint
INSERT INTO "fact_outcomes_0015" ("id", "rule_head", "confidence", "chosen_id", "candidates_hash", "status", "rule_tail_parts", "chosen_usd", "related", "majority", "weight_voters")
SELECT o."id", o."rule_head", o."confidence", o."chosen_id", o."candidates_hash", o."status", t.parts,
       o."chosen_usd", o."related", o."majority", o."weight_voters"
FROM "fact_outcomes" o
LEFT JOIN (SELECT t.outcome_id, array_agg(r."id" ORDER BY t.n) AS parts
           FROM "fact_rule_parts_0015" t JOIN "fact_rule_parts" r ON r."part" = t.part GROUP BY t.outcome_id) t ON t.outcome_id = o."id"
ORDER BY o."id";
--> statement-breakpoint
DROP TABLE "fact_rule_parts_0015";
--> statement-breakpoint
DROP TABLE "fact_outcomes";
--> statement-breakpoint
ALTER TABLE "fact_outcomes_0015" RENAME TO "fact_outcomes";
--> statement-breakpoint
ALTER SEQUENCE "fact_outcomes_id_seq" OWNED BY "fact_outcomes"."id";
--> statement-breakpoint
ALTER TABLE "fact_outcomes" ADD CONSTRAINT "fact_outcomes_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
-- A fact version's candidates as the facts table stored them (0011), their flags by position.
DROP FUNCTION "fact_candidates"(bigint[], bigint[], jsonb);
--> statement-breakpoint
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
      'flags', coalesce(flags -> (r.ord - 1)::text, '[]'::jsonb))
    ORDER BY r.ord), '[]'::jsonb)
  FROM unnest(claim_ids, page_ids) WITH ORDINALITY AS r(claim_id, page_id, ord)
  JOIN claim_versions c ON c.id = r.claim_id
  JOIN claim_values v ON v.id = c.value_id
  LEFT JOIN claim_heads h ON h.id = c.head_id
  JOIN provenance p ON p.id = coalesce(r.page_id, c.provenance_id)
$$;
--> statement-breakpoint
-- A rule tail from its parts (null for null parts: no tail).
CREATE FUNCTION "fact_rule_tail"(parts integer[])
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(p.part, '' ORDER BY u.n) FROM unnest(parts) WITH ORDINALITY AS u(id, n) JOIN fact_rule_parts p ON p.id = u.id
$$;
--> statement-breakpoint
-- The facts table as it was (0013), its candidates' pages and flags from fact_candidate_pages and fact_candidate_flags,
-- its rule's tail from its parts.
CREATE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || q.key AS fact_key, encode(f.content_hash, 'hex') AS content_hash,
       f.model_id, f.attribute, q.key AS qualifiers_key, q.qualifiers, (SELECT v.value FROM claim_values v WHERE v.id = o.chosen_id) AS chosen, o.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = o.rule_head) || coalesce('. ' || fact_rule_tail(o.rule_tail_parts), '') AS rule,
       o.confidence, o.status,
       fact_candidates(f.candidate_claims, (SELECT p.pages FROM fact_candidate_pages p WHERE p.id = f.pages_id),
                       (SELECT l.flags FROM fact_candidate_flags l WHERE l.id = f.flags_id)) AS candidates,
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
