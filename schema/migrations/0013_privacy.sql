-- Invite rewards are gone (Discord's Platform Manipulation Policy prohibits them): the
-- configured reward roles stay as history, and the roles members hold are left alone.
ALTER TABLE "reward_roles" RENAME TO "retired_reward_roles";--> statement-breakpoint
ALTER TABLE "retired_reward_roles" RENAME CONSTRAINT "reward_roles_guild_id_role_id_pk" TO "retired_reward_roles_guild_id_role_id_pk";--> statement-breakpoint
ALTER TABLE "retired_reward_roles" ADD COLUMN "retired_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "join_log_settings" DROP COLUMN "remove_reward_on_drop";--> statement-breakpoint
CREATE TABLE "departed_guilds" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"left_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
-- /invite forget removes the person from an invitation or a bonus and keeps the row.
ALTER TABLE "invitations" ALTER COLUMN "inviter_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inviter_bonuses" ALTER COLUMN "created_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "forgotten_at" timestamp with time zone;--> statement-breakpoint
-- As 0010, except that a transaction which set `invite_bot.keep_rollups` to 'on' (erasing a
-- member's joins, purging a guild) leaves the rollups alone: a forgotten member's joins stay
-- counted, as anonymous numbers.
CREATE OR REPLACE FUNCTION join_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
    ELSE 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows' END;
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('invite_bot.keep_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
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
