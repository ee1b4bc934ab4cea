import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { JoinMethod } from "../../schema";
import { escapeMarkdown, fitLines, inlineCode, relativeTime } from "./text";
import { unattributedLabel, type UnattributedKind } from "./unattributed";
import type { Messages } from "../i18n/messages";


export interface RecentRow {
  userId: string;
  joinedAt: Date;
  inviteCode: string | null;
  method: JoinMethod;
  candidates: string[] | null;
  isRejoin: boolean;
  sourceName: string | null;
  /** 'source', or why the join has none: the kinds `/invite stats` counts (join_kind()). */
  kind: "source" | UnattributedKind;
  /** Who the join counts for (worker/inviters), and whether through one of their invitations. */
  inviter: { userId: string; throughInvitation: boolean } | null;
}

/** Where a join came from, in the words of `/invite stats`, with what the row adds: the code, the candidates, the inviter. */
function origin(row: RecentRow, m: Messages): string {
  // The bot added the member itself: no invite to name, and it knows why (the invitation).
  const where =
    row.kind === "source"
      ? `**${escapeMarkdown(row.sourceName ?? "")}**`
      : row.method === "oauth"
        ? m.t("recent.join_with_discord")
        : unattributedLabel(row.kind, row.kind === "vanity" ? row.inviteCode : null, m);
  const code = row.inviteCode && row.kind !== "vanity" ? m.t("recent.via", { code: inlineCode(row.inviteCode) }) : "";
  const candidates = (row.candidates ?? []).map(inlineCode).join(", ");
  const oneOf = row.method === "unresolved" && candidates ? m.t("recent.one_of", { candidates }) : "";
  const inviter = row.inviter ? m.t("recent.inviter", { invitation: String(row.inviter.throughInvitation), userId: row.inviter.userId }) : "";
  // An unresolved join's kind says why; a decided one says how it was decided.
  const how = row.method === "unresolved" ? "" : ` · ${row.method}`;
  return `${where}${code}${oneOf}${inviter}${how}`;
}

/** `/invite recent`: who joined, when, from where, and how we know. */
export function formatRecent(rows: RecentRow[], m: Messages): APIEmbed {
  const title = m.t("recent.title");
  if (rows.length === 0) return { title, description: m.t("recent.empty") };
  const lines = rows.map((r) => m.t("recent.line", { when: relativeTime(r.joinedAt), userId: r.userId, rejoin: String(r.isRejoin), origin: origin(r, m) }));
  return { title, description: fitLines(lines, undefined, m) };
}
