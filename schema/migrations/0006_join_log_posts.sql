CREATE TABLE "join_log_posts" (
	"join_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "join_log_posts_join_id_kind_pk" PRIMARY KEY("join_id","kind")
);
