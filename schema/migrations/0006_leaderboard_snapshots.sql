CREATE TABLE "leaderboard_ranks" (
	"guild_id" text NOT NULL,
	"window_days" integer NOT NULL,
	"rank" integer NOT NULL,
	"user_id" text NOT NULL,
	"regular" integer NOT NULL,
	"left_count" integer NOT NULL,
	"fake" integer NOT NULL,
	"bonus" integer NOT NULL,
	CONSTRAINT "leaderboard_ranks_guild_id_window_days_rank_pk" PRIMARY KEY("guild_id","window_days","rank")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_snapshots" (
	"guild_id" text NOT NULL,
	"window_days" integer NOT NULL,
	"fake_account_age_days" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"inviters" integer NOT NULL,
	CONSTRAINT "leaderboard_snapshots_guild_id_window_days_pk" PRIMARY KEY("guild_id","window_days")
);
