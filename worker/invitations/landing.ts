import { and, eq, sql } from "drizzle-orm";
import { invitations, type Invitation } from "../../schema";
import type { Db } from "../db";
import type { DiscordRest } from "../discord/rest";
import { discordInvites, DiscordErrorCode } from "../discord/invites";
import { INVITATION_CODE } from "./code";
import { readInvitationSettings } from "./settings";
import { invitationStatus } from "./store";

/** Failed lookups one client address may make per window before it gets 429s. */
export const LOOKUP_FAILURE_LIMIT = 20;
const WINDOW_MS = 10 * 60_000;
/** A single-use Discord invite lives this long: enough to finish joining, short enough to die unused. */
export const DISCORD_INVITE_MAX_AGE_S = 1800;
/** A Discord invite about to expire is not handed out again. */
const REUSE_MARGIN_MS = 2 * 60_000;

const windowStart = (now: Date) => new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS).toISOString();

export async function tooManyFailures(db: Db, address: string, now: Date): Promise<boolean> {
  const result = await db.execute<{ failures: number }>(sql`
    select failures from landing_lookup_failures where address = ${address} and window_start = ${windowStart(now)}::timestamptz`);
  return (result.rows[0]?.failures ?? 0) >= LOOKUP_FAILURE_LIMIT;
}

export async function recordFailure(db: Db, address: string, now: Date): Promise<void> {
  await db.execute(sql`
    insert into landing_lookup_failures (address, window_start, failures) values (${address}, ${windowStart(now)}::timestamptz, 1)
    on conflict (address, window_start) do update set failures = landing_lookup_failures.failures + 1`);
  // Old windows are worthless: whoever records a failure sweeps them.
  await db.execute(sql`delete from landing_lookup_failures where window_start < ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz`);
}

export type Lookup = { kind: "unknown" } | { kind: "gone"; invitation: Invitation; status: "spent" | "revoked" | "expired" } | { kind: "valid"; invitation: Invitation };

/** The invitation behind a landing-page code. A malformed code is unknown without a query. */
export async function lookUpInvitation(db: Db, code: string, now: Date): Promise<Lookup> {
  if (!INVITATION_CODE.test(code)) return { kind: "unknown" };
  const [invitation] = await db.select().from(invitations).where(eq(invitations.code, code));
  if (!invitation) return { kind: "unknown" };
  const status = invitationStatus(invitation, now);
  return status === "unspent" ? { kind: "valid", invitation } : { kind: "gone", invitation, status };
}

export interface GuildFace {
  name: string | null;
  icon: string | null;
}

/** The inviter's name as members see it, read from Discord once and kept on the invitation. */
export async function inviterName(db: Db, rest: DiscordRest, invitation: Invitation): Promise<string | null> {
  if (invitation.inviterName) return invitation.inviterName;
  if (invitation.inviterId === null) return null;
  const member = await rest.get<{ nick?: string | null; user?: { username: string; global_name?: string | null } }>(
    `/guilds/${invitation.guildId}/members/${invitation.inviterId}`,
  );
  if (!member.ok) return null;
  const name = member.value.nick ?? member.value.user?.global_name ?? member.value.user?.username ?? null;
  if (name) await db.update(invitations).set({ inviterName: name }).where(eq(invitations.id, invitation.id));
  return name;
}

/** The server's name and icon, from Discord through the edge cache (the page is public; this is public too). */
export async function guildFace(rest: DiscordRest, guildId: string, cache: Cache | undefined): Promise<GuildFace> {
  const key = new Request(`https://guild-face.invalid/${guildId}`);
  const cached = await cache?.match(key);
  if (cached) return (await cached.json()) as GuildFace;
  const guild = await rest.get<{ name: string; icon: string | null }>(`/guilds/${guildId}`);
  if (!guild.ok) return { name: null, icon: null };
  const face = { name: guild.value.name, icon: guild.value.icon };
  await cache?.put(key, new Response(JSON.stringify(face), { headers: { "Cache-Control": "max-age=600" } }));
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

  const channelId = (await readInvitationSettings(db, invitation.guildId)).invitationChannelId ?? (await firstTextChannel(rest, invitation.guildId));
  if (!channelId) return { ok: false, reason: "no_channel" };
  const secondsLeft = invitation.expiresAt ? Math.floor((invitation.expiresAt.getTime() - now.getTime()) / 1000) : Infinity;
  const maxAge = Math.max(60, Math.min(DISCORD_INVITE_MAX_AGE_S, secondsLeft));
  const created = await discordInvites.create(rest, channelId, { maxUses: 1, maxAge }, `Invitation ${invitation.id} accepted`);
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
  if (won) return { ok: true, discordCode: code };
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
