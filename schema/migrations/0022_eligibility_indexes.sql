DROP INDEX "invitations_guild_inviter";--> statement-breakpoint
CREATE INDEX "invitations_guild_inviter" ON "invitations" USING btree ("guild_id","inviter_id","created_at","id","spent_at","revoked_at","expires_at","invited_id");--> statement-breakpoint
CREATE INDEX "members_guild_present" ON "members" USING btree ("guild_id","user_id","joined_at") WHERE "members"."left_at" is null and not "members"."bot";
