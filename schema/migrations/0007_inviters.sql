CREATE TABLE "inviter_bonuses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "join_log_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"join_log_channel_id" text,
	"join_message" text,
	"leave_message" text,
	"fake_account_age_days" integer DEFAULT 7 NOT NULL,
	"remove_reward_on_drop" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_roles" (
	"guild_id" text NOT NULL,
	"role_id" text NOT NULL,
	"invites" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_roles_guild_id_role_id_pk" PRIMARY KEY("guild_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "join_log_posts" (
	"join_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "join_log_posts_join_id_kind_pk" PRIMARY KEY("join_id","kind")
);
--> statement-breakpoint
CREATE TABLE "source_roles" (
	"source_id" integer PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"role_id" text NOT NULL
);
--> statement-breakpoint
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
--> statement-breakpoint
ALTER TABLE "source_roles" ADD CONSTRAINT "source_roles_source_id_invite_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."invite_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inviter_bonuses_guild_user" ON "inviter_bonuses" USING btree ("guild_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "invites_guild_inviter" ON "invites" USING btree ("guild_id","inviter_id");--> statement-breakpoint
CREATE INDEX "invite_joins_guild_code" ON "invite_joins" USING btree ("guild_id","invite_code");--> statement-breakpoint
CREATE INDEX "invite_joins_guild_invitation" ON "invite_joins" USING btree ("guild_id","invitation_id") WHERE "invite_joins"."invitation_id" is not null;