CREATE TABLE "invitation_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"wave_size" integer DEFAULT 0 NOT NULL,
	"wave_policy" text DEFAULT 'unspent' NOT NULL,
	"wave_min_days" integer DEFAULT 0 NOT NULL,
	"wave_every_days" integer DEFAULT 7 NOT NULL,
	"expires_days" integer DEFAULT 14 NOT NULL,
	"growth_target" integer,
	"invitation_channel_id" text,
	"welcome_channel_id" text,
	"last_wave_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "landing_lookup_failures" (
	"address" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "landing_lookup_failures_address_window_start_pk" PRIMARY KEY("address","window_start")
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "bot" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "eligible" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "seed" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "discord_invite_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "dm_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "inviter_name" text;--> statement-breakpoint
CREATE INDEX "invitations_guild_invited" ON "invitations" USING btree ("guild_id","invited_id");--> statement-breakpoint
CREATE INDEX "invitations_wave" ON "invitations" USING btree ("wave_id");--> statement-breakpoint
CREATE INDEX "invitations_to_notify" ON "invitations" USING btree ("id") WHERE "invitations"."notified_at" is null and "invitations"."dm_closed_at" is null and "invitations"."spent_at" is null;--> statement-breakpoint
CREATE INDEX "invitations_to_announce" ON "invitations" USING btree ("spent_at") WHERE "invitations"."spent_at" is not null and "invitations"."announced_at" is null;