import { invitedMarkFor } from "../marks/invited-mark";
import { recordMarkedInvite } from "../marks/store";
import { and, eq, sql } from "drizzle-orm";
import { invitations, type Invitation } from "../../schema";
import type { Db } from "../db";
import type { DiscordRest, DiscordResult } from "../discord/rest";
import { guildChannel } from "../discord/channels";
import { discordInvites, DiscordErrorCode } from "../discord/invites";
import { INVITATION_CODE } from "./code";
import { readInvitationSettings } from "./settings";
import { invitationStatus } from "./store";
import { TtlCache } from "../ttl-cache";
import { logError } from "../log";

/** A single-use Discord invite lives this long: enough to finish joining, short enough to die unused. */
export const DISCORD_INVITE_MAX_AGE_S = 1800;
/** A Discord invite about to expire is not handed out again. */
const REUSE_MARGIN_MS = 2 * 60_000;

/**
 * Codes Postgres did not know, remembered briefly so that asking again costs
 * no query. Codes are 128 random bits: none of these will be minted meanwhile.
 */
const unknownCodes = new TtlCache<true>({ ttlMs: 60_000, maxEntries: 10_000 });
/**
 * What a page shows from Discord, found or not: an inviter who left, or a
 * server the bot cannot read, costs one call per isolate per five minutes,
 * not one per view (refused calls count toward Discord's invalid-request ban).
 */
const FACTS = { ttlMs: 5 * 60_000, maxEntries: 5_000 };
const guildFaces = new TtlCache<GuildFace>(FACTS);
const memberNames = new TtlCache<string | null>(FACTS);

export type Lookup = { kind: "unknown" } | { kind: "gone"; invitation: Invitation; status: "spent" | "revoked" | "expired" } | { kind: "valid"; invitation: Invitation };

/** The invitation behind a landing-page code. A malformed code, or one just found unknown, is unknown without a query. */
export async function lookUpInvitation(db: Db, code: string, now: Date): Promise<Lookup> {
  if (!INVITATION_CODE.test(code) || unknownCodes.get(code, now.getTime())) return { kind: "unknown" };
  const [invitation] = await db.select().from(invitations).where(eq(invitations.code, code));
  if (!invitation) {
    unknownCodes.set(code, true, now.getTime());
    return { kind: "unknown" };
  }
  const status = invitationStatus(invitation, now);
  return status === "unspent" ? { kind: "valid", invitation } : { kind: "gone", invitation, status };
}

export interface GuildFace {
  name: string | null;
  icon: string | null;
}

/** Discord's own answer, found or refused, is worth remembering; an outage's (5xx, network) is not. */
const definitive = (result: DiscordResult<unknown>) => result.ok || result.error.kind === "discord";

/**
 * The inviter's name as members see it, read from Discord once and kept on the
 * invitation; keeping it is handed to `later` (the request's waitUntil), off the page's path.
 */
export async function inviterName(db: Db, rest: DiscordRest, invitation: Invitation, later: (write: Promise<unknown>) => void): Promise<string | null> {
  if (invitation.inviterName) return invitation.inviterName;
  if (invitation.inviterId === null) return null;
  const key = `${invitation.guildId}:${invitation.inviterId}`;
  const cached = memberNames.get(key, Date.now());
  if (cached !== undefined) return cached;
  const member = await rest.get<{ nick?: string | null; user?: { username: string; global_name?: string | null } }>(
    `/guilds/${invitation.guildId}/members/${invitation.inviterId}`,
  );
  const name = member.ok ? (member.value.nick ?? member.value.user?.global_name ?? member.value.user?.username ?? null) : null;
  if (definitive(member)) memberNames.set(key, name, Date.now());
  if (name) {
    const kept = db.update(invitations).set({ inviterName: name }).where(eq(invitations.id, invitation.id)).execute();
    // Not kept: the next view asks Discord again (the cache above spares it for five minutes).
    later(kept.catch((error: unknown) => logError("could not keep an inviter's name", error, { invitation: invitation.id })));
  }
  return name;
}

