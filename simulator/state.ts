/**
 * The fake's world: guilds, channels, members, invites, messages, and the
 * truth about joins. One instance per server; tests use unique guild ids, so
 * nothing is ever reset. Node tests may use it directly; workerd tests reach
 * the same operations over HTTP under /_fake.
 */
import { EventEmitter } from "node:events";
import { Accounts } from "./accounts";
import { Behaviours, REALISTIC, type Behaviour } from "./behaviour";
import { inviteCode, snowflake } from "./ids";
import { Random, type Range } from "./random";
import * as errors from "./errors";
import { expiresAt, memberJson, userJson } from "./objects";

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot: boolean;
  /** The user does not accept DMs from the bot: messages to their DM channel answer 50007. */
  dms_closed: boolean;
}

export interface FakeChannel {
  id: string;
  /** Discord channel type: 0 text, 1 DM, 2 voice, 4 category, 5 announcement… */
  type: number;
  name: string | null;
  guild_id: string | null;
  position: number;
  /** For DM channels: the other user. */
  recipient_id?: string;
  /** False when the bot's role lacks Send Messages there (a permission overwrite): posting answers 50013. */
  bot_can_send: boolean;
}

/** Join source types as Discord's member search reports them. */
export const JoinSourceType = { UNSPECIFIED: 0, BOT: 1, INTEGRATION: 2, DISCOVERY: 3, HUB: 4, INVITE: 5, VANITY_URL: 6 } as const;

/** Joins that raise no invite's uses, by the join source type Discord reports (an OAuth `guilds.join` add is BOT). */
export const JOINS_WITHOUT_INVITE = { discovery: JoinSourceType.DISCOVERY, oauth: JoinSourceType.BOT } as const;
export type JoinWithoutInvite = keyof typeof JOINS_WITHOUT_INVITE;

/** The truth log's readable name for each join source type. */
const VIA: Record<number, JoinRecord["via"]> = {
  [JoinSourceType.INVITE]: "invite",
  [JoinSourceType.VANITY_URL]: "vanity",
  [JoinSourceType.DISCOVERY]: "discovery",
  [JoinSourceType.BOT]: "oauth",
};

export interface FakeMember {
  guild_id: string;
  user_id: string;
  roles: string[];
  nick: string | null;
  joined_at: string;
  source_invite_code: string | null;
  join_source_type: number;
  inviter_id: string | null;
}

export interface FakeRole {
  id: string;
  name: string;
  position: number;
  /** A permission bit set, as Discord's decimal string. */
  permissions: string;
  /** A bot's or integration's own role: nobody can assign it. */
  managed: boolean;
  hoist?: boolean;
  mentionable?: boolean;
  color?: number;
}

/** Permission bits the fake enforces. */
export const Permission = { ADMINISTRATOR: 1n << 3n, MANAGE_GUILD: 1n << 5n, MANAGE_ROLES: 1n << 28n } as const;
/** What the bot's role has unless a test says otherwise: Create Invite, Manage Server, View/Send, Manage Roles. */
export const DEFAULT_BOT_PERMISSIONS = String((1n << 0n) | (1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 28n));

export interface FakeGuild {
  id: string;
  name: string;
  owner_id: string;
  /** @everyone (the guild's id, position 0), the bot's managed role, and any a test adds. */
  roles: Map<string, FakeRole>;
  /** The bot is no entry of `members` (its joins would be counted); its roles are kept here. */
  bot_role_ids: string[];
  features: string[];
  vanity_url_code: string | null;
  vanity_uses: number;
  members: Map<string, FakeMember>;
  /**
   * True for a server the bot is not in (never added, or an admin removed it):
   * Discord answers the bot 403 Missing Access for the guild and its channels,
   * and sends it none of its events. Absent (a guild saved before it existed) is false.
   */
  bot_absent?: boolean;
}

export interface FakeInvite {
  code: string;
  guild_id: string;
  channel_id: string;
  inviter_id: string | null;
  uses: number;
  max_uses: number;
  max_age: number;
  temporary: boolean;
  created_at: string;
  /** Roles given to whoever accepts the invite (Create Channel Invite's `role_ids`). */
  role_ids?: string[];
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  author_id: string;
  type: number;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  webhook_id?: string;
  application_id?: string;
  /** Files uploaded with the message (multipart `files[n]`). */
  attachments?: FakeAttachment[];
  nonce?: string;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  content_type: string;
  data: Buffer;
}

