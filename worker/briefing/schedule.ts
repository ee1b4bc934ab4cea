/**
 * When a guild's weekly briefing is due, in its own time zone (pure). The hourly
 * cron asks at every hour; a slot stays due for a day, so a missed cron run (an
 * outage) still delivers that week's briefing, and the week key names it once.
 */
import type { BriefingSettings } from "../settings/briefing-settings";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How long after its hour a slot is still served. */
export const SLOT_GRACE_HOURS = 24;
const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface LocalTime {
  /** Midnight of the local calendar date, as a UTC timestamp (for date arithmetic only). */
  date: number;
  weekday: number;
  hour: number;
}

export function localTime(at: number, timezone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", weekday: "short", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)),
    weekday: WEEKDAY_INDEX[parts.weekday!]!,
    hour: Number(parts.hour) % 24,
  };
}

/** ISO 8601 week of a calendar date ("2026-W48"): weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(date: number): string {
  const d = new Date(date);
  const weekday = d.getUTCDay() || 7;
  const thursday = date + (4 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export type SlotCheck = { due: false } | { due: true; week: string; hoursLate: number };

/** Whether `now` is in the guild's slot (or up to a day after it), and which week that slot belongs to. */
export function briefingSlot(now: number, settings: Pick<BriefingSettings, "briefingDay" | "briefingHour" | "timezone">): SlotCheck {
  const local = localTime(now, settings.timezone);
  const hoursLate = (((local.weekday - settings.briefingDay) * 24 + (local.hour - settings.briefingHour)) % 168 + 168) % 168;
  if (hoursLate >= SLOT_GRACE_HOURS) return { due: false };
  const slotDate = local.date + Math.floor((local.hour - hoursLate) / 24) * DAY_MS;
  return { due: true, week: isoWeek(slotDate), hoursLate };
}

/** The week a preview (`/invite briefing`) or a post at `now` reports: the 7 days before it, and the 7 before those. */
export function briefingWindows(now: number) {
  return {
    thisWeek: { from: now - 7 * DAY_MS, to: now },
    lastWeek: { from: now - 14 * DAY_MS, to: now - 7 * DAY_MS },
    chart: { from: now - 28 * DAY_MS, to: now },
  };
}
