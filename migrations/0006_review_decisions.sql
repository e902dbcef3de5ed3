CREATE TABLE "decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"conflict_id" integer NOT NULL,
	"fact_key" text NOT NULL,
	"action" text NOT NULL,
	"value" jsonb,
	"source_id" text,
	"via" text,
	"note" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"week" text NOT NULL,
	"candidates_hash" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"rejected" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_conflict_id_conflicts_id_fk" FOREIGN KEY ("conflict_id") REFERENCES "public"."conflicts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_conflict_idx" ON "decisions" USING btree ("conflict_id","id");--> statement-breakpoint
-- decisions taken before the log existed become its first entries (their candidates were not kept)
INSERT INTO "decisions" ("conflict_id", "fact_key", "action", "value", "note", "decided_by", "decided_at", "week", "candidates_hash", "candidates", "rejected")
SELECT "id", "fact_key", 'override', "decision_value", coalesce("decision_note", ''), coalesce("decided_by", 'unknown'), coalesce("decided_at", now()), "opened_week", coalesce("decision_candidates_hash", ''), '[]'::jsonb, '[]'::jsonb
FROM "conflicts" WHERE "decision_value" IS NOT NULL ORDER BY "decided_at", "id";
