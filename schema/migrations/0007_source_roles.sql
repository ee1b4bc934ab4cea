CREATE TABLE "source_roles" (
	"source_id" integer PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"role_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "source_roles" ADD CONSTRAINT "source_roles_source_id_invite_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."invite_sources"("id") ON DELETE no action ON UPDATE no action;