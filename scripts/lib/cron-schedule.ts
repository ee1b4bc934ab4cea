/**
 * The cron triggers of wrangler.toml as Cloudflare reads them: five fields
 * (minute, hour, day of month, month, day of week) in UTC, each `*`, a number,
 * a range `a-b`, a step `*` or `a-b` followed by `/n`, or a list of these. When
 * both day fields are restricted a day matching either one matches, as in cron.
 * Pure: `npm start` fires what this matches (scripts/lib/cron-runner.ts).
 */

export interface Cron {
  expression: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Whether the day-of-month and day-of-week fields are `*` (unrestricted). */
  anyDay: boolean;
  anyWeekday: boolean;
}

export type CronParse = { ok: true; cron: Cron } | { ok: false; reason: string };

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  // 7 is Sunday too.
  { name: "day of week", min: 0, max: 7 },
] as const;

function field(text: string, { name, min, max }: (typeof FIELDS)[number]): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `${name} "${part}" is not a number, a range, * or a step`;
    const [, , from, to, step] = match;
    const first = from === undefined ? min : Number(from);
    const last = from === undefined ? max : to === undefined ? (step === undefined ? first : max) : Number(to);
    const by = step === undefined ? 1 : Number(step);
    if (first < min || last > max || first > last || by < 1) return `${name} "${part}" is outside ${min}-${max}`;
    for (let v = first; v <= last; v += by) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return { ok: false, reason: `"${expression}" has ${parts.length} fields, not 5` };
  const sets: Array<Set<number>> = [];
  for (const [i, part] of parts.entries()) {
    const parsed = field(part, FIELDS[i]!);
    if (typeof parsed === "string") return { ok: false, reason: `"${expression}": ${parsed}` };
    sets.push(parsed);
  }
  const [minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  return { ok: true, cron: { expression, minutes, hours, days, months, weekdays, anyDay: parts[2] === "*", anyWeekday: parts[4] === "*" } };
}

/** Whether `cron` fires in the UTC minute that contains `at`. */
export function cronMatches(cron: Cron, at: Date): boolean {
  if (!cron.minutes.has(at.getUTCMinutes()) || !cron.hours.has(at.getUTCHours()) || !cron.months.has(at.getUTCMonth() + 1)) return false;
  const day = cron.days.has(at.getUTCDate());
  const weekday = cron.weekdays.has(at.getUTCDay());
  if (cron.anyDay || cron.anyWeekday) return day && weekday;
  return day || weekday;
}

/** The `crons = [...]` of wrangler.toml's [triggers] table (none when it has none). */
export function cronsInWranglerToml(toml: string): string[] {
  const triggers = /^\[triggers\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const withoutComments = triggers.replace(/^\s*#.*$/gm, "");
  const list = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(withoutComments)?.[1] ?? "";
  return [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]!);
}
