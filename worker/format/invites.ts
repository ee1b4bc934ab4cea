import type { APIEmbed } from "discord-api-types/payloads/v10";
import { escapeMarkdown, fitLines, relativeTime } from "./text";
import type { Messages } from "../i18n/messages";


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
export function formatInviteList(rows: InviteRow[], m: Messages): APIEmbed {
  const title = m.t("invite_list.title", { count: rows.length });
  if (rows.length === 0) return { title, description: m.t("invite_list.empty") };
  const sorted = [...rows].sort(
    (a, b) => Number(a.source === null) - Number(b.source === null) || b.uses - a.uses || a.code.localeCompare(b.code),
  );
  const lines = sorted.map((r) => {
    const source = r.source === null ? m.t("invite_list.no_source") : `**${escapeMarkdown(r.source)}**`;
    const expiry = r.expiresAt ? m.t("invite_list.expires", { when: relativeTime(r.expiresAt) }) : m.t("invite_list.never_expires");
    return m.t("invite_list.line", { code: r.code, source, marked: String(r.marked), uses: r.uses, max: r.maxUses === 0 ? "∞" : r.maxUses, expiry });
  });
  return { title, description: fitLines(lines, undefined, m) };
}