export interface FakeCommand {
  id: string;
  application_id: string;
  guild_id: string | null;
  version: string;
  body: Record<string, unknown>;
}

/** What really happened when someone joined: the truth attribution is checked against. */
export interface JoinRecord {
  guild_id: string;
  user_id: string;
  joined_at: string;
  invite_code: string | null;
  inviter_id: string | null;
  join_source_type: number;
  /** How they came, in words: only "invite" and "vanity" raise a count the bot can read. */
  via: "invite" | "vanity" | "discovery" | "oauth" | "other";
}

/** Gateway dispatches the fake would have sent (for a relay simulator and for tests to forward). */
export interface Dispatch {
  t: "GUILD_CREATE" | "GUILD_DELETE" | "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE" | "GUILD_MEMBER_REMOVE" | "INVITE_CREATE" | "INVITE_DELETE";
  guild_id: string;
  d: Record<string, unknown>;
  /** Epoch ms on the fake's clock: when it happened, and when the gateway delivers it (in order per guild). */
  happened_at: number;
  deliver_at: number;
}

export interface GuildInput {
  id?: string;
  name: string;
  owner_id?: string;
  features?: string[];
  vanity_url_code?: string | null;
  vanity_uses?: number;
  channels?: Array<{ id?: string; name: string; type?: number; bot_can_send?: boolean }>;
  members?: MemberInput[];
  /** The bot's role's permissions (default DEFAULT_BOT_PERMISSIONS). */
  bot_permissions?: string;
  /** A server the bot has not joined (default false). */
  bot_absent?: boolean;
}

export interface UserInput {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
  dms_closed?: boolean;
}

export interface MemberInput {
  user: UserInput;
  roles?: string[];
  nick?: string | null;
  joined_at?: string;
  source_invite_code?: string | null;
  join_source_type?: number;
  inviter_id?: string | null;
}

export interface InviteInput {
  code?: string;
  channel_id?: string;
  inviter_id?: string | null;
  uses?: number;
  max_uses?: number;
  max_age?: number;
  temporary?: boolean;
  created_at?: string;
  role_ids?: string[];
}

/** Discord's role order: by position, then the older role (smaller id) above. */
const isHigher = (a: FakeRole, b: FakeRole) => (a.position !== b.position ? a.position > b.position : BigInt(a.id) < BigInt(b.id));

/**
 * Whether the bot may give `role` to members (assign it, or put it on an invite): it has
 * Manage Roles (or Administrator), and the role is below its highest role (at equal
 * positions the older role is the higher), neither managed nor @everyone.
 */
export function botMayGrant(guild: FakeGuild, role: FakeRole): boolean {
  const top = [guild.id, ...guild.bot_role_ids].map((id) => guild.roles.get(id)!).reduce((a, b) => (isHigher(b, a) ? b : a));
  return botCanManageRoles(guild) && isHigher(top, role) && !role.managed && role.id !== guild.id;
}

/** The bot holds Manage Roles (or Administrator) through @everyone or its own roles. */
function botCanManageRoles(guild: FakeGuild): boolean {
  const permissions = [guild.id, ...guild.bot_role_ids].reduce((bits, id) => bits | BigInt(guild.roles.get(id)!.permissions), 0n);
  return (permissions & (Permission.ADMINISTRATOR | Permission.MANAGE_ROLES)) !== 0n;
}

/** When a marked invite's roles reach the gateway: in the GUILD_MEMBER_UPDATE this long after the join. */
export const MARK_UPDATE_DELAY_MS: Range = [200, 1500];

/** Discord's cap on a guild's invites. */
export const MAX_GUILD_INVITES = 1000;
/** Discord's cap on a guild's roles (@everyone included). */
export const MAX_GUILD_ROLES = 250;

