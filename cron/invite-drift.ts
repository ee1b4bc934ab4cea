/**
 * Drift between the invites table and Discord's own list (pure): what the relay
 * missed (an INVITE_CREATE, an INVITE_DELETE) or a count that moved unseen.
 */

export interface KnownInvite {
  code: string;
  uses: number;
  expiresAt: number | null;
}

export interface ListedInvite {
  code: string;
  uses: number;
}

export interface InviteDrift {
  /** On Discord, not in the table (or marked deleted there). */
  missing: string[];
  /** In both, Discord counts more uses. */
  uses: string[];
  /** Live in the table, gone from Discord before its expiry. */
  vanished: string[];
  /** Live in the table, gone because it expired: repaired, not counted as drift. */
  expired: string[];
}

export function inviteDrift(known: KnownInvite[], listed: ListedInvite[], now: number): InviteDrift {
  const table = new Map(known.map((k) => [k.code, k]));
  const discord = new Set(listed.map((l) => l.code));
  const drift: InviteDrift = { missing: [], uses: [], vanished: [], expired: [] };
  for (const invite of listed) {
    const row = table.get(invite.code);
    if (!row) drift.missing.push(invite.code);
    else if (invite.uses > row.uses) drift.uses.push(invite.code);
  }
  for (const row of known) {
    if (discord.has(row.code)) continue;
    (row.expiresAt !== null && row.expiresAt <= now ? drift.expired : drift.vanished).push(row.code);
  }
  return drift;
}

export const driftCount = (d: InviteDrift) => d.missing.length + d.uses.length + d.vanished.length;
