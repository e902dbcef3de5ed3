DROP INDEX "claims_identity_idx";--> statement-breakpoint
DROP INDEX "facts_key_idx";