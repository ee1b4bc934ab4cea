CREATE TABLE "counted_uses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"code" text NOT NULL,
	"uses" integer,
	"how" text NOT NULL,
	"counted_from" timestamp with time zone,
	"counted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "counted_uses_once" UNIQUE("guild_id","code","counted_at"),
	CONSTRAINT "counted_uses_how" CHECK ("counted_uses"."how" in ('snapshot', 'vanish', 'vanity', 'reconcile', 'uncounted')),
	CONSTRAINT "counted_uses_count" CHECK (("counted_uses"."how" = 'uncounted') = ("counted_uses"."uses" is null) and coalesce("counted_uses"."uses", 1) > 0)
);
--> statement-breakpoint
CREATE TABLE "counted_use_hourly_counts" (
	"guild_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"how" text NOT NULL,
	"uses" integer NOT NULL,
	"uncounted" integer NOT NULL,
	CONSTRAINT "counted_use_hourly_counts_key" UNIQUE("guild_id","hour","code","how")
);
--> statement-breakpoint
CREATE TABLE "counted_use_daily_counts" (
	"guild_id" text NOT NULL,
	"day" date NOT NULL,
	"code" text NOT NULL,
	"how" text NOT NULL,
	"uses" integer NOT NULL,
	"uncounted" integer NOT NULL,
	CONSTRAINT "counted_use_daily_counts_key" UNIQUE("guild_id","day","code","how")
);
--> statement-breakpoint
ALTER TABLE "invite_joins" DROP CONSTRAINT "invite_joins_method";--> statement-breakpoint
CREATE INDEX "counted_uses_guild_time" ON "counted_uses" USING btree ("guild_id","counted_at");--> statement-breakpoint
ALTER TABLE "invite_joins" ADD CONSTRAINT "invite_joins_method" CHECK ("invite_joins"."method" in ('diff', 'vanity', 'exact', 'manual', 'role', 'oauth', 'source', 'unresolved'));--> statement-breakpoint
-- Keeps counted_use_hourly_counts and counted_use_daily_counts equal to a sum of
-- counted_uses by (guild, UTC hour or day of counted_at, code, how), like the join
-- rollups (0009): statement-level, one upsert per group of a bulk insert. The ledger
-- is only appended to and deleted from, never updated.
CREATE FUNCTION counted_use_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows' ELSE 'SELECT *, -1 AS sign FROM old_rows' END;
BEGIN
  -- A purge (invite_bot.keep_rollups, as in 0013) deletes the rollups itself: no negative rows after them.
  IF TG_OP = 'DELETE' AND current_setting('invite_bot.keep_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  EXECUTE format($q$
    WITH moved AS (%s),
    delta AS (
      SELECT guild_id, date_trunc('hour', counted_at, 'UTC') AS hour, code, how,
             sum(sign * coalesce(uses, 0))::integer AS uses, sum(sign * (uses IS NULL)::integer)::integer AS uncounted
        FROM moved GROUP BY 1, 2, 3, 4),
    hourly AS (
      INSERT INTO counted_use_hourly_counts AS c (guild_id, hour, code, how, uses, uncounted)
      SELECT guild_id, hour, code, how, uses, uncounted FROM delta
      ON CONFLICT ON CONSTRAINT counted_use_hourly_counts_key DO UPDATE SET uses = c.uses + excluded.uses, uncounted = c.uncounted + excluded.uncounted)
    INSERT INTO counted_use_daily_counts AS c (guild_id, day, code, how, uses, uncounted)
    SELECT guild_id, (hour AT TIME ZONE 'UTC')::date, code, how, sum(uses), sum(uncounted) FROM delta GROUP BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT counted_use_daily_counts_key DO UPDATE SET uses = c.uses + excluded.uses, uncounted = c.uncounted + excluded.uncounted
  $q$, moved);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER counted_uses_rollup_insert AFTER INSERT ON counted_uses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION counted_use_rollups_apply();
--> statement-breakpoint
CREATE TRIGGER counted_uses_rollup_delete AFTER DELETE ON counted_uses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION counted_use_rollups_apply();
--> statement-breakpoint
-- Builds a guild's ledger rollups (every guild's when null) in one pass, for bulk loads with the triggers off.
CREATE FUNCTION rebuild_counted_use_rollups(only_guild text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM counted_use_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  DELETE FROM counted_use_daily_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  INSERT INTO counted_use_hourly_counts (guild_id, hour, code, how, uses, uncounted)
    SELECT guild_id, date_trunc('hour', counted_at, 'UTC'), code, how, sum(coalesce(uses, 0)), count(*) FILTER (WHERE uses IS NULL)
      FROM counted_uses WHERE only_guild IS NULL OR guild_id = only_guild GROUP BY 1, 2, 3, 4;
  INSERT INTO counted_use_daily_counts (guild_id, day, code, how, uses, uncounted)
    SELECT guild_id, (hour AT TIME ZONE 'UTC')::date, code, how, sum(uses), sum(uncounted)
      FROM counted_use_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild GROUP BY 1, 2, 3, 4;
END $$;
