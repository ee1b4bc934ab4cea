// Discord invite JSON (from GET /guilds/{id}/invites or an INVITE_CREATE dispatch)
// to the module's FreshInvite. Structural types, so no dependency is needed.
import type { FreshInvite } from "./types";

export interface DiscordInviteLike {
  code: string;
  uses?: number;
  max_uses?: number;
  max_age?: number;
  created_at?: string;
  expires_at?: string | null;
  inviter?: { id: string } | null;
  channel?: { id: string } | null;
  /** INVITE_CREATE carries the channel id flat. */
  channel_id?: string;
  /** The roles the invite grants: the invite object lists them (partial roles), INVITE_CREATE their ids. */
  roles?: Array<{ id: string }> | null;
  role_ids?: string[] | null;
}

/** `fallbackCreatedAt` is used when Discord sent no `created_at`. */
export function toFreshInvite(raw: DiscordInviteLike, fallbackCreatedAt: number): FreshInvite {
  const createdAt = raw.created_at ? Date.parse(raw.created_at) : fallbackCreatedAt;
  const maxAge = raw.max_age ?? 0;
  // INVITE_CREATE has no expires_at: derive it from max_age.
  const expiresAt =
    raw.expires_at !== undefined
      ? raw.expires_at === null
        ? null
        : Date.parse(raw.expires_at)
      : maxAge > 0
        ? createdAt + maxAge * 1000
        : null;
  const invite: FreshInvite = { code: raw.code, uses: raw.uses ?? 0, maxUses: raw.max_uses ?? 0, maxAge, createdAt, expiresAt };
  const inviterId = raw.inviter?.id;
  const channelId = raw.channel?.id ?? raw.channel_id;
  if (inviterId !== undefined) invite.inviterId = inviterId;
  if (channelId !== undefined) invite.channelId = channelId;
  const roles = raw.roles?.map((r) => r.id) ?? raw.role_ids ?? [];
  if (roles.length > 0) invite.roles = [...roles];
  return invite;
}
