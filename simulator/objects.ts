/**
 * Discord's JSON shapes for the fake's records, with every field the official
 * spec marks required (checked by test/node/fake-discord.test.ts).
 */
import type { FakeChannel, FakeDiscordState, FakeGuild, FakeInvite, FakeMember, FakeMessage, FakeRole, FakeUser } from "./state";

export function userJson(user: FakeUser) {
  return {
    id: user.id,
    username: user.username,
    avatar: null,
    discriminator: "0",
    public_flags: 0,
    flags: 0,
    ...(user.bot ? { bot: true } : {}),
    global_name: user.global_name,
    primary_guild: null,
  };
}

function userById(state: FakeDiscordState, id: string) {
  const user = state.users.get(id);
  return user ? userJson(user) : userJson({ id, username: "deleted_user", global_name: null, bot: false, dms_closed: false });
}

export function roleJson(role: FakeRole) {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions,
    position: role.position,
    color: role.color ?? 0,
    colors: { primary_color: role.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: role.hoist ?? false,
    managed: role.managed,
    mentionable: role.mentionable ?? false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

/** The partial role an invite object lists: id, name, position, color, colors, icon, unicode_emoji. */
function inviteRoleJson(role: FakeRole) {
  const { id, name, position, color, colors, icon, unicode_emoji } = roleJson(role);
  return { id, name, position, color, colors, icon, unicode_emoji };
}

export function guildJson(state: FakeDiscordState, guild: FakeGuild, withCounts: boolean) {
  const systemChannel = state.guildChannels(guild.id).find((c) => c.type === 0)?.id ?? null;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: guild.features,
    banner: null,
    owner_id: guild.owner_id,
    application_id: null,
    region: "deprecated",
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: systemChannel,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    roles: [...guild.roles.values()].map(roleJson),
    default_message_notifications: 0,
    mfa_level: 0,
    explicit_content_filter: 0,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: guild.vanity_url_code,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US",
    rules_channel_id: null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    premium_progress_bar_enabled: false,
    nsfw: false,
    nsfw_level: 0,
    emojis: [],
    stickers: [],
    incidents_data: null,
    ...(withCounts ? counts(guild) : {}),
  };
}

function counts(guild: FakeGuild) {
  return { approximate_member_count: guild.members.size, approximate_presence_count: 0 };
}

export function channelJson(state: FakeDiscordState, channel: FakeChannel) {
  if (channel.type === 1) {
    return {
      id: channel.id,
      type: 1,
      last_message_id: state.messages.get(channel.id)?.at(-1)?.id ?? null,
      flags: 0,
      recipients: [userById(state, channel.recipient_id!)],
    };
  }
  return {
    id: channel.id,
    type: channel.type,
    last_message_id: state.messages.get(channel.id)?.at(-1)?.id ?? null,
    flags: 0,
    guild_id: channel.guild_id!,
    name: channel.name ?? "",
    parent_id: null,
    rate_limit_per_user: 0,
    topic: null,
    position: channel.position,
    permission_overwrites: [],
    nsfw: false,
  };
}

export function memberJson(state: FakeDiscordState, member: FakeMember) {
  return {
    avatar: null,
    banner: null,
    communication_disabled_until: null,
    flags: 0,
    joined_at: member.joined_at,
    nick: member.nick,
    pending: false,
    premium_since: null,
    roles: member.roles,
    user: userById(state, member.user_id),
    mute: false,
    deaf: false,
  };
}

function inviteGuildJson(guild: FakeGuild) {
  return {
    id: guild.id,
    name: guild.name,
    splash: null,
    banner: null,
    description: null,
    icon: null,
    features: guild.features,
    verification_level: 0,
    vanity_url_code: guild.vanity_url_code,
    nsfw_level: 0,
    nsfw: false,
    premium_subscription_count: 0,
  };
}

export function expiresAt(invite: FakeInvite): string | null {
  return invite.max_age > 0 ? new Date(Date.parse(invite.created_at) + invite.max_age * 1000).toISOString() : null;
}

/**
 * An invite as Discord returns it. `metadata` adds uses/max_uses/max_age/temporary/created_at
 * (guild invite list and creation); `withCounts` adds approximate counts (GET ?with_counts=true).
 */
export function inviteJson(
  state: FakeDiscordState,
  invite: FakeInvite,
  options: { metadata: boolean; withCounts?: boolean },
) {
  const guild = state.guild(invite.guild_id);
  const channel = state.channel(invite.channel_id);
  return {
    type: 0,
    code: invite.code,
    ...(invite.inviter_id ? { inviter: userById(state, invite.inviter_id) } : {}),
    expires_at: expiresAt(invite),
    flags: 0,
    guild: inviteGuildJson(guild),
    guild_id: guild.id,
    channel: { id: channel.id, type: channel.type, name: channel.name },
    // The roles whoever accepts it gets, as partial role objects (those still in the guild).
    ...(invite.role_ids?.length
      ? { roles: invite.role_ids.flatMap((id) => (guild.roles.has(id) ? [inviteRoleJson(guild.roles.get(id)!)] : [])) }
      : {}),
    ...(options.metadata
      ? {
          uses: invite.uses,
          max_uses: invite.max_uses,
          max_age: invite.max_age,
          temporary: invite.temporary,
          created_at: invite.created_at,
        }
      : {}),
    ...(options.withCounts ? counts(guild) : {}),
  };
}

export function messageJson(state: FakeDiscordState, message: FakeMessage) {
  return {
    type: message.type,
    content: message.content,
    mentions: [],
    mention_roles: [],
    attachments: (message.attachments ?? []).map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.data.length,
      url: `https://cdn.discordapp.com/attachments/${message.channel_id}/${a.id}/${a.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${message.channel_id}/${a.id}/${a.filename}`,
      content_type: a.content_type,
    })),
    // Discord answers every embed a bot sends as a "rich" one.
    embeds: message.embeds.map((e) => ({ type: "rich", ...(e as object) })),
    timestamp: message.timestamp,
    edited_timestamp: message.edited_timestamp,
    flags: message.flags,
    components: message.components,
    id: message.id,
    channel_id: message.channel_id,
    author: userById(state, message.author_id),
    pinned: false,
    mention_everyone: false,
    tts: false,
    ...(message.webhook_id ? { webhook_id: message.webhook_id } : {}),
    ...(message.application_id ? { application_id: message.application_id } : {}),
  };
}

/** Discord counts a guild "large" above this many members and then sends only some members in GUILD_CREATE. */
const LARGE_THRESHOLD = 250;

/** The gateway's GUILD_CREATE for a guild the bot is in: the guild, its channels, and (for small guilds) its members. */
export function guildCreateJson(state: FakeDiscordState, guild: FakeGuild) {
  const members = [...guild.members.values()];
  const large = members.length > LARGE_THRESHOLD;
  return {
    ...guildJson(state, guild, false),
    // The bot's own join time, as on Discord (the same as its member's).
    joined_at: state.member(guild.id, state.botUser.id).joined_at,
    large,
    member_count: members.length,
    members: (large ? members.filter((m) => m.user_id === guild.owner_id) : members).map((m) => memberJson(state, m)),
    channels: state.guildChannels(guild.id).map((c) => channelJson(state, c)),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
