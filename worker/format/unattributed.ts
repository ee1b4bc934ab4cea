import { inlineCode } from "./text";

/**
 * Why a join has no source, in the words admins act on:
 * - `vanity`: the vanity URL (a code, but no source can label it);
 * - `unlabelled`: an invite nobody labelled with a source;
 * - `no_invite`: moved no invite count (Server Discovery, an OAuth add, a bot);
 * - `ambiguous`: several invites could have brought it, and the bot does not guess;
 * - `gap`: the relay never delivered it (found later by the member sync).
 */
export const UNATTRIBUTED_KINDS = ["vanity", "unlabelled", "no_invite", "ambiguous", "gap"] as const;
export type UnattributedKind = (typeof UNATTRIBUTED_KINDS)[number];

export interface Unattributed {
  counts: Record<UnattributedKind, number>;
  /** The vanity code joins came through, when any did. */
  vanityCode: string | null;
}

export const emptyUnattributed = (): Unattributed => ({
  counts: { vanity: 0, unlabelled: 0, no_invite: 0, ambiguous: 0, gap: 0 },
  vanityCode: null,
});

export const unattributedTotal = (u: Unattributed) => UNATTRIBUTED_KINDS.reduce((sum, kind) => sum + u.counts[kind], 0);

/** How each cause of a source-less join reads in stats, health and the briefing. */
export function unattributedLabel(kind: UnattributedKind, vanityCode: string | null): string {
  switch (kind) {
    case "vanity":
      return `**Vanity URL** ${vanityCode ? inlineCode(`discord.gg/${vanityCode}`) : ""}`.trimEnd();
    case "unlabelled":
      return "*Invites with no source*";
    case "no_invite":
      return "*Moved no invite* (Discovery, OAuth add)";
    case "ambiguous":
      return "*Ambiguous* (more than one invite possible)";
    case "gap":
      return "*Missed by the relay* (found by the member sync)";
  }
}
