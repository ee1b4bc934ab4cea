import { briefingSlotJob } from "./briefing-slot";
import { purgeJob } from "./departed-guilds";
import { exactConfirmationJob } from "./exact-confirmation";
import { invitationJob } from "./invitations";
import type { GuildJob } from "./job-run";
import { memberSyncJob } from "./member-sync";
import { nameRetentionJob } from "./name-retention";
import { reconcileJob } from "./reconcile";

/** Every job the cron fans out, by the name its Queue messages carry. */
export const GUILD_JOBS = {
  reconcile: reconcileJob,
  invitations: invitationJob,
  briefing: briefingSlotJob,
  confirm: exactConfirmationJob,
  member_sync_start: memberSyncJob("start"),
  member_sync: memberSyncJob("continue"),
  purge: purgeJob,
  name_retention: nameRetentionJob,
} satisfies Record<string, GuildJob>;

export type GuildJobName = keyof typeof GUILD_JOBS;
export const GUILD_JOB_NAMES = Object.keys(GUILD_JOBS) as [GuildJobName, ...GuildJobName[]];

/** The jobs of each cron expression in wrangler.toml's [triggers]. */
export const CRON_JOBS: Record<string, GuildJobName[]> = {
  "*/5 * * * *": ["reconcile", "invitations"],
  "0 * * * *": ["briefing", "confirm", "member_sync"],
  "30 3 * * *": ["member_sync_start", "purge", "name_retention"],
};
