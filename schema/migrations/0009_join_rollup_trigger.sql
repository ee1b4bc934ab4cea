-- Why a join has or lacks a source, as reports split it. One definition for the
-- trigger, the rebuild and the raw slice reports count (worker/store/window-counts.ts).
CREATE FUNCTION join_kind(source_id integer, method text, reason text, candidates text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN source_id IS NOT NULL THEN 'source'
              WHEN method = 'vanity' THEN 'vanity'
              WHEN method <> 'unresolved' THEN 'unlabelled'
              WHEN reason IN ('missed', 'gap') THEN 'gap'
              WHEN coalesce(cardinality(candidates), 0) = 0 THEN 'no_invite'
              ELSE 'ambiguous' END
$$;
--> statement-breakpoint
DROP TRIGGER invite_joins_count_insert ON invite_joins;
--> statement-breakpoint
DROP TRIGGER invite_joins_count_update ON invite_joins;
--> statement-breakpoint
DROP TRIGGER invite_joins_count_delete ON invite_joins;
--> statement-breakpoint
DROP FUNCTION join_daily_counts_apply();
--> statement-breakpoint
-- Keeps join_hourly_counts and join_daily_counts equal to a count of invite_joins by
-- (guild, UTC hour or day, source, kind). Statement-level with transition tables: a
-- bulk insert costs one upsert per group. An update that moves a join (resolved
-- later, given a source) takes it from its old group and adds it to the new; a
-- group emptied that way keeps a zero row (deleting it would cost a scan), which readers skip.
CREATE FUNCTION join_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
      SELECT guild_id, date_trunc('hour', joined_at, 'UTC') AS hour, source_id,
             join_kind(source_id, method, reason, candidates) AS kind, sum(sign)::integer AS joins
        FROM moved GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0),
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
CREATE TRIGGER invite_joins_rollup_insert AFTER INSERT ON invite_joins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION join_rollups_apply();
--> statement-breakpoint
CREATE TRIGGER invite_joins_rollup_update AFTER UPDATE ON invite_joins
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION join_rollups_apply();
--> statement-breakpoint
CREATE TRIGGER invite_joins_rollup_delete AFTER DELETE ON invite_joins
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION join_rollups_apply();
--> statement-breakpoint
-- Builds a guild's rollups (every guild's when null) from its joins in one pass:
-- this migration's backfill, and the bulk loads that insert with the triggers off.
CREATE FUNCTION rebuild_join_rollups(only_guild text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM join_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  DELETE FROM join_daily_counts WHERE only_guild IS NULL OR guild_id = only_guild;
  INSERT INTO join_hourly_counts (guild_id, hour, source_id, kind, joins)
    SELECT guild_id, date_trunc('hour', joined_at, 'UTC'), source_id, join_kind(source_id, method, reason, candidates), count(*)
      FROM invite_joins WHERE only_guild IS NULL OR guild_id = only_guild GROUP BY 1, 2, 3, 4;
  INSERT INTO join_daily_counts (guild_id, day, source_id, kind, joins)
    SELECT guild_id, (hour AT TIME ZONE 'UTC')::date, source_id, kind, sum(joins)
      FROM join_hourly_counts WHERE only_guild IS NULL OR guild_id = only_guild GROUP BY 1, 2, 3, 4;
END $$;
--> statement-breakpoint
SELECT rebuild_join_rollups(NULL);
