CREATE TABLE "aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"origin" text NOT NULL,
	"reviewed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"identity" text NOT NULL,
	"content_hash" text NOT NULL,
	"source_id" text NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"qualifiers_key" text NOT NULL,
	"qualifiers" jsonb NOT NULL,
	"value" jsonb NOT NULL,
	"amount_usd" numeric,
	"via" text,
	"url" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"excerpt" text NOT NULL,
	"locator" text NOT NULL,
	"extractor_version" text NOT NULL,
	"page_hash" text NOT NULL,
	"stated_as_of" jsonb,
	"run_id" integer NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" serial PRIMARY KEY NOT NULL,
	"fact_key" text NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"qualifiers_key" text NOT NULL,
	"opened_week" text NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"decision_value" jsonb,
	"decision_note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_candidates_hash" text
);
--> statement-breakpoint
CREATE TABLE "extraction_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "facts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fact_key" text NOT NULL,
	"content_hash" text NOT NULL,
	"model_id" text NOT NULL,
	"attribute" text NOT NULL,
	"qualifiers_key" text NOT NULL,
	"qualifiers" jsonb NOT NULL,
	"chosen" jsonb,
	"chosen_usd" numeric,
	"rule" text NOT NULL,
	"confidence" real NOT NULL,
	"status" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"candidates_hash" text NOT NULL,
	"related" jsonb,
	"run_id" integer NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text
);
--> statement-breakpoint
CREATE TABLE "fetches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"http_status" integer,
	"page_hash" text,
	"fetched_at" timestamp with time zone NOT NULL,
	"etag" text,
	"last_modified" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "raw_pages" (
	"hash" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"body_gz" "bytea" NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"week" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"source_status" jsonb NOT NULL,
	"counts" jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"authority" text NOT NULL,
	"hosts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unmatched_names" (
	"run_id" integer NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "extraction_issues" ADD CONSTRAINT "extraction_issues_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fetches" ADD CONSTRAINT "fetches_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unmatched_names" ADD CONSTRAINT "unmatched_names_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_identity_idx" ON "claims" USING btree ("identity","valid_from");--> statement-breakpoint
CREATE INDEX "claims_model_idx" ON "claims" USING btree ("model_id","attribute");--> statement-breakpoint
CREATE INDEX "claims_open_idx" ON "claims" USING btree ("source_id") WHERE valid_to is null;--> statement-breakpoint
CREATE UNIQUE INDEX "conflicts_fact_key_idx" ON "conflicts" USING btree ("fact_key");--> statement-breakpoint
CREATE INDEX "issues_run_idx" ON "extraction_issues" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "facts_key_idx" ON "facts" USING btree ("fact_key","valid_from");--> statement-breakpoint
CREATE INDEX "facts_model_idx" ON "facts" USING btree ("model_id","attribute");--> statement-breakpoint
CREATE INDEX "fetches_run_idx" ON "fetches" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "fetches_url_idx" ON "fetches" USING btree ("url");--> statement-breakpoint
CREATE INDEX "runs_week_idx" ON "runs" USING btree ("week");--> statement-breakpoint
CREATE INDEX "unmatched_run_idx" ON "unmatched_names" USING btree ("run_id","source_id");