-- Archived pages as deltas, extraction issues stored once (issue 17). A raw page
-- whose URL was archived before may be stored as a delta against that earlier
-- body: base_hash names it, body_gz then holds the gzip'd delta, chain_depth
-- counts the deltas back to the full body the chain starts with (the program
-- bounds it). Bodies stored before stay full (base_hash null, depth 0).
ALTER TABLE "raw_pages" ADD COLUMN "base_hash" text;
--> statement-breakpoint
ALTER TABLE "raw_pages" ADD COLUMN "chain_depth" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "raw_pages" ADD CONSTRAINT "raw_pages_base_hash_raw_pages_hash_fk" FOREIGN KEY ("base_hash") REFERENCES "public"."raw_pages"("hash") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- Each distinct issue (source, URL, message, detail) once: a real week repeats most of the week before's.
CREATE TABLE "extraction_issue_texts" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" "bytea" NOT NULL,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
-- The one definition of an issue's key, for this migration and for publish alike.
CREATE FUNCTION "extraction_issue_key"(source_id text, url text, message text, detail jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(jsonb_build_array(source_id, url, message, detail)::text, 'UTF8'))
$$;
--> statement-breakpoint
INSERT INTO "extraction_issue_texts" ("key", "source_id", "url", "message", "detail")
SELECT k, source_id, url, message, detail
FROM (SELECT DISTINCT ON (k) k, id, source_id, url, message, detail
      FROM (SELECT extraction_issue_key(i.source_id, i.url, i.message, i.detail) AS k, i.* FROM "extraction_issues" i) s
      ORDER BY k, id) d
ORDER BY id;
--> statement-breakpoint
CREATE UNIQUE INDEX "extraction_issue_texts_key_idx" ON "extraction_issue_texts" USING btree ("key");
--> statement-breakpoint
-- a run's issues point at their texts, in the order (and with the ids) they were recorded
ALTER SEQUENCE "extraction_issues_id_seq" OWNED BY NONE;
--> statement-breakpoint
CREATE TABLE "extraction_issues_0014" (
	"id" bigint DEFAULT nextval('extraction_issues_id_seq') NOT NULL,
	"run_id" integer NOT NULL,
	"issue_id" integer NOT NULL
);
--> statement-breakpoint
INSERT INTO "extraction_issues_0014" ("id", "run_id", "issue_id")
SELECT i.id, i.run_id, t.id
FROM "extraction_issues" i
JOIN "extraction_issue_texts" t ON t.key = extraction_issue_key(i.source_id, i.url, i.message, i.detail)
ORDER BY i.id;
--> statement-breakpoint
DROP TABLE "extraction_issues";
--> statement-breakpoint
ALTER TABLE "extraction_issues_0014" RENAME TO "extraction_issues";
--> statement-breakpoint
ALTER SEQUENCE "extraction_issues_id_seq" OWNED BY "extraction_issues"."id";
--> statement-breakpoint
ALTER TABLE "extraction_issues" ADD CONSTRAINT "extraction_issues_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
ALTER TABLE "extraction_issues" ADD CONSTRAINT "extraction_issues_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "extraction_issues" ADD CONSTRAINT "extraction_issues_issue_id_extraction_issue_texts_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."extraction_issue_texts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "issues_run_idx" ON "extraction_issues" USING btree ("run_id");
