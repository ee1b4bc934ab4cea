import { index, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per cron job and guild run: what it found and repaired. `/invite health`
 * reads the last day of it (drift repaired, rate-limit hits, whether member search answered).
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: serial("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    /** 'reconcile', 'confirm', 'member_sync' or 'briefing'. */
    job: text("job").notNull(),
    ranAt: timestamp("ran_at", { withTimezone: true }).notNull().defaultNow(),
    /** 'ok' or 'failed'. */
    outcome: text("outcome").notNull(),
    figures: jsonb("figures").$type<Record<string, number | string | boolean | null>>().notNull(),
  },
  (t) => [index("job_runs_guild_job_time").on(t.guildId, t.job, t.ranAt)],
);
