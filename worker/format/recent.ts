import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { JoinMethod } from "../../schema";
import { escapeMarkdown, fitLines, inlineCode, relativeTime } from "./text";
import { unattributedLabel, type UnattributedKind } from "./unattributed";

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
function origin(row: RecentRow): string {
  // The bot added the member itself: no invite to name, and it knows why (the invitation).
  const where =
    row.kind === "source"
      ? `**${escapeMarkdown(row.sourceName ?? "")}**`
      : row.method === "oauth"
        ? "*Join with Discord*"
        : unattributedLabel(row.kind, row.kind === "vanity" ? row.inviteCode : null);
  const code = row.inviteCode && row.kind !== "vanity" ? ` via ${inlineCode(row.inviteCode)}` : "";
  const candidates = (row.candidates ?? []).map(inlineCode).join(", ");
  const oneOf = row.method === "unresolved" && candidates ? `: one of ${candidates}` : "";
  const inviter = row.inviter ? `, ${row.inviter.throughInvitation ? "invitation" : "invite"} from <@${row.inviter.userId}>` : "";
  // An unresolved join's kind says why; a decided one says how it was decided.
  const how = row.method === "unresolved" ? "" : ` · ${row.method}`;
  return `${where}${code}${oneOf}${inviter}${how}`;
}

/** `/invite recent`: who joined, when, from where, and how we know. */
export function formatRecent(rows: RecentRow[]): APIEmbed {
  if (rows.length === 0) return { title: "Recent joins", description: "No joins recorded yet." };
  const lines = rows.map(
    (r) => `${relativeTime(r.joinedAt)} <@${r.userId}>${r.isRejoin ? " (rejoined)" : ""}: ${origin(r)}`,
  );
  return { title: "Recent joins", description: fitLines(lines) };
}
