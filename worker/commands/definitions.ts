/**
 * Slash command definitions as data: the Worker routes on them and
 * `npm run register` uploads exactly this JSON (Discord's bulk overwrite).
 */

import { TIMEZONE_MAX, WEEKDAYS } from "../settings/briefing-settings";
import { RAID_THRESHOLD } from "../raids/settings";

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
} as const;

const ChannelType = { GuildText: 0, GuildVoice: 2, GuildAnnouncement: 5, GuildStageVoice: 13, GuildForum: 15 } as const;

/** Manage Server (1 << 5). */
export const MANAGE_GUILD = 1n << 5n;
export const ADMINISTRATOR = 1n << 3n;

export const SOURCE_NAME_MAX = 64;

export const LIMITS = {
  maxUses: { min: 0, max: 100 },
  maxAge: { min: 0, max: 604_800 },
  statsDays: { min: 1, max: 365, default: 30 },
  recentLimit: { min: 1, max: 25, default: 10 },
  leaderboardDays: { min: 1, max: 3650 },
  season: { min: 1, max: 100_000 },
  seasonName: { min: 1, max: 64 },
  countAfterDays: { min: 0, max: 365 },
  bonusAmount: { min: -10_000, max: 10_000 },
  bonusReason: { min: 1, max: 200 },
  fakeAccountAgeDays: { min: 0, max: 365 },
  template: { max: 1_000 },
  mintCount: { min: 1, max: 10_000 },
  minDays: { min: 0, max: 3650, default: 0 },
  expiresDays: { min: 0, max: 365 },
  waveEveryDays: { min: 1, max: 365 },
  waveSize: { min: 0, max: 10_000 },
  growthTarget: { min: 0, max: 100_000 },
} as const;

const policyChoices = [
  { name: "unspent: members without an unspent invitation", value: "unspent" },
  { name: "never: never given one, joined at least min_days ago", value: "never" },
  { name: "spent_since: last one spent at least min_days ago", value: "spent_since" },
  { name: "rewarded: their invitees stayed min_days", value: "rewarded" },
];

const textChannelTypes = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

const sourceOption = (description: string) => ({
  type: OptionType.String,
  name: "source",
  description,
  required: true,
  autocomplete: true,
  min_length: 1,
  max_length: SOURCE_NAME_MAX,
});

const sourceRoleOption = { type: OptionType.Role, name: "role", description: "The role its invites give on joining (default: one I make for the source)" };

/** `/invite settings marks`: `keep` is the default. */
export const MARKS_CHOICES = ["keep", "remove"] as const;

export const inviteCommand = {
  name: "invite",
  type: 1,
  description: "Track where members come from",
  default_member_permissions: MANAGE_GUILD.toString(),
  contexts: [0],
  integration_types: [0],
  options: [
    {
      type: OptionType.Subcommand,
      name: "create",
      description: "Create an invite link for a source",
      options: [
        sourceOption("Where this link will be posted, e.g. Reddit Battlefield6"),
        {
          type: OptionType.Channel,
          name: "channel",
          description: "Channel the invite opens (default: this channel)",
          channel_types: Object.values(ChannelType),
        },
        {
          type: OptionType.Integer,
          name: "max_uses",
          description: "How many times it can be used (0 = unlimited, the default)",
          min_value: LIMITS.maxUses.min,
          max_value: LIMITS.maxUses.max,
        },
        {
          type: OptionType.Integer,
          name: "max_age",
          description: "Seconds until it expires (0 = never, the default; at most 7 days)",
          min_value: LIMITS.maxAge.min,
          max_value: LIMITS.maxAge.max,
        },
        sourceRoleOption,
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "assign",
      description: "Label an existing invite with a source",
      options: [
        { type: OptionType.String, name: "code", description: "Invite code or link", required: true, max_length: 100 },
        sourceOption("The source to label it with"),
      ],
    },
    { type: OptionType.Subcommand, name: "list", description: "This server's invites with their sources and uses" },
    {
      type: OptionType.Subcommand,
      name: "stats",
      description: "Joins per source",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          description: "How many days back (default 30)",
          min_value: LIMITS.statsDays.min,
          max_value: LIMITS.statsDays.max,
        },
        { ...sourceOption("One source in detail: its invites, daily joins and retention"), required: false },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "recent",
      description: "The latest joins and where they came from",
      options: [
        {
          type: OptionType.Integer,
          name: "limit",
          description: "How many (default 10)",
          min_value: LIMITS.recentLimit.min,
          max_value: LIMITS.recentLimit.max,
        },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "retire",
      description: "Delete a source's invites and stop offering it; its history stays",
      options: [
        sourceOption("The source to retire"),
        { type: OptionType.Boolean, name: "delete_mark", description: "Also delete the role I made to mark it (default: keep it)" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "attribute",
      description: "Attribute a member's unresolved join by hand",
      options: [
        { type: OptionType.User, name: "user", description: "The member", required: true },
        sourceOption("Where they came from"),
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "bonus",
      description: "Adjust a member's invite count, with a reason",
      options: [
        { type: OptionType.User, name: "member", description: "Whose count", required: true },
        {
          type: OptionType.Integer,
          name: "amount",
          description: "Invites to add (negative to take away)",
          required: true,
          min_value: LIMITS.bonusAmount.min,
          max_value: LIMITS.bonusAmount.max,
        },
        {
          type: OptionType.String,
          name: "reason",
          description: "Why (kept with the adjustment)",
          required: true,
          min_length: LIMITS.bonusReason.min,
          max_length: LIMITS.bonusReason.max,
        },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "settings",
      description: "Show or change settings: briefing, member search, invitations, join log, raids (none: show them)",
      options: [
        {
          type: OptionType.Channel,
          name: "briefing_channel",
          description: "Where the weekly briefing is posted",
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: OptionType.Integer,
          name: "briefing_day",
          description: "The day of the week it is posted",
          choices: WEEKDAYS.map((name, i) => ({ name, value: i + 1 })),
        },
        { type: OptionType.Integer, name: "briefing_hour", description: "The local hour it is posted (0-23)", min_value: 0, max_value: 23 },
        {
          type: OptionType.String,
          name: "timezone",
          description: "IANA time zone for the day and hour, e.g. Europe/Amsterdam",
          min_length: 1,
          max_length: TIMEZONE_MAX,
        },
        { type: OptionType.Boolean, name: "member_search", description: "Confirm joins with Discord's member search" },
        { type: OptionType.Integer, name: "wave_size", description: "Members per scheduled wave (0 = no schedule); the cap with a growth target", ...minMax(LIMITS.waveSize) },
        { type: OptionType.String, name: "wave_policy", description: "Policy of scheduled waves", choices: policyChoices },
        { type: OptionType.Integer, name: "wave_min_days", description: "min_days of scheduled waves", ...minMax(LIMITS.minDays) },
        { type: OptionType.Integer, name: "wave_every_days", description: "Days between scheduled waves", ...minMax(LIMITS.waveEveryDays) },
        { type: OptionType.Integer, name: "expires_days", description: "Days an invitation stays valid (0 = never)", ...minMax(LIMITS.expiresDays) },
        { type: OptionType.Integer, name: "growth_target", description: "Joins per week to aim for (0 = off: waves of wave_size)", ...minMax(LIMITS.growthTarget) },
        { type: OptionType.Channel, name: "invitation_channel", description: "Channel the invitations' Discord invites open", channel_types: textChannelTypes },
        { type: OptionType.Channel, name: "welcome_channel", description: "Where to announce who invited a new member", channel_types: textChannelTypes },
        { type: OptionType.Channel, name: "join_log_channel", description: "Where joins and leaves are posted", channel_types: textChannelTypes },
        {
          type: OptionType.String,
          name: "join_message",
          description: "Template: {member} {inviter} {source} {code} {invites} {account_age}",
          max_length: LIMITS.template.max,
        },
        {
          type: OptionType.String,
          name: "leave_message",
          description: "Template: {member} {inviter} {source} {code} {invites} {account_age}",
          max_length: LIMITS.template.max,
        },
        {
          type: OptionType.Integer,
          name: "fake_account_age_days",
          description: "Accounts younger than this count as fake (default 7)",
          ...minMax(LIMITS.fakeAccountAgeDays),
        },
        { type: OptionType.Boolean, name: "join_log_off", description: "Stop posting the join and leave log" },
        {
          type: OptionType.String,
          name: "marks",
          description: "After a join is named, keep my marks on members or remove them (your own roles stay)",
          choices: MARKS_CHOICES.map((value) => ({ name: value, value })),
        },
        { type: OptionType.Channel, name: "raid_alert_channel", description: "Where raid alerts are posted (a raid: joins a minute through one invite)", channel_types: textChannelTypes },
        { type: OptionType.Integer, name: "raid_threshold", description: "Joins a minute through one invite (or none) that make a raid (default 30; 0 = off)", ...minMax(RAID_THRESHOLD) },
        {
          type: OptionType.Integer,
          name: "count_after_days",
          description: "A join counts on leaderboards once the member stayed this many days (default 0)",
          ...minMax(LIMITS.countAfterDays),
        },
      ],
    },
    { type: OptionType.Subcommand, name: "health", description: "Is attribution working? One verdict, and what to do if not" },
    { type: OptionType.Subcommand, name: "briefing", description: "This week's briefing with its chart, shown only to you" },
    {
      type: OptionType.Subcommand,
      name: "mint",
      description: "Give invitations to members chosen at random under a policy",
      options: [
        { type: OptionType.Integer, name: "count", description: "How many invitations", required: true, ...minMax(LIMITS.mintCount) },
        { type: OptionType.String, name: "policy", description: "Who is eligible", required: true, choices: policyChoices },
        { type: OptionType.Integer, name: "min_days", description: "Days the policy asks for (default 0)", ...minMax(LIMITS.minDays) },
        { type: OptionType.Integer, name: "expires_days", description: "Days until they expire (0 = never; default from settings)", ...minMax(LIMITS.expiresDays) },
        { type: OptionType.Boolean, name: "dry_run", description: "Show what it would do and write nothing" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "forget",
      description: "Erase what the bot keeps about a member in this server (their joins and name)",
      options: [{ type: OptionType.User, name: "member", description: "The member", required: true }],
    },
    {
      type: OptionType.Subcommand,
      name: "revoke",
      description: "Revoke a member's unspent invitations and delete their Discord invites",
      options: [{ type: OptionType.User, name: "member", description: "The member", required: true }],
    },
    { type: OptionType.Subcommand, name: "waves", description: "Invitation waves: minted, notified, spent, spend rate, time to spend" },
    {
      type: OptionType.Subcommand,
      name: "export",
      description: "The joins as a CSV file",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          description: "Only joins of the last N days (default: all)",
          min_value: LIMITS.leaderboardDays.min,
          max_value: LIMITS.leaderboardDays.max,
        },
      ],
    },
    { type: OptionType.Subcommand, name: "dashboard", description: "A private link to this server's dashboard (valid for one hour)" },
    {
      type: OptionType.SubcommandGroup,
      name: "season",
      description: "Leaderboards by season: start a new one, list them",
      options: [
        {
          type: OptionType.Subcommand,
          name: "start",
          description: "Begin a new season: leaderboards count from now; past seasons stay",
          options: [{ type: OptionType.String, name: "name", description: "The season's name, e.g. Spring 2026", required: true, min_length: LIMITS.seasonName.min, max_length: LIMITS.seasonName.max }],
        },
        { type: OptionType.Subcommand, name: "list", description: "This server's seasons and their dates" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "exclude",
      description: "Keep a member (staff, a bot, an alt) off leaderboards; without a member, list who is",
      options: [{ type: OptionType.User, name: "member", description: "The member (default: list the excluded)" }],
    },
    {
      type: OptionType.Subcommand,
      name: "include",
      description: "Put an excluded member back on leaderboards",
      options: [{ type: OptionType.User, name: "member", description: "The member", required: true }],
    },
  ],
} as const;

/** `/invites`: every member may look at invite counts. */
export const invitesCommand = {
  name: "invites",
  type: 1,
  description: "Invite counts and the inviters' leaderboard",
  contexts: [0],
  integration_types: [0],
  options: [
    {
      type: OptionType.Subcommand,
      name: "show",
      description: "A member's invite counts and latest invitees",
      options: [{ type: OptionType.User, name: "member", description: "Whose counts (default: yours)" }],
    },
    {
      type: OptionType.Subcommand,
      name: "leaderboard",
      description: "The top inviters",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          description: "Only joins of the last N days (default: the whole season)",
          min_value: LIMITS.leaderboardDays.min,
          max_value: LIMITS.leaderboardDays.max,
        },
        { type: OptionType.Integer, name: "season", description: "A past season (default: the current one)", autocomplete: true, ...minMax(LIMITS.season) },
      ],
    },
  ],
} as const;

export const invitationsCommand = {
  name: "invitations",
  type: 1,
  description: "Your invitations and the invite tree",
  contexts: [0],
  integration_types: [0],
  options: [
    { type: OptionType.Subcommand, name: "mine", description: "Your invitations, their links and who joined with them" },
    {
      type: OptionType.Subcommand,
      name: "tree",
      description: "Who invited a member and whom they invited, three levels deep",
      options: [{ type: OptionType.User, name: "member", description: "The member (default: you)" }],
    },
  ],
} as const;

export const commands = [inviteCommand, invitesCommand, invitationsCommand];

function minMax(range: { min: number; max: number }) {
  return { min_value: range.min, max_value: range.max };
}
