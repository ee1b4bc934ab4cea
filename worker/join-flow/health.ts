import { ago, type HealthLine } from "../health/report";
import type { Messages } from "../i18n/messages";

/** A refusal older than this no longer says anything about the bot's permissions now. */
const RECENT_MS = 7 * 24 * 3_600_000;

/**
 * `/invite health`'s line for "Join with Discord": bad while Discord refused an
 * add for want of Create Invite in the last week (a successful add clears it).
 * No line for a guild where the flow never failed so: nothing to do.
 */
export function joinFlowHealthLines(missingPermissionAt: number | null, now: number, m: Messages): HealthLine[] {
  if (missingPermissionAt === null || now - missingPermissionAt > RECENT_MS) return [];
  return [
    {
      level: "bad",
      topic: m.t("health.join_flow"),
      text: m.t("health.join_flow.text", { ago: ago(now - missingPermissionAt, m) }),
      action: m.t("health.join_flow.action"),
    },
  ];
}
