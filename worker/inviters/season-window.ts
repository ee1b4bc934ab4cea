/**
 * Which joins a leaderboard counts: a season (`/invite season start`) and a
 * number of days. Pure: the seasons come in, a window or a problem comes out.
 */

import type { Messages } from "../i18n/messages";

const DAY_MS = 86_400_000;

export interface SeasonStart {
  number: number;
  name: string;
  startedAt: Date;
}

export interface CountWindow {
  since: Date | null;
  until: Date | null;
  /**
   * The stored ranking's key: the days (0 = the whole current season, or all
   * time before the first), or minus a past season's number. A new season drops
   * the stored rankings, so the current season needs no key of its own.
   */
  key: number;
  /** The last days counted, null for the whole season (`windowLabel` names the window). */
  days: number | null;
  /** The season counted, null before the first. */
  season: SeasonStart | null;
}

export type WindowProblem = { kind: "unknown_season"; number: number } | { kind: "days_in_past_season" };

export type WindowResult = { ok: true; window: CountWindow } | { ok: false; problem: WindowProblem };

/** "all time", "last 7 days", "season 2 “Spring”", "season 2 “Spring”, last 7 days", in the reader's language. */
export function windowLabel(window: Pick<CountWindow, "season" | "days">, m: Messages): string {
  const { season, days } = window;
  if (season === null) return days === null ? m.t("window.all_time") : m.t("window.days", { days });
  const named = m.t("window.season", { number: season.number, name: season.name });
  return days === null ? named : m.t("window.season_days", { season: named, days });
}

/**
 * The window for `season` (null = the current one) and `days` (null = the whole
 * season). The current season runs from its start to now, a past one to the
 * next one's start; days narrow the current season only.
 */
export function countWindow(seasons: readonly SeasonStart[], request: { season: number | null; days: number | null }, now: Date): WindowResult {
  if (request.season === null) return { ok: true, window: currentWindow(seasons, request.days, now) };
  const ordered = [...seasons].sort((a, b) => a.number - b.number);
  const chosen = ordered.find((s) => s.number === request.season);
  if (chosen === undefined) return { ok: false, problem: { kind: "unknown_season", number: request.season } };
  const next = ordered.find((s) => s.number > chosen.number);
  if (next === undefined) return { ok: true, window: currentWindow(seasons, request.days, now) };
  if (request.days !== null) return { ok: false, problem: { kind: "days_in_past_season" } };
  return { ok: true, window: { since: chosen.startedAt, until: next.startedAt, key: -chosen.number, days: null, season: chosen } };
}

/** The current season (all time before the first), narrowed to the last `days` if given. */
export function currentWindow(seasons: readonly SeasonStart[], days: number | null, now: Date): CountWindow {
  const current = seasons.reduce<SeasonStart | null>((a, s) => (a === null || s.number > a.number ? s : a), null);
  const daysSince = days === null ? null : new Date(now.getTime() - days * DAY_MS);
  const since = current === null ? daysSince : daysSince === null || current.startedAt > daysSince ? current.startedAt : daysSince;
  return { since, until: null, key: days ?? 0, days, season: current };
}

/** The later of a week's start and the current season's: the briefing's top inviters count from it. */
export function sinceInSeason(from: Date, seasons: readonly SeasonStart[]): Date {
  const start = currentWindow(seasons, null, from).since;
  return start !== null && start > from ? start : from;
}
