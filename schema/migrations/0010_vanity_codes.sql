CREATE TABLE "guild_vanity_codes" (
	"guild_id" text NOT NULL,
	"code" text NOT NULL,
	"learned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guild_vanity_codes_guild_id_code_pk" PRIMARY KEY("guild_id","code")
);
--> statement-breakpoint
DROP INDEX "invite_joins_vanity";--> statement-breakpoint
-- The vanity codes already known to Postgres: those of joins the diff put on the vanity URL.
INSERT INTO guild_vanity_codes (guild_id, code, learned_at)
  SELECT guild_id, invite_code, min(joined_at) FROM invite_joins WHERE method = 'vanity' AND invite_code IS NOT NULL GROUP BY 1, 2;
--> statement-breakpoint
DROP FUNCTION join_kind(integer, text, text, text[]);
--> statement-breakpoint
-- Why a join has or lacks a source, as reports split it. `vanity_code`: the join's code is one of
-- the guild's vanity codes (guild_vanity_codes), so it is a vanity join however it was resolved
-- (the diff, member search, by hand). Pure, so Postgres inlines it; one definition for the
-- trigger, the rebuild and the raw slices reports count (worker/store/join-kind.ts).
CREATE FUNCTION join_kind(source_id integer, method text, reason text, candidates text[], vanity_code boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN source_id IS NOT NULL THEN 'source'
              WHEN method = 'vanity' THEN 'vanity'
              WHEN method = 'unresolved' THEN
                CASE WHEN reason IN ('missed', 'gap') THEN 'gap'
                     WHEN coalesce(cardinality(candidates), 0) = 0 THEN 'no_invite'
                     ELSE 'ambiguous' END
              WHEN vanity_code THEN 'vanity'
              ELSE 'unlabelled' END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION join_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
    ELSE 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows' END;
BEGIN
  -- Dynamic: a statement may name only the transition tables its operation has.
  EXECUTE format($q$
    WITH moved AS (%s),
    delta AS (
      SELECT m.guild_id, date_trunc('hour', m.joined_at, 'UTC') AS hour, m.source_id,
             join_kind(m.source_id, m.method, m.reason, m.candidates, v.code IS NOT NULL) AS kind, sum(m.sign)::integer AS joins
        FROM moved m LEFT JOIN guild_vanity_codes v ON v.guild_id = m.guild_id AND v.code = m.invite_code
       GROUP BY 1, 2, 3, 4 HAVING sum(m.sign) <> 0),
    hourly AS (
      INSERT INTO join_hourly_counts AS c (guild_id, hour, source_id, kind, joins)
      SELECT guild_id, hour, source_id, kind, joins FROM delta
      ON CONFLICT ON CONSTRAINT join_hourly_counts_key DO UPDATE SET joins = c.joins + excluded.joins)
    INSERT INTO join_daily_counts AS c (guild_id, day, source_id, kind, joins)
    SELECT guild_id, (hour AT TIME ZONE 'UTC')::date, source_id, kind, sum(joins) FROM delta GROUP BY 1, 2, 3, 4 HAVING sum(joins) <> 0
    ON CONFLICT ON CONSTRAINT join_daily_counts_key DO UPDATE SET joins = c.joins + excluded.joins
  $q$, moved);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_join_rollups(only_guild text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM join_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  DELETE FROM join_daily_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  INSERT INTO join_hourly_counts (guild_id, hour, source_id, kind, joins)
    SELECT j.guild_id, date_trunc('hour', j.joined_at, 'UTC'), j.source_id, join_kind(j.source_id, j.method, j.reason, j.candidates, v.code IS NOT NULL), count(*)
      FROM invite_joins j LEFT JOIN guild_vanity_codes v ON v.guild_id = j.guild_id AND v.code = j.invite_code
     WHERE only_guild IS NULL OR j.guild_id = only_guild GROUP BY 1, 2, 3, 4;
  INSERT INTO join_daily_counts (guild_id, day, source_id, kind, joins)
    SELECT guild_id, (hour AT TIME ZONE 'UTC')::date, source_id, kind, sum(joins)
      FROM join_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild GROUP BY 1, 2, 3, 4;
END $$;
--> statement-breakpoint
-- Records a code of the guild's vanity URL (its Durable Object calls it on learning one). Joins
-- through it written before it was known were counted as unlabelled invites: they are moved to
-- the vanity kind by the rollup trigger itself, by taking their code off before the code is
-- known and giving it back after, so the counts follow the one definition above.
CREATE FUNCTION learn_vanity_code(guild text, vanity text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  counted bigint[];
BEGIN
  IF EXISTS (SELECT 1 FROM guild_vanity_codes WHERE guild_id = guild AND code = vanity) THEN RETURN; END IF;
  WITH cleared AS (
    UPDATE invite_joins SET invite_code = NULL WHERE guild_id = guild AND invite_code = vanity AND source_id IS NULL RETURNING id)
  SELECT array_agg(id) INTO counted FROM cleared;
  INSERT INTO guild_vanity_codes (guild_id, code) VALUES (guild, vanity) ON CONFLICT DO NOTHING;
  UPDATE invite_joins SET invite_code = vanity WHERE id = ANY(counted);
END $$;
--> statement-breakpoint
SELECT rebuild_join_rollups(NULL);
