import type { APIEmbed } from "discord-api-types/payloads/v10";
import { escapeMarkdown, fitLines } from "./text";

export interface StatsRow {
  name: string | null;
  retired: boolean;
  joins: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${((part / whole) * 100).toFixed(1)}%`);

/** `/invite stats`: joins per source with shares; unattributed joins are a row of their own. */
export function formatStats(rows: StatsRow[], days: number): APIEmbed {
  const total = rows.reduce((sum, r) => sum + r.joins, 0);
  const title = `Joins in the last ${days} day${days === 1 ? "" : "s"}: ${total.toLocaleString("en-US")}`;
  if (total === 0) return { title, description: "No joins recorded in this window yet." };
  const lines = rows.map((r) => {
    const label = r.name === null ? "*Unattributed*" : `**${escapeMarkdown(r.name)}**${r.retired ? " (retired)" : ""}`;
    return `${label}: ${r.joins.toLocaleString("en-US")} (${percent(r.joins, total)})`;
  });
  return { title, description: fitLines(lines) };
}
