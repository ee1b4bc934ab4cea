CREATE TABLE "guild_languages" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"language" text,
	"guild_locale" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
