CREATE TABLE "seasons" (
	"guild_id" text NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seasons_guild_id_number_pk" PRIMARY KEY("guild_id","number")
);
--> statement-breakpoint
CREATE TABLE "inviter_exclusions" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"excluded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inviter_exclusions_guild_id_user_id_pk" PRIMARY KEY("guild_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "username" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "global_name" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "nick" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "avatar" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "discriminator" text;--> statement-breakpoint
ALTER TABLE "join_log_settings" ADD COLUMN "count_after_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "leaderboard_ranks" ADD COLUMN "pending" integer DEFAULT 0 NOT NULL;