/** The server's name and icon (the page is public; this is public too), or nulls when Discord does not say. */
export async function guildFace(rest: DiscordRest, guildId: string): Promise<GuildFace> {
  const cached = guildFaces.get(guildId, Date.now());
  if (cached) return cached;
  const guild = await rest.get<{ name: string; icon: string | null }>(`/guilds/${guildId}`);
  const face = guild.ok ? { name: guild.value.name, icon: guild.value.icon } : { name: null, icon: null };
  if (definitive(guild)) guildFaces.set(guildId, face, Date.now());
  return face;
}

export type Acceptance = { ok: true; discordCode: string } | { ok: false; reason: "no_channel" | "discord" };

/**
 * The single-use Discord invite for an invitation: the one made earlier while
 * it is still good for a while, or a new one in the configured channel (the
 * server's first text channel otherwise). Two clicks at once keep one invite:
 * the loser deletes its own and follows the winner's.
 */
export async function discordInviteFor(db: Db, rest: DiscordRest, invitation: Invitation, now: Date): Promise<Acceptance> {
  const stillGood = (i: Invitation) =>
    i.discordInviteCode !== null && i.discordInviteExpiresAt !== null && i.discordInviteExpiresAt.getTime() - REUSE_MARGIN_MS > now.getTime();
  if (stillGood(invitation)) return { ok: true, discordCode: invitation.discordInviteCode! };

  const configured = (await readInvitationSettings(db, invitation.guildId)).invitationChannelId;
  if (configured) {
    // Checked at every use: a channel of another server (saved before saving checked it) or one since deleted gets no invite.
    const lookup = await guildChannel(rest, invitation.guildId, configured);
    if (!lookup.ok) return { ok: false, reason: lookup.problem === "discord" ? "discord" : "no_channel" };
  }
  const channelId = configured ?? (await firstTextChannel(rest, invitation.guildId));
  if (!channelId) return { ok: false, reason: "no_channel" };
  const secondsLeft = invitation.expiresAt ? Math.floor((invitation.expiresAt.getTime() - now.getTime()) / 1000) : Infinity;
  const maxAge = Math.max(60, Math.min(DISCORD_INVITE_MAX_AGE_S, secondsLeft));
  const mark = await invitedMarkFor(db, rest, invitation.guildId);
  const create = (roleIds: string[]) => discordInvites.create(rest, channelId, { maxUses: 1, maxAge, roleIds }, `Invitation ${invitation.id} accepted`);
  let created = await create(mark ? [mark] : []);
  // The mark was deleted, or Manage Roles taken away: the invitation still gets its invite, unmarked.
  const markRefused = !created.ok && created.error.kind === "discord" && created.error.code !== DiscordErrorCode.UnknownChannel && created.error.status < 500;
  if (mark && markRefused) created = await create([]);
  if (!created.ok) return { ok: false, reason: created.error.kind === "discord" && created.error.code === DiscordErrorCode.UnknownChannel ? "no_channel" : "discord" };
  const code = created.value.code;
  const expiresAt = new Date(created.value.expires_at ? Date.parse(created.value.expires_at) : now.getTime() + maxAge * 1000);
  const [won] = await db
    .update(invitations)
    .set({ discordInviteCode: code, discordInviteExpiresAt: expiresAt })
    .where(
      and(
        eq(invitations.id, invitation.id),
        sql`${invitations.spentAt} is null`,
        invitation.discordInviteCode === null
          ? sql`${invitations.discordInviteCode} is null`
          : eq(invitations.discordInviteCode, invitation.discordInviteCode),
      ),
    )
    .returning({ code: invitations.discordInviteCode });
  if (won) {
    if (mark && !markRefused) await recordMarkedInvite(db, invitation.guildId, code, mark);
    return { ok: true, discordCode: code };
  }
  await discordInvites.delete(rest, code, "Another click made this invitation's invite first");
  const [winner] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
  return winner && winner.spentAt === null && stillGood(winner) ? { ok: true, discordCode: winner.discordInviteCode! } : { ok: false, reason: "discord" };
}

async function firstTextChannel(rest: DiscordRest, guildId: string): Promise<string | null> {
  const channels = await rest.get<Array<{ id: string; type: number; position: number }>>(`/guilds/${guildId}/channels`);
  if (!channels.ok) return null;
  const text = channels.value.filter((c) => c.type === 0).sort((a, b) => a.position - b.position);
  return text[0]?.id ?? null;
}