export class FakeDiscordState {
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly invites = new Map<string, FakeInvite>();
  readonly messages = new Map<string, FakeMessage[]>();
  /** Messages sent for an interaction (by token), in creation order; `original` is the one @original edits. */
  readonly interactions = new Map<string, { channel_id: string; original?: FakeMessage; messages: FakeMessage[]; callbacks: unknown[] }>();
  /** Commands by "applicationId" or "applicationId/guildId". */
  readonly commands = new Map<string, FakeCommand[]>();
  readonly joins: JoinRecord[] = [];
  readonly dispatches: Dispatch[] = [];
  /**
   * Emits "dispatch" with each Dispatch as it happens and, when a server
   * delivers them (simulator/delivery.ts), "delivered" at its deliver_at.
   */
  readonly events = new EventEmitter();
  readonly botUser: FakeUser;
  readonly random: Random;
  readonly accounts: Accounts;
  readonly behaviours: Behaviours;
  /** Each guild's latest deliver_at: a dispatch is never deliverable before an earlier one of its guild. */
  private readonly lastDeliverAt = new Map<string, number>();

  constructor(
    options: { botUser?: Partial<FakeUser>; behaviour?: Partial<Behaviour>; seed?: number } = {},
    /** Injectable clock so expiry can be tested without waiting. */
    readonly now: () => number = Date.now,
  ) {
    this.random = new Random(options.seed);
    this.accounts = new Accounts((this.random.seed ^ 0x5eed) >>> 0);
    this.behaviours = new Behaviours({ ...REALISTIC, ...options.behaviour });
    this.botUser = this.upsertUser({ id: "100000000000000001", username: "Invite Bot", bot: true, ...options.botUser });
  }

