CREATE TABLE "guild_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"briefing_channel_id" text,
	"briefing_day" integer DEFAULT 1 NOT NULL,
	"briefing_hour" integer DEFAULT 9 NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"member_search" boolean DEFAULT true NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guild_settings_day" CHECK ("guild_settings"."briefing_day" between 1 and 7),
	CONSTRAINT "guild_settings_hour" CHECK ("guild_settings"."briefing_hour" between 0 and 23)
);
--> statement-breakpoint
CREATE TABLE "briefing_posts" (
	"guild_id" text NOT NULL,
	"week" text NOT NULL,
	"channel_id" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone,
	"message_id" text,
	CONSTRAINT "briefing_posts_guild_id_week_pk" PRIMARY KEY("guild_id","week")
);
--> statement-breakpoint
CREATE TABLE "exact_checks" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"diff_code" text,
	"exact_code" text,
	"outcome" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exact_checks_guild_id_user_id_joined_at_pk" PRIMARY KEY("guild_id","user_id","joined_at")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"job" text NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"figures" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_sync" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"after" text DEFAULT '0' NOT NULL,
	"pass_started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "invite_joins" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "exact_checks_guild_time" ON "exact_checks" USING btree ("guild_id","checked_at");--> statement-breakpoint
CREATE INDEX "job_runs_guild_job_time" ON "job_runs" USING btree ("guild_id","job","ran_at");--> statement-breakpoint
CREATE INDEX "invite_joins_unattributed" ON "invite_joins" USING btree ("guild_id","joined_at","method","reason","invite_code","candidates") WHERE "invite_joins"."source_id" is null;--> statement-breakpoint
CREATE INDEX "members_guild_joined" ON "members" USING btree ("guild_id","joined_at","left_at");