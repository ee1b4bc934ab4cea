CREATE TABLE "interaction_receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "invite_sources_guild_name_ci";--> statement-breakpoint
ALTER TABLE "invite_sources" ADD COLUMN "name_key" text;--> statement-breakpoint
CREATE INDEX "interaction_receipts_received" ON "interaction_receipts" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invite_sources_guild_name_key" ON "invite_sources" USING btree ("guild_id","name_key");