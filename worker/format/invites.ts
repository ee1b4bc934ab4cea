import type { APIEmbed } from "discord-api-types/payloads/v10";
import { escapeMarkdown, fitLines, relativeTime } from "./text";

export interface InviteRow {
  code: string;
  source: string | null;
  uses: number;
  maxUses: number;
  expiresAt: Date | null;
  /** Made with its source's mark: its joins are named by the role Discord gives. */
  marked: boolean;
}

/** `/invite list`: every invite of the guild, labelled ones first. */
export function formatInviteList(rows: InviteRow[]): APIEmbed {
  const title = `Invites (${rows.length})`;
  if (rows.length === 0) return { title, description: "This server has no invites." };
  const sorted = [...rows].sort(
    (a, b) => Number(a.source === null) - Number(b.source === null) || b.uses - a.uses || a.code.localeCompare(b.code),
  );
  const lines = sorted.map((r) => {
    const source = r.source === null ? "*no source*" : `**${escapeMarkdown(r.source)}**`;
    const uses = `${r.uses}/${r.maxUses === 0 ? "∞" : r.maxUses} uses`;
    const expiry = r.expiresAt ? `expires ${relativeTime(r.expiresAt)}` : "never expires";
    return `\`${r.code}\` ${source}${r.marked ? " · marked" : ""} · ${uses} · ${expiry}`;
  });
  return { title, description: fitLines(lines) };
}
