/**
 * The briefing and member-search settings of `/invite settings`, validated
 * without I/O: each option in, a typed change or the option it refused out.
 */

import type { Phrase } from "../commands/failures";
import type { Messages } from "../i18n/messages";

export interface BriefingSettings {
  /** Where the weekly briefing goes; null: no briefing is posted. */
  briefingChannelId: string | null;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  briefingDay: number;
  /** Local hour, 0–23. */
  briefingHour: number;
  /** IANA zone the day and hour are read in. */
  timezone: string;
  /** Whether the bot may ask Discord's member search how members joined. */
  memberSearch: boolean;
}

export const DEFAULT_SETTINGS: BriefingSettings = {
  briefingChannelId: null,
  briefingDay: 1,
  briefingHour: 9,
  timezone: "UTC",
  memberSearch: true,
};

/** The option names, as registered (worker/commands/definitions.ts). */
export const SETTING_OPTIONS = {
  channel: "briefing_channel",
  day: "briefing_day",
  hour: "briefing_hour",
  timezone: "timezone",
  memberSearch: "member_search",
} as const;

export const TIMEZONE_MAX = 64;

export type SettingsChanges = Partial<BriefingSettings>;
export type SettingsRead = { ok: true; changes: SettingsChanges } | { ok: false; option: string; expected: Phrase };

/**
 * The zone's canonical IANA name ("europe/amsterdam" → "Europe/Amsterdam"), or
 * null when the runtime's time zone database does not know it. Offsets such as
 * "+02:00" are refused: they ignore daylight saving, which is the point of a zone.
 */
export function canonicalTimezone(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > TIMEZONE_MAX || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** Reads the options present; an absent option is no change. */
export function readSettingsChanges(options: ReadonlyMap<string, string | number | boolean>): SettingsRead {
  const changes: SettingsChanges = {};
  const refuse = (option: string, expected: Phrase): SettingsRead => ({ ok: false, option, expected });
  if (options.has(SETTING_OPTIONS.channel)) {
    const value = options.get(SETTING_OPTIONS.channel);
    if (typeof value !== "string" || !/^\d{17,20}$/.test(value)) return refuse(SETTING_OPTIONS.channel, { key: "expected.text_channel" });
    changes.briefingChannelId = value;
  }
  if (options.has(SETTING_OPTIONS.day)) {
    const value = options.get(SETTING_OPTIONS.day);
    if (!isWhole(value, 1, 7)) return refuse(SETTING_OPTIONS.day, { key: "expected.weekday" });
    changes.briefingDay = value;
  }
  if (options.has(SETTING_OPTIONS.hour)) {
    const value = options.get(SETTING_OPTIONS.hour);
    if (!isWhole(value, 0, 23)) return refuse(SETTING_OPTIONS.hour, { key: "expected.hour" });
    changes.briefingHour = value;
  }
  if (options.has(SETTING_OPTIONS.timezone)) {
    const value = options.get(SETTING_OPTIONS.timezone);
    const zone = typeof value === "string" ? canonicalTimezone(value) : null;
    if (zone === null) return refuse(SETTING_OPTIONS.timezone, { key: "expected.timezone" });
    changes.timezone = zone;
  }
  if (options.has(SETTING_OPTIONS.memberSearch)) {
    const value = options.get(SETTING_OPTIONS.memberSearch);
    if (typeof value !== "boolean") return refuse(SETTING_OPTIONS.memberSearch, { key: "expected.on_off" });
    changes.memberSearch = value;
  }
  return { ok: true, changes };
}

/** "Monday 09:00 (Europe/Amsterdam)", the day named in the reader's language. */
export const describeSlot = (s: Pick<BriefingSettings, "briefingDay" | "briefingHour" | "timezone">, m: Messages) =>
  m.t("settings.slot", { day: weekdayName(s.briefingDay, m.locale), hour: String(s.briefingHour).padStart(2, "0"), timezone: s.timezone });

/** An ISO weekday (1 Monday … 7 Sunday) by `Intl`: 2024-01-01 was a Monday. */
export const weekdayName = (day: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, day)));
