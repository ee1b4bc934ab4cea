/** What the guild's object owes Postgres and the alert channel for one raid effect (worker/raids/detector.ts). */
export interface RaidAlertItem {
  kind: "raid_alert";
  guildId: string;
  /** The detector's raid id: every item of one raid carries it, so each edits that raid's one message. */
  raidKey: string;
  /** null: joins through no invite (Server Discovery, an OAuth add). */
  inviteCode: string | null;
  phase: "start" | "update" | "end";
  startedAt: number;
  lastJoinAt: number;
  endedAt: number | null;
  joins: number;
  perMinute: number;
  peakPerMinute: number;
}
