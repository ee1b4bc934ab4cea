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
CREATE INDEX "inviter_bonuses_guild_user" ON "inviter_bonuses" USING btree ("guild_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "invite_joins_guild_code" ON "invite_joins" USING btree ("guild_id","invite_code");