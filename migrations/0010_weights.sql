CREATE TABLE "week_reliability" (
	"week" text NOT NULL,
	"kind" text NOT NULL,
	"voter" text NOT NULL,
	"attribute" text NOT NULL,
	"weight" double precision NOT NULL,
	"applied" double precision NOT NULL,
	"compared" integer NOT NULL,
	"agreed" double precision NOT NULL,
	"run_id" integer NOT NULL,
	CONSTRAINT "week_reliability_week_kind_voter_attribute_pk" PRIMARY KEY("week","kind","voter","attribute")
);
--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "closed_week" text;--> statement-breakpoint
ALTER TABLE "fact_versions" ADD COLUMN "majority" jsonb;--> statement-breakpoint
ALTER TABLE "fact_versions" ADD COLUMN "weight_voters" text[];--> statement-breakpoint
-- The facts view gains majority and weights (after its columns, so queries keep working): a fact
-- version's weights are the applied weights of its voters learned by the full reconcile of its first week.
CREATE OR REPLACE VIEW "facts" AS
SELECT f.id, f.model_id || '|' || f.attribute || '|' || f.qualifiers_key AS fact_key, f.content_hash, f.model_id, f.attribute,
       f.qualifiers_key, f.qualifiers, f.chosen, f.chosen_usd,
       (SELECT r.head FROM fact_rules r WHERE r.id = f.rule_head) || coalesce('. ' || f.rule_tail, '') AS rule,
       f.confidence, f.status,
       fact_candidates(f.candidate_claims, f.candidate_pages, f.candidate_flags) AS candidates,
       f.candidates_hash, f.related, f.run_id, f.valid_from, f.valid_to,
       f.majority,
       CASE WHEN f.weight_voters IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(v.voter, coalesce(w.applied, 1) ORDER BY v.voter)
          FROM unnest(f.weight_voters) AS v(voter)
          LEFT JOIN week_reliability w ON w.week = f.valid_from AND w.kind = 'voter' AND w.voter = v.voter AND w.attribute = f.attribute)
       END AS weights
FROM fact_versions f;