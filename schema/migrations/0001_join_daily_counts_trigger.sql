-- Keeps join_daily_counts equal to a count of invite_joins by (guild, UTC day, source).
-- Statement-level with transition tables, so a bulk insert costs one upsert per group.
CREATE FUNCTION join_daily_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO join_daily_counts AS c (guild_id, day, source_id, joins)
      SELECT guild_id, (joined_at AT TIME ZONE 'UTC')::date, source_id, -count(*)
      FROM old_rows GROUP BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT join_daily_counts_key DO UPDATE SET joins = c.joins + excluded.joins;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO join_daily_counts AS c (guild_id, day, source_id, joins)
      SELECT guild_id, (joined_at AT TIME ZONE 'UTC')::date, source_id, count(*)
      FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT join_daily_counts_key DO UPDATE SET joins = c.joins + excluded.joins;
  END IF;
  DELETE FROM join_daily_counts WHERE joins = 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER invite_joins_count_insert AFTER INSERT ON invite_joins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION join_daily_counts_apply();
--> statement-breakpoint
CREATE TRIGGER invite_joins_count_update AFTER UPDATE ON invite_joins
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION join_daily_counts_apply();
--> statement-breakpoint
CREATE TRIGGER invite_joins_count_delete AFTER DELETE ON invite_joins
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION join_daily_counts_apply();
