import type { WindowTotals } from "../counted-uses";
import type { Messages } from "../i18n/messages";
import { inlineCode } from "./text";

/**
 * Why a join has no source, in the words admins act on:
 * - `vanity`: the vanity URL (a code, but no source can label it);
 * - `unlabelled`: an invite nobody labelled with a source;
 * - `no_invite`: moved no invite count (Server Discovery, an OAuth add, a bot);
 * - `ambiguous`: several invites could have brought it, and the bot does not guess
 *   (a per-member fact: totals count invite uses, so they have no such row);
 * - `uncounted`: an invite deleted or expired between two looks, its last uses never counted;
 * - `gap`: a relay gap: the relay never delivered it (found later by the member
 *   sync), or events were lost around it (a new gateway session) so the counts
 *   cannot speak for it.
 */
export const UNATTRIBUTED_KINDS = ["vanity", "unlabelled", "no_invite", "ambiguous", "uncounted", "gap"] as const;
export type UnattributedKind = (typeof UNATTRIBUTED_KINDS)[number];

export interface Unattributed {
  counts: Record<UnattributedKind, number>;
  /** The vanity code joins came through, when any did. */
  vanityCode: string | null;
}

export const emptyUnattributed = (): Unattributed => ({
  counts: { vanity: 0, unlabelled: 0, no_invite: 0, ambiguous: 0, uncounted: 0, gap: 0 },
  vanityCode: null,
});

/** The rows without a source of a window's totals (worker/counted-uses/totals.ts). */
export const totalsUnattributed = (t: WindowTotals, vanityCode: string | null): Unattributed => ({
  counts: { vanity: t.vanity, unlabelled: t.unlabelled, no_invite: t.noInvite, ambiguous: 0, uncounted: t.uncounted, gap: t.gap },
  vanityCode,
});

export const unattributedTotal = (u: Unattributed) => UNATTRIBUTED_KINDS.reduce((sum, kind) => sum + u.counts[kind], 0);

/** How each cause of a source-less join reads in stats, health and the briefing. */
export function unattributedLabel(kind: UnattributedKind, vanityCode: string | null, m: Messages): string {
  switch (kind) {
    case "vanity":
      return `${m.t("unattributed.vanity")} ${vanityCode ? inlineCode(`discord.gg/${vanityCode}`) : ""}`.trimEnd();
    case "unlabelled":
      return m.t("unattributed.unlabelled");
    case "no_invite":
      return m.t("unattributed.no_invite");
    case "ambiguous":
      return m.t("unattributed.ambiguous");
    case "uncounted":
      return m.t("unattributed.uncounted");
    case "gap":
      return m.t("unattributed.gap");
  }
}
