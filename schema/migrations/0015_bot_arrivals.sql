CREATE TABLE "bot_arrivals" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"joined_at" timestamp with time zone NOT NULL
);
