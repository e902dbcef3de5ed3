-- Distributed refresh (issue 18): run-scoped staging rows the workers write, and the
-- per-host politeness state they share. Self-contained: no table of the single-process
-- path changes; a finished distributed run publishes through the same publish() as a
-- single-process refresh. The pg-boss queue schema is created by `modelfacts migrate`
-- through pg-boss itself (its own versioned migrations), not here.
CREATE TABLE "distributed_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"week" text NOT NULL,
	"mode" text NOT NULL,
	"plan" jsonb NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"run_id" integer,
	"error" text
);
--> statement-breakpoint
-- the run lock of a distributed refresh: one running distributed run per week
CREATE UNIQUE INDEX "distributed_runs_one_running_per_week" ON "distributed_runs" ("week") WHERE "state" = 'running';
--> statement-breakpoint
CREATE TABLE "distributed_sources" (
	"run" integer NOT NULL REFERENCES "distributed_runs"("id") ON DELETE CASCADE,
	"source_id" text NOT NULL,
	"urls" jsonb NOT NULL,
	PRIMARY KEY ("run", "source_id")
);
--> statement-breakpoint
-- one row per (run, source, page): a retried page job overwrites its row, so its claims count once
CREATE TABLE "distributed_pages" (
	"run" integer NOT NULL REFERENCES "distributed_runs"("id") ON DELETE CASCADE,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"page" jsonb,
	"error" jsonb,
	"reading" jsonb,
	"attempts" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("run", "source_id", "url")
);
--> statement-breakpoint
-- robots.txt once per run per origin: the first worker claims the row (result null) and fills it
CREATE TABLE "distributed_robots" (
	"run" integer NOT NULL REFERENCES "distributed_runs"("id") ON DELETE CASCADE,
	"origin" text NOT NULL,
	"result" jsonb,
	"claimed_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	PRIMARY KEY ("run", "origin")
);
--> statement-breakpoint
-- per-host politeness shared by every worker: the next free start, a Retry-After pause, leases for concurrency
CREATE TABLE "host_slots" (
	"host" text PRIMARY KEY NOT NULL,
	"next_at" timestamp with time zone DEFAULT '-infinity' NOT NULL,
	"paused_until" timestamp with time zone DEFAULT '-infinity' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "host_leases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "host_leases_host" ON "host_leases" ("host");
--> statement-breakpoint
-- Takes a start slot on a host: null when `concurrency` leases are out (try again soon), else a lease
-- and how long to wait before starting. Times are the database's clock, so workers on machines with
-- skewed clocks still space their starts. A lease of a killed worker expires after lease_ms.
CREATE FUNCTION "host_slot_acquire"(p_host text, p_concurrency integer, p_interval_ms integer, p_lease_ms integer)
RETURNS TABLE ("lease_id" bigint, "wait_ms" integer) LANGUAGE plpgsql AS $$
DECLARE
	t timestamptz := clock_timestamp();
	slot timestamptz;
	busy integer;
BEGIN
	INSERT INTO host_slots (host) VALUES (p_host) ON CONFLICT DO NOTHING;
	SELECT greatest(next_at, t, paused_until) INTO slot FROM host_slots WHERE host = p_host FOR UPDATE;
	DELETE FROM host_leases WHERE host = p_host AND expires_at < t;
	SELECT count(*) INTO busy FROM host_leases WHERE host = p_host;
	IF busy >= p_concurrency THEN
		RETURN QUERY SELECT NULL::bigint, NULL::integer;
		RETURN;
	END IF;
	UPDATE host_slots SET next_at = slot + make_interval(secs => p_interval_ms / 1000.0) WHERE host = p_host;
	RETURN QUERY INSERT INTO host_leases (host, expires_at)
		VALUES (p_host, slot + make_interval(secs => p_lease_ms / 1000.0))
		RETURNING id, ceil(extract(epoch FROM slot - t) * 1000)::integer;
END $$;
