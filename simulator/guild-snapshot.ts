/**
 * The simulated guild `npm start` seeds, saved in its data directory and
 * restored on the next start, so the bot keeps talking to the same guild
 * (its rows in Postgres stay true, and reconcile meets no 404 for a guild
 * that vanished). Everything of that guild is kept: users, members, roles,
 * channels, invites with their uses, the vanity count, and the truth log.
 */
import fs from "node:fs";
import * as v from "valibot";
import type { SimulatedGuild } from "./seed";
import type { FakeChannel, FakeDiscordState, FakeGuild, FakeInvite, FakeMember, FakeRole, FakeUser, JoinRecord } from "./state";

export interface GuildSnapshot {
  version: 1;
  simulated: SimulatedGuild;
  /** Newcomers named so far, so names stay unique after a restart. */
  newcomers: number;
  guild: Omit<FakeGuild, "roles" | "members"> & { roles: FakeRole[]; members: FakeMember[] };
  users: FakeUser[];
  channels: FakeChannel[];
  invites: FakeInvite[];
  joins: JoinRecord[];
}

export function snapshotGuild(state: FakeDiscordState, simulated: SimulatedGuild): GuildSnapshot {
  const guild = state.guild(simulated.guildId);
  const members = [...guild.members.values()];
  const userIds = new Set([...members.map((m) => m.user_id), ...[...state.invites.values()].flatMap((i) => (i.guild_id === guild.id && i.inviter_id ? [i.inviter_id] : []))]);
  return {
    version: 1,
    simulated,
    newcomers: state.accounts.newcomers,
    guild: { ...guild, roles: [...guild.roles.values()], members },
    users: [...userIds].flatMap((id) => state.users.get(id) ?? []),
    channels: state.guildChannels(guild.id),
    invites: state.guildInvites(guild.id),
    joins: state.joins.filter((j) => j.guild_id === guild.id),
  };
}

/** Puts a saved guild back as it was, without gateway events: nothing happened, the simulator only restarted. */
export function restoreGuild(state: FakeDiscordState, snapshot: GuildSnapshot): SimulatedGuild {
  const { roles, members, ...guild } = snapshot.guild;
  if (state.guilds.has(guild.id)) throw new Error(`guild ${guild.id} already exists`);
  for (const user of snapshot.users) state.users.set(user.id, user);
  state.guilds.set(guild.id, { ...guild, roles: new Map(roles.map((r) => [r.id, r])), members: new Map(members.map((m) => [m.user_id, m])) });
  for (const channel of snapshot.channels) state.channels.set(channel.id, channel);
  for (const invite of snapshot.invites) state.invites.set(invite.code, invite);
  state.joins.push(...snapshot.joins);
  state.accounts.newcomers = Math.max(state.accounts.newcomers, snapshot.newcomers);
  return snapshot.simulated;
}

const id = v.pipe(v.string(), v.regex(/^\d+$/));
/** Enough of the shape to refuse a file that is not a snapshot; the rest was written by snapshotGuild. */
const SnapshotShape = v.looseObject({
  version: v.literal(1),
  simulated: v.looseObject({ guildId: id, adminId: id, channelId: id, vanityCode: v.string(), memberInvites: v.array(v.string()), singleUseInvites: v.array(v.string()) }),
  newcomers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  guild: v.looseObject({ id, roles: v.array(v.looseObject({ id })), members: v.array(v.looseObject({ user_id: id })) }),
  users: v.array(v.looseObject({ id })),
  channels: v.array(v.looseObject({ id })),
  invites: v.array(v.looseObject({ code: v.string() })),
  joins: v.array(v.looseObject({ user_id: id })),
});

export type SavedGuild = { kind: "none" } | { kind: "saved"; snapshot: GuildSnapshot } | { kind: "unreadable"; reason: string };

/** The guild saved at `file`, none, or why the file cannot be used. */
export function readGuildSnapshot(file: string): SavedGuild {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none" };
    return { kind: "unreadable", reason: (error as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "unreadable", reason: `not JSON (${(error as Error).message})` };
  }
  const parsed = v.safeParse(SnapshotShape, json);
  if (!parsed.success) return { kind: "unreadable", reason: `not a saved guild: ${v.summarize(parsed.issues).split("\n")[0]}` };
  return { kind: "saved", snapshot: parsed.output as unknown as GuildSnapshot };
}

/** Written whole to a temporary file and renamed, so a crash mid-write leaves the previous snapshot. */
export function writeGuildSnapshot(file: string, snapshot: GuildSnapshot): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  fs.renameSync(`${file}.tmp`, file);
}
