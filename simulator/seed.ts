/**
 * The simulated guild `npm start` runs against: channels, a few hundred
 * members who joined over the past months, invites made by members (some
 * used, some single-use), and a vanity URL. Names are deterministic; ids are
 * fresh snowflakes. `npm start` seeds it once per data directory and restores
 * it on later starts (simulator/guild-snapshot.ts).
 */
import { simulatedUsername } from "./accounts";
import { snowflake } from "./ids";
import type { FakeDiscordState } from "./state";

export interface SimulatedGuild {
  guildId: string;
  /** The owner: has Manage Server, runs the demo's /invite commands. */
  adminId: string;
  /** Where `/invite create` makes invites by default. */
  channelId: string;
  vanityCode: string;
  /** Invites made in Discord's UI, not by the bot. */
  memberInvites: string[];
  singleUseInvites: string[];
}

const DAY_MS = 86_400_000;

export function seedSimulatedGuild(state: FakeDiscordState, options: { members?: number } = {}): SimulatedGuild {
  const now = state.now();
  const memberCount = options.members ?? 300;
  const adminId = snowflake(now - 400 * DAY_MS);
  state.upsertUser({ id: adminId, username: "sim_admin", global_name: "Sim Admin" });
  const vanityCode = "sim-lounge";
  const guild = state.createGuild({
    id: snowflake(now),
    name: "Simulated Lounge",
    owner_id: adminId,
    features: ["VANITY_URL", "COMMUNITY"],
    vanity_url_code: vanityCode,
    vanity_uses: 57,
    channels: [
      { name: "welcome" },
      { name: "general" },
      { name: "announcements", type: 5 },
      { name: "looking-for-group" },
      { name: "Lobby", type: 2 },
    ],
    // Everyone, the owner first, was there before the bot (which joins as the guild is made here).
    members: [
      { user: { id: adminId, username: "sim_admin" }, joined_at: new Date(now - 181 * DAY_MS).toISOString() },
      ...Array.from({ length: memberCount }, (_, n) => {
        const joinedAt = now - (memberCount - n) * (180 * DAY_MS / memberCount);
        return { user: { id: state.accounts.userId(joinedAt), username: simulatedUsername(n) }, joined_at: new Date(joinedAt).toISOString() };
      }),
    ],
  });
  const [welcome, general] = state.guildChannels(guild.id);
  const members = [...guild.members.keys()].filter((id) => id !== adminId);
  const invite = (channelId: string, inviterId: string, uses: number, maxUses: number, maxAge: number) =>
    state.createInvite(guild.id, { channel_id: channelId, inviter_id: inviterId, uses, max_uses: maxUses, max_age: maxAge }).code;
  const memberInvites = [
    invite(welcome!.id, members[3]!, 37, 0, 0),
    invite(general!.id, members[42]!, 12, 0, 0),
    invite(welcome!.id, members[117]!, 2, 0, 0),
    invite(general!.id, members[250 % members.length]!, 4, 10, 86_400),
  ];
  const singleUseInvites = [1, 2, 3].map(() => invite(welcome!.id, adminId, 0, 1, 86_400));
  return { guildId: guild.id, adminId, channelId: welcome!.id, vanityCode, memberInvites, singleUseInvites };
}
