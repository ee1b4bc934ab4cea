import { fail, ok, type Outcome } from "../commands/failures";
import { integerOption, snowflakeOption, type SubcommandCall } from "../commands/options";
import type { Messages } from "../i18n/messages";

/** The raid options of `/invite settings`, as registered (worker/commands/definitions.ts). */
export const RAID_OPTIONS = { channel: "raid_alert_channel", threshold: "raid_threshold" } as const;

/** Joins per minute through one invite (or none); 0 turns alerts off. */
export const RAID_THRESHOLD = { min: 0, max: 10_000 } as const;
/** A threshold few servers reach without a raid, for an admin who gave only the channel. */
export const DEFAULT_RAID_THRESHOLD = 30;

export interface RaidSettings {
  /** null: no alerts. */
  channelId: string | null;
  threshold: number;
}

export const NO_RAID_ALERTS: RaidSettings = { channelId: null, threshold: DEFAULT_RAID_THRESHOLD };

/** Options left out keep their value; `raid_threshold: 0` turns alerts off (with no channel given). */
export function readRaidPatch(call: SubcommandCall): Outcome<Partial<RaidSettings>> {
  const patch: Partial<RaidSettings> = {};
  if (call.options.has(RAID_OPTIONS.channel)) {
    const channel = snowflakeOption(call, RAID_OPTIONS.channel, { key: "expected.text_channel" });
    if (!channel.ok) return channel;
    patch.channelId = channel.value;
  }
  if (call.options.has(RAID_OPTIONS.threshold)) {
    const threshold = integerOption(call, RAID_OPTIONS.threshold, RAID_THRESHOLD);
    if (!threshold.ok) return threshold;
    if (threshold.value === 0) {
      if (patch.channelId) return fail({ kind: "invalid_option", option: RAID_OPTIONS.threshold, expected: { key: "expected.raid_threshold_with_channel" } });
      patch.channelId = null;
    } else patch.threshold = threshold.value;
  }
  return ok(patch);
}

/** What the guild's object counts against: null when alerts are off. */
export const objectThreshold = (s: RaidSettings) => (s.channelId === null ? null : s.threshold);

export function describeRaidSettings(s: RaidSettings, m: Messages): string {
  return s.channelId === null ? m.t("raid_settings.off") : m.t("raid_settings.on", { channelId: s.channelId, threshold: s.threshold });
}
