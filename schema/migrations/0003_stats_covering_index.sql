DROP INDEX "invite_joins_guild_time";--> statement-breakpoint
CREATE INDEX "invite_joins_guild_time" ON "invite_joins" USING btree ("guild_id","joined_at" DESC NULLS LAST,"source_id");