  upsertUser(input: UserInput): FakeUser {
    const existing = this.users.get(input.id);
    const user: FakeUser = {
      id: input.id,
      username: input.username ?? existing?.username,
      global_name: input.global_name ?? existing?.global_name ?? null,
      bot: input.bot ?? existing?.bot ?? false,
      dms_closed: input.dms_closed ?? existing?.dms_closed ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  createGuild(input: GuildInput): FakeGuild {
    const id = input.id ?? snowflake(this.now());
    if (this.guilds.has(id)) throw new Error(`guild ${id} already exists`);
    const ownerId = input.owner_id ?? this.accounts.userId(this.now());
    const owner = this.users.get(ownerId) ?? this.upsertUser({ id: ownerId, username: "owner" });
    const guild: FakeGuild = {
      id,
      name: input.name,
      owner_id: owner.id,
      features: input.features ?? (input.vanity_url_code ? ["VANITY_URL"] : []),
      vanity_url_code: input.vanity_url_code ?? null,
      vanity_uses: input.vanity_uses ?? 0,
      members: new Map(),
      roles: new Map(),
      bot_role_ids: [],
      bot_absent: input.bot_absent ?? false,
    };
    guild.roles.set(id, { id, name: "@everyone", position: 0, permissions: "2248473465835073", managed: false });
    const botRole = { id: snowflake(this.now()), name: this.botUser.username, position: 1, permissions: input.bot_permissions ?? DEFAULT_BOT_PERMISSIONS, managed: true };
    guild.roles.set(botRole.id, botRole);
    guild.bot_role_ids.push(botRole.id);
    this.guilds.set(id, guild);
    const channels = input.channels?.length ? input.channels : [{ name: "general" }];
    channels.forEach((c, position) => {
      const channel = { id: c.id ?? snowflake(this.now()), type: c.type ?? 0, name: c.name, guild_id: id, position, bot_can_send: c.bot_can_send ?? true };
      this.channels.set(channel.id, channel);
    });
    this.addMember(id, { user: { id: owner.id, username: owner.username } });
    for (const member of input.members ?? []) this.addMember(id, member);
    return guild;
  }

  guild(guildId: string): FakeGuild {
    const guild = this.guilds.get(guildId);
    if (!guild) throw errors.unknownGuild();
    return guild;
  }

  guildChannels(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId);
  }

  channel(channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw errors.unknownChannel();
    return channel;
  }

  /**
   * A channel as the bot may reach it: Discord answers 404 Unknown Channel for
   * an id that is no channel, and 403 Missing Access for one in a server the
   * bot is not in.
   */
  botChannel(channelId: string): FakeChannel {
    const channel = this.channel(channelId);
    if (channel.guild_id !== null && this.guild(channel.guild_id).bot_absent) throw errors.missingAccess();
    return channel;
  }

  member(guildId: string, userId: string): FakeMember {
    const guild = this.guild(guildId);
    if (userId === this.botUser.id) return this.botMember(guild);
    const member = guild.members.get(userId);
    if (!member) throw errors.unknownMember();
    return member;
  }

  /** The bot joined as the guild was made (its id's time): GUILD_CREATE's `joined_at` says the same. */
  private botMember(guild: FakeGuild): FakeMember {
    const joined = new Date(Number((BigInt(guild.id) >> 22n) + 1_420_070_400_000n)).toISOString();
    return { guild_id: guild.id, user_id: this.botUser.id, roles: guild.bot_role_ids, nick: null, joined_at: joined, source_invite_code: null, join_source_type: JoinSourceType.BOT, inviter_id: null };
  }

  createRole(guildId: string, input: { name: string; position?: number; permissions?: string }): FakeRole {
    const guild = this.guild(guildId);
    const role = { id: snowflake(this.now()), name: input.name, position: input.position ?? 1, permissions: input.permissions ?? "0", managed: false };
    guild.roles.set(role.id, role);
    return role;
  }

  /** A test (as the server owner) moves the bot's role or changes its permissions. */
  updateBotRole(guildId: string, patch: { position?: number; permissions?: string }): FakeRole {
    const guild = this.guild(guildId);
    const role = guild.roles.get(guild.bot_role_ids[0]!)!;
    Object.assign(role, patch);
    return role;
  }

  /**
   * Adds or removes a member's role as the bot, with Discord's checks: the
   * role and the member exist, the bot has Manage Roles (or Administrator),
   * and the role is below the bot's highest role (at equal positions, the
   * older role is the higher) and not managed.
   */
  setMemberRole(guildId: string, userId: string, roleId: string, present: boolean): void {
    const guild = this.guild(guildId);
    const role = guild.roles.get(roleId);
    if (!role) throw errors.unknownRole();
    const member = guild.members.get(userId);
    if (!member) throw errors.unknownMember();
    this.assertBotManages(guild, role);
    member.roles = present ? [...new Set([...member.roles, roleId])] : member.roles.filter((r) => r !== roleId);
  }

  /** PATCH member `roles`: every role added or taken away must be one the bot may manage. */
  setMemberRoles(guildId: string, userId: string, roleIds: string[]): FakeMember {
    const guild = this.guild(guildId);
    const member = guild.members.get(userId);
    if (!member) throw errors.unknownMember();
    const changed = [...roleIds.filter((r) => !member.roles.includes(r)), ...member.roles.filter((r) => !roleIds.includes(r))];
    for (const roleId of changed) {
      const role = guild.roles.get(roleId);
      if (!role) throw errors.unknownRole();
      this.assertBotManages(guild, role);
    }
    member.roles = [...new Set(roleIds)];
    return member;
  }

  /** POST /guilds/{id}/roles as the bot: Manage Roles, the 250-role cap, and a new role sits at position 1. */
  createRoleAsBot(guildId: string, input: { name: string; permissions: string; hoist: boolean; mentionable: boolean; color: number }): FakeRole {
    const guild = this.guild(guildId);
    if (!botCanManageRoles(guild)) throw errors.missingPermissions();
    if (guild.roles.size >= MAX_GUILD_ROLES) throw errors.maxRoles();
    const role: FakeRole = { id: snowflake(this.now()), ...input, position: 1, managed: false };
    guild.roles.set(role.id, role);
    return role;
  }

  /** DELETE /guilds/{id}/roles/{role} as the bot: the same checks as assigning it. */
  deleteRoleAsBot(guildId: string, roleId: string): void {
    const guild = this.guild(guildId);
    const role = guild.roles.get(roleId);
    if (!role) throw errors.unknownRole();
    this.assertBotManages(guild, role);
    guild.roles.delete(roleId);
    for (const member of guild.members.values()) member.roles = member.roles.filter((r) => r !== roleId);
  }

  /** Discord's checks for the bot acting on a role (see botMayGrant): 50013 otherwise. */
  assertBotManages(guild: FakeGuild, role: FakeRole): void {
    if (!botMayGrant(guild, role)) throw errors.missingPermissions();
  }

  addMember(guildId: string, input: MemberInput): FakeMember {
    const guild = this.guild(guildId);
    this.upsertUser(input.user);
    const member: FakeMember = {
      guild_id: guildId,
      user_id: input.user.id,
      roles: input.roles ?? [],
      nick: input.nick ?? null,
      joined_at: input.joined_at ?? new Date(this.now()).toISOString(),
      source_invite_code: input.source_invite_code ?? null,
      join_source_type: input.join_source_type ?? JoinSourceType.UNSPECIFIED,
      inviter_id: input.inviter_id ?? null,
    };
    guild.members.set(member.user_id, member);
    return member;
  }

  /**
   * An admin removes the bot (GUILD_DELETE without `unavailable`), or the guild
   * has an outage (`unavailable: true`: the bot is still in it).
   */
  removeBot(guildId: string, unavailable: boolean): void {
    const guild = this.guild(guildId);
    this.dispatch("GUILD_DELETE", guildId, unavailable ? { id: guildId, unavailable: true } : { id: guildId });
    if (!unavailable) guild.bot_absent = true;
  }

  /** The bot is added back (or the outage ends): a GUILD_CREATE, as on a new session. */
  addBot(guildId: string, guildCreate: (guild: FakeGuild) => Record<string, unknown>): void {
    const guild = this.guild(guildId);
    guild.bot_absent = false;
    this.dispatch("GUILD_CREATE", guildId, guildCreate(guild));
  }

  removeMember(guildId: string, userId: string): void {
    const member = this.member(guildId, userId);
    this.guild(guildId).members.delete(userId);
    const user = this.users.get(member.user_id)!;
    this.dispatch("GUILD_MEMBER_REMOVE", guildId, { guild_id: guildId, user: userJson(user) });
  }

  /** Expiry is when created_at + max_age has passed; max_age 0 never expires. */
  isExpired(invite: FakeInvite): boolean {
    return invite.max_age > 0 && Date.parse(invite.created_at) + invite.max_age * 1000 <= this.now();
  }

  /** Expired invites are gone, as on Discord; they are dropped when first noticed. */
  liveInvite(code: string): FakeInvite | undefined {
    const invite = this.invites.get(code);
    if (invite && this.isExpired(invite)) {
      this.invites.delete(code);
      return undefined;
    }
    return invite;
  }

  invite(code: string): FakeInvite {
    const invite = this.liveInvite(code);
    if (!invite) throw errors.unknownInvite();
    return invite;
  }

  guildInvites(guildId: string): FakeInvite[] {
    return [...this.invites.values()].filter((i) => i.guild_id === guildId && this.liveInvite(i.code));
  }

  /** Creates an invite in a guild channel, enforcing the 1000-invite cap. Validation of ranges is the caller's. */
  createInvite(guildId: string, input: InviteInput): FakeInvite {
    this.guild(guildId);
    const channelId = input.channel_id ?? this.guildChannels(guildId)[0]?.id;
    const channel = channelId ? this.channel(channelId) : undefined;
    if (!channel || channel.guild_id !== guildId) throw errors.unknownChannel();
    if (this.guildInvites(guildId).length >= MAX_GUILD_INVITES) throw errors.maxInvites();
    let code = input.code ?? inviteCode();
    while (!input.code && this.invites.has(code)) code = inviteCode();
    if (this.invites.has(code)) throw new Error(`invite code ${code} is taken`);
    if (input.inviter_id && !this.users.has(input.inviter_id)) {
      this.upsertUser({ id: input.inviter_id, username: `user${input.inviter_id.slice(-4)}` });
    }
    const invite: FakeInvite = {
      code,
      guild_id: guildId,
      channel_id: channel.id,
      inviter_id: input.inviter_id ?? null,
      uses: input.uses ?? 0,
      max_uses: input.max_uses ?? 0,
      max_age: input.max_age ?? 86400,
      temporary: input.temporary ?? false,
      created_at: input.created_at ?? new Date(this.now()).toISOString(),
      ...(input.role_ids?.length ? { role_ids: [...input.role_ids] } : {}),
    };
    this.invites.set(code, invite);
    const inviter = invite.inviter_id ? this.users.get(invite.inviter_id) : undefined;
    this.dispatch("INVITE_CREATE", guildId, {
      type: 0,
      channel_id: channel.id,
      code,
      created_at: invite.created_at,
      expires_at: expiresAt(invite),
      guild_id: guildId,
      ...(inviter ? { inviter: userJson(inviter) } : {}),
      max_age: invite.max_age,
      max_uses: invite.max_uses,
      temporary: invite.temporary,
      uses: invite.uses,
      ...(invite.role_ids ? { role_ids: invite.role_ids } : {}),
    });
    return invite;
  }

  deleteInvite(code: string): FakeInvite {
    const invite = this.invite(code);
    this.invites.delete(code);
    this.dispatch("INVITE_DELETE", invite.guild_id, { code, guild_id: invite.guild_id, channel_id: invite.channel_id });
    return invite;
  }

  /**
   * A user joins through an invite: uses + 1, member added, and an invite that
   * reached max_uses is deleted (Discord removes used-up invites).
   */
  joinViaInvite(code: string, user: UserInput): { member: FakeMember; invite: FakeInvite; deleted: boolean } {
    const invite = this.invite(code);
    invite.uses += 1;
    // The invite's roles (those still in the guild), in the add or in an update shortly after.
    const guild = this.guild(invite.guild_id);
    const marks = (invite.role_ids ?? []).filter((id) => guild.roles.has(id));
    const delivery = this.behaviours.for(guild.id).mark_delivery;
    const inAdd = marks.length > 0 && (delivery === "add" || (delivery === "mixed" && this.random.chance(0.5)));
    const member = this.recordJoin(
      invite.guild_id,
      user,
      { source_invite_code: code, join_source_type: JoinSourceType.INVITE, inviter_id: invite.inviter_id },
      inAdd ? marks : [],
    );
    if (marks.length > 0 && !inAdd) this.grantLater(member, marks);
    const deleted = invite.max_uses > 0 && invite.uses >= invite.max_uses;
    if (deleted) this.deleteInvite(code);
    return { member, invite, deleted };
  }

  joinViaVanity(guildId: string, user: UserInput): FakeMember {
    const guild = this.guild(guildId);
    if (!guild.vanity_url_code) throw errors.unknownInvite();
    guild.vanity_uses += 1;
    return this.recordJoin(guildId, user, {
      source_invite_code: guild.vanity_url_code,
      join_source_type: JoinSourceType.VANITY_URL,
      inviter_id: null,
    });
  }

  /** A join with no invite (Server Discovery, an OAuth add…): no count moves; the truth log says how it came. */
  joinWithoutInvite(guildId: string, input: MemberInput): FakeMember {
    return this.recordJoin(guildId, input.user, {
      source_invite_code: null,
      join_source_type: input.join_source_type ?? JoinSourceType.UNSPECIFIED,
      inviter_id: null,
    });
  }

  private recordJoin(
    guildId: string,
    user: UserInput,
    source: Pick<FakeMember, "source_invite_code" | "join_source_type" | "inviter_id">,
    roles: string[] = [],
  ): FakeMember {
    const member = this.addMember(guildId, { user, roles, ...source });
    this.joins.push({
      guild_id: guildId,
      user_id: member.user_id,
      joined_at: member.joined_at,
      invite_code: source.source_invite_code,
      inviter_id: source.inviter_id,
      join_source_type: source.join_source_type,
      via: VIA[source.join_source_type] ?? "other",
    });
    this.dispatch("GUILD_MEMBER_ADD", guildId, { ...memberJson(this, member), guild_id: guildId });
    return member;
  }

  /** Dispatches not yet made (an invite's roles on their way), per guild: when each is due. */
  private readonly scheduled = new Map<string, Set<number>>();

  /**
   * An invite's roles given a moment after the join, as a GUILD_MEMBER_UPDATE (Discord
   * does not say whether they come with the add or after it). A member who left by then gets none.
   */
  private grantLater(member: FakeMember, roles: string[]): void {
    const dueAt = this.now() + this.random.between(MARK_UPDATE_DELAY_MS);
    const pending = this.scheduled.get(member.guild_id) ?? new Set<number>();
    this.scheduled.set(member.guild_id, pending.add(dueAt));
    const timer = setTimeout(() => {
      pending.delete(dueAt);
      if (this.guilds.get(member.guild_id)?.members.get(member.user_id) !== member) return;
      member.roles = [...new Set([...member.roles, ...roles])];
      this.dispatch("GUILD_MEMBER_UPDATE", member.guild_id, { ...memberJson(this, member), guild_id: member.guild_id });
    }, dueAt - this.now());
    timer.unref();
  }

  /** When everything that has happened or is scheduled in a guild will have been delivered. */
  settledBy(guildId: string): number {
    return Math.max(this.deliveredBy(guildId), ...[...(this.scheduled.get(guildId) ?? [])].map((at) => at + 1));
  }

  /** The DM channel between the bot and a user, created on first use like Discord's. */
  dmChannel(userId: string): FakeChannel {
    if (!this.users.has(userId)) throw errors.unknownUser();
    const existing = [...this.channels.values()].find((c) => c.type === 1 && c.recipient_id === userId);
    if (existing) return existing;
    const channel: FakeChannel = { id: snowflake(this.now()), type: 1, name: null, guild_id: null, position: 0, recipient_id: userId, bot_can_send: true };
    this.channels.set(channel.id, channel);
    return channel;
  }

  addMessage(message: Omit<FakeMessage, "id" | "timestamp" | "edited_timestamp">): FakeMessage {
    const stored: FakeMessage = {
      ...message,
      id: snowflake(this.now()),
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
    };
    const list = this.messages.get(stored.channel_id) ?? [];
    list.push(stored);
    this.messages.set(stored.channel_id, list);
    return stored;
  }

  interaction(token: string) {
    let entry = this.interactions.get(token);
    if (!entry) {
      // The fake never sees the interaction itself, so its channel is made up.
      entry = { channel_id: snowflake(this.now()), messages: [], callbacks: [] };
      this.interactions.set(token, entry);
    }
    return entry;
  }

  /** A message the application sends through an interaction's webhook (the response or a follow-up). */
  addInteractionMessage(
    token: string,
    applicationId: string,
    content: Pick<FakeMessage, "content" | "embeds" | "components" | "flags" | "attachments">,
    original: boolean,
  ): FakeMessage {
    const entry = this.interaction(token);
    const message: FakeMessage = {
      ...content,
      id: snowflake(this.now()),
      channel_id: entry.channel_id,
      author_id: this.botUser.id,
      type: original ? 20 : 0,
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      webhook_id: applicationId,
      application_id: applicationId,
    };
    entry.messages.push(message);
    if (original) entry.original = message;
    return message;
  }

  /** A guild's dispatches the gateway has delivered by `at` (default now): always a prefix of what happened. */
  delivered(guildId: string, at = this.now()): Dispatch[] {
    return this.dispatches.filter((e) => e.guild_id === guildId && e.deliver_at <= at);
  }

  /** When everything that has happened in a guild so far will have been delivered (0 if nothing has). */
  deliveredBy(guildId: string): number {
    return this.lastDeliverAt.get(guildId) ?? 0;
  }

  private dispatch(t: Dispatch["t"], guildId: string, d: Record<string, unknown>): void {
    // A bot removed from a guild hears nothing of it.
    if (this.guilds.get(guildId)?.bot_absent) return;
    const happened_at = this.now();
    const behaviour = this.behaviours.for(guildId);
    const latency = this.random.chance(behaviour.straggler_rate)
      ? this.random.between(behaviour.straggler_ms)
      : this.random.between(behaviour.gateway_latency_ms);
    const deliver_at = Math.max(this.deliveredBy(guildId), Math.round(happened_at + latency));
    this.lastDeliverAt.set(guildId, deliver_at);
    const dispatch: Dispatch = { t, guild_id: guildId, d, happened_at, deliver_at };
    this.dispatches.push(dispatch);
    this.events.emit("dispatch", dispatch);
  }
}
