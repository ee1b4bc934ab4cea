CREATE TABLE "source_marks" (
	"guild_id" text NOT NULL,
	"role_id" text NOT NULL,
	"source_id" integer,
	"created_by_bot" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_marks_guild_id_role_id_pk" PRIMARY KEY("guild_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "marked_invites" (
	"code" text PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"role_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mark_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"remove_marks" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "source_marks" ADD CONSTRAINT "source_marks_source_id_invite_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."invite_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "source_marks_source" ON "source_marks" USING btree ("source_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "source_marks_invited" ON "source_marks" USING btree ("guild_id") WHERE "source_marks"."source_id" is null;--> statement-breakpoint
-- A source's role becomes its mark; a role two sources shared can mark neither, and is left out.
INSERT INTO "source_marks" ("guild_id", "role_id", "source_id", "created_by_bot")
SELECT "guild_id", "role_id", min("source_id"), false FROM "source_roles" GROUP BY "guild_id", "role_id" HAVING count(*) = 1;--> statement-breakpoint
DROP TABLE "source_roles" CASCADE;
