ALTER TABLE "invite_joins" ADD COLUMN "group_id" text;--> statement-breakpoint
CREATE INDEX "invite_joins_group" ON "invite_joins" USING btree ("guild_id","group_id");