import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { JoinMethod } from "../../schema";
import { escapeMarkdown, fitLines, relativeTime } from "./text";

export interface RecentRow {
  userId: string;
  joinedAt: Date;
  inviteCode: string | null;
  method: JoinMethod;
  candidates: string[] | null;
  isRejoin: boolean;
  sourceName: string | null;
}

function origin(row: RecentRow): string {
  if (row.method === "unresolved") {
    const codes = (row.candidates ?? []).map((c) => `\`${c}\``).join(", ");
    return codes ? `unresolved (one of ${codes})` : "unresolved";
  }
  const source = row.sourceName === null ? "no source" : `**${escapeMarkdown(row.sourceName)}**`;
  const code = row.inviteCode ? ` via \`${row.inviteCode}\`` : "";
  return `${source}${code} · ${row.method}`;
}

/** `/invite recent`: who joined, when, from where, and how we know. */
export function formatRecent(rows: RecentRow[]): APIEmbed {
  if (rows.length === 0) return { title: "Recent joins", description: "No joins recorded yet." };
  const lines = rows.map(
    (r) => `${relativeTime(r.joinedAt)} <@${r.userId}>${r.isRejoin ? " (rejoined)" : ""}: ${origin(r)}`,
  );
  return { title: "Recent joins", description: fitLines(lines) };
}
