CREATE TABLE "invite_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "invites" (
	"code" text PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text,
	"inviter_id" text,
	"source_id" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"max_uses" integer DEFAULT 0 NOT NULL,
	"max_age" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "invite_joins" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"invite_code" text,
	"source_id" integer,
	"invitation_id" integer,
	"method" text NOT NULL,
	"candidates" text[],
	"is_rejoin" boolean DEFAULT false NOT NULL,
	CONSTRAINT "invite_joins_once" UNIQUE("guild_id","user_id","joined_at"),
	CONSTRAINT "invite_joins_method" CHECK ("invite_joins"."method" in ('diff', 'vanity', 'exact', 'manual', 'unresolved'))
);
--> statement-breakpoint
CREATE TABLE "join_daily_counts" (
	"guild_id" text NOT NULL,
	"day" date NOT NULL,
	"source_id" integer,
	"joins" integer NOT NULL,
	CONSTRAINT "join_daily_counts_key" UNIQUE NULLS NOT DISTINCT("guild_id","day","source_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "members_guild_id_user_id_pk" PRIMARY KEY("guild_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "waves" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"policy" jsonb NOT NULL,
	"requested" integer NOT NULL,
	"minted" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"code" text NOT NULL,
	"inviter_id" text NOT NULL,
	"invited_id" text,
	"wave_id" integer,
	"discord_invite_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"spent_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_code_unique" UNIQUE("code"),
	CONSTRAINT "invitations_discord_invite_code_unique" UNIQUE("discord_invite_code")
);
--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_source_id_invite_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."invite_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite_joins" ADD CONSTRAINT "invite_joins_source_id_invite_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."invite_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invite_sources_guild_name_ci" ON "invite_sources" USING btree ("guild_id",lower("name"));--> statement-breakpoint
CREATE INDEX "invites_guild" ON "invites" USING btree ("guild_id");--> statement-breakpoint
CREATE INDEX "invites_source" ON "invites" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "invite_joins_guild_time" ON "invite_joins" USING btree ("guild_id","joined_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "invite_joins_guild_user" ON "invite_joins" USING btree ("guild_id","user_id","joined_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "invitations_guild_inviter" ON "invitations" USING btree ("guild_id","inviter_id");