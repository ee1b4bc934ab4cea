/**
 * Slash command definitions as data: the Worker routes on them and
 * `npm run register` uploads exactly this JSON (Discord's bulk overwrite).
 */

import { TIMEZONE_MAX, WEEKDAYS } from "../settings/briefing-settings";

export const OptionType = {
  Subcommand: 1,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
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
} as const;

const sourceOption = (description: string) => ({
  type: OptionType.String,
  name: "source",
  description,
  required: true,
  autocomplete: true,
  min_length: 1,
  max_length: SOURCE_NAME_MAX,
});

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
      options: [sourceOption("The source to retire")],
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
      name: "settings",
      description: "Show or change this server's settings (no options: show them)",
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
      ],
    },
    { type: OptionType.Subcommand, name: "health", description: "Is attribution working? One verdict, and what to do if not" },
    { type: OptionType.Subcommand, name: "briefing", description: "This week's briefing with its chart, shown only to you" },
  ],
} as const;

export const commands = [inviteCommand];
