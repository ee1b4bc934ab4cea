CREATE TABLE "join_hourly_counts" (
	"guild_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"source_id" integer,
	"kind" text NOT NULL,
	"joins" integer NOT NULL,
	CONSTRAINT "join_hourly_counts_key" UNIQUE NULLS NOT DISTINCT("guild_id","hour","source_id","kind")
);
--> statement-breakpoint
ALTER TABLE "join_daily_counts" DROP CONSTRAINT "join_daily_counts_key";--> statement-breakpoint
ALTER TABLE "join_daily_counts" ADD COLUMN "kind" text DEFAULT 'source' NOT NULL;--> statement-breakpoint
CREATE INDEX "invite_joins_vanity" ON "invite_joins" USING btree ("guild_id","joined_at") WHERE "invite_joins"."method" = 'vanity' and "invite_joins"."source_id" is null;--> statement-breakpoint
ALTER TABLE "join_daily_counts" ADD CONSTRAINT "join_daily_counts_key" UNIQUE NULLS NOT DISTINCT("guild_id","day","source_id","kind");