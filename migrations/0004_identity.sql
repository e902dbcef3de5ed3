CREATE TABLE "model_names" (
	"run_id" integer NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"model_id" text,
	"rule" text,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "aliases" ADD COLUMN "decision" text;--> statement-breakpoint
ALTER TABLE "aliases" ADD COLUMN "rule_model_id" text;--> statement-breakpoint
ALTER TABLE "aliases" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unmatched_names" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "unmatched_names" ADD COLUMN "candidates" jsonb;--> statement-breakpoint
ALTER TABLE "model_names" ADD CONSTRAINT "model_names_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_names_run_idx" ON "model_names" USING btree ("run_id","source_id");--> statement-breakpoint
CREATE INDEX "model_names_model_idx" ON "model_names" USING btree ("model_id");