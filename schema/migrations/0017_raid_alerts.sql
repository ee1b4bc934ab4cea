CREATE TABLE "raid_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"channel_id" text,
	"threshold" integer NOT NULL,
	CONSTRAINT "raid_settings_threshold" CHECK ("raid_settings"."threshold" >= 1)
);
--> statement-breakpoint
CREATE TABLE "raid_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"raid_key" text NOT NULL,
	"invite_code" text,
	"started_at" timestamp with time zone NOT NULL,
	"last_join_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"joins" integer NOT NULL,
	"peak_per_minute" integer NOT NULL,
	"channel_id" text,
	"message_id" text,
	CONSTRAINT "raid_alerts_once" UNIQUE("guild_id","raid_key")
);
