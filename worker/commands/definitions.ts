/**
 * Slash command definitions as data: the Worker routes on them and
 * `npm run register` uploads exactly this JSON (Discord's bulk overwrite).
 */

import { TIMEZONE_MAX, weekdayName } from "../settings/briefing-settings";
import { POLICY_NAMES } from "../invitations/policy";
import { LOCALE_NAMES, LOCALES } from "../i18n/locales";
import { LANGUAGE_OPTION, SERVER_DEFAULT } from "../i18n/language-option";
import { localizeCommands } from "../i18n/commands";
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

/** Choices by value: their names come from the catalog (`command.choice.<value>`). */
const policyChoices = POLICY_NAMES.map((value) => ({ value }));

const textChannelTypes = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

const sourceOption = () => ({
  type: OptionType.String,
  name: "source",
  required: true,
  autocomplete: true,
  min_length: 1,
  max_length: SOURCE_NAME_MAX,
});

const sourceRoleOption = { type: OptionType.Role, name: "role" };

/** `/invite settings marks`: `keep` is the default. */
export const MARKS_CHOICES = ["keep", "remove"] as const;

export const inviteCommand = {
  name: "invite",
  type: 1,
  default_member_permissions: MANAGE_GUILD.toString(),
  contexts: [0],
  integration_types: [0],
  options: [
    {
      type: OptionType.Subcommand,
      name: "create",
      options: [
        sourceOption(),
        {
          type: OptionType.Channel,
          name: "channel",
          channel_types: Object.values(ChannelType),
        },
        {
          type: OptionType.Integer,
          name: "max_uses",
          min_value: LIMITS.maxUses.min,
          max_value: LIMITS.maxUses.max,
        },
        {
          type: OptionType.Integer,
          name: "max_age",
          min_value: LIMITS.maxAge.min,
          max_value: LIMITS.maxAge.max,
        },
        sourceRoleOption,
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "assign",
      options: [
        { type: OptionType.String, name: "code", required: true, max_length: 100 },
        sourceOption(),
      ],
    },
    { type: OptionType.Subcommand, name: "list" },
    {
      type: OptionType.Subcommand,
      name: "stats",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          min_value: LIMITS.statsDays.min,
          max_value: LIMITS.statsDays.max,
        },
        { ...sourceOption(), required: false },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "recent",
      options: [
        {
          type: OptionType.Integer,
          name: "limit",
          min_value: LIMITS.recentLimit.min,
          max_value: LIMITS.recentLimit.max,
        },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "retire",
      options: [
        sourceOption(),
        { type: OptionType.Boolean, name: "delete_mark" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "attribute",
      options: [
        { type: OptionType.User, name: "user", required: true },
        sourceOption(),
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "bonus",
      options: [
        { type: OptionType.User, name: "member", required: true },
        {
          type: OptionType.Integer,
          name: "amount",
          required: true,
          min_value: LIMITS.bonusAmount.min,
          max_value: LIMITS.bonusAmount.max,
        },
        {
          type: OptionType.String,
          name: "reason",
          required: true,
          min_length: LIMITS.bonusReason.min,
          max_length: LIMITS.bonusReason.max,
        },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "settings",
      options: [
        {
          type: OptionType.Channel,
          name: "briefing_channel",
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: OptionType.Integer,
          name: "briefing_day",
          choices: [1, 2, 3, 4, 5, 6, 7].map((value) => ({ value, label: (locale: string) => weekdayName(value, locale) })),
        },
        { type: OptionType.Integer, name: "briefing_hour", min_value: 0, max_value: 23 },
        {
          type: OptionType.String,
          name: "timezone",
          min_length: 1,
          max_length: TIMEZONE_MAX,
        },
        { type: OptionType.Boolean, name: "member_search" },
        { type: OptionType.Integer, name: "wave_size", ...minMax(LIMITS.waveSize) },
        { type: OptionType.String, name: "wave_policy", choices: policyChoices },
        { type: OptionType.Integer, name: "wave_min_days", ...minMax(LIMITS.minDays) },
        { type: OptionType.Integer, name: "wave_every_days", ...minMax(LIMITS.waveEveryDays) },
        { type: OptionType.Integer, name: "expires_days", ...minMax(LIMITS.expiresDays) },
        { type: OptionType.Integer, name: "growth_target", ...minMax(LIMITS.growthTarget) },
        { type: OptionType.Channel, name: "invitation_channel", channel_types: textChannelTypes },
        { type: OptionType.Channel, name: "welcome_channel", channel_types: textChannelTypes },
        { type: OptionType.Channel, name: "join_log_channel", channel_types: textChannelTypes },
        {
          type: OptionType.String,
          name: "join_message",
          max_length: LIMITS.template.max,
        },
        {
          type: OptionType.String,
          name: "leave_message",
          max_length: LIMITS.template.max,
        },
        {
          type: OptionType.Integer,
          name: "fake_account_age_days",
          ...minMax(LIMITS.fakeAccountAgeDays),
        },
        { type: OptionType.Boolean, name: "join_log_off" },
        {
          type: OptionType.String,
          name: "marks",
          choices: MARKS_CHOICES.map((value) => ({ value })),
        },
        { type: OptionType.Channel, name: "raid_alert_channel", channel_types: textChannelTypes },
        { type: OptionType.Integer, name: "raid_threshold", ...minMax(RAID_THRESHOLD) },
        {
          type: OptionType.Integer,
          name: "count_after_days",
          ...minMax(LIMITS.countAfterDays),
        },
        {
          type: OptionType.String,
          name: LANGUAGE_OPTION,
          choices: [{ value: SERVER_DEFAULT }, ...LOCALES.map((value) => ({ value, label: () => LOCALE_NAMES[value] }))],
        },
      ],
    },
    { type: OptionType.Subcommand, name: "health" },
    { type: OptionType.Subcommand, name: "briefing" },
    {
      type: OptionType.Subcommand,
      name: "mint",
      options: [
        { type: OptionType.Integer, name: "count", required: true, ...minMax(LIMITS.mintCount) },
        { type: OptionType.String, name: "policy", required: true, choices: policyChoices },
        { type: OptionType.Integer, name: "min_days", ...minMax(LIMITS.minDays) },
        { type: OptionType.Integer, name: "expires_days", ...minMax(LIMITS.expiresDays) },
        { type: OptionType.Boolean, name: "dry_run" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "forget",
      options: [{ type: OptionType.User, name: "member", required: true }],
    },
    {
      type: OptionType.Subcommand,
      name: "revoke",
      options: [{ type: OptionType.User, name: "member", required: true }],
    },
    { type: OptionType.Subcommand, name: "waves" },
    {
      type: OptionType.Subcommand,
      name: "export",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          min_value: LIMITS.leaderboardDays.min,
          max_value: LIMITS.leaderboardDays.max,
        },
      ],
    },
    { type: OptionType.Subcommand, name: "dashboard" },
    {
      type: OptionType.SubcommandGroup,
      name: "season",
      options: [
        {
          type: OptionType.Subcommand,
          name: "start",
          options: [{ type: OptionType.String, name: "name", required: true, min_length: LIMITS.seasonName.min, max_length: LIMITS.seasonName.max }],
        },
        { type: OptionType.Subcommand, name: "list" },
      ],
    },
    {
      type: OptionType.Subcommand,
      name: "exclude",
      options: [{ type: OptionType.User, name: "member" }],
    },
    {
      type: OptionType.Subcommand,
      name: "include",
      options: [{ type: OptionType.User, name: "member", required: true }],
    },
  ],
} as const;

/** `/invites`: every member may look at invite counts. */
export const invitesCommand = {
  name: "invites",
  type: 1,
  contexts: [0],
  integration_types: [0],
  options: [
    {
      type: OptionType.Subcommand,
      name: "show",
      options: [{ type: OptionType.User, name: "member" }],
    },
    {
      type: OptionType.Subcommand,
      name: "leaderboard",
      options: [
        {
          type: OptionType.Integer,
          name: "days",
          min_value: LIMITS.leaderboardDays.min,
          max_value: LIMITS.leaderboardDays.max,
        },
        { type: OptionType.Integer, name: "season", autocomplete: true, ...minMax(LIMITS.season) },
      ],
    },
  ],
} as const;

export const invitationsCommand = {
  name: "invitations",
  type: 1,
  contexts: [0],
  integration_types: [0],
  options: [
    { type: OptionType.Subcommand, name: "mine" },
    {
      type: OptionType.Subcommand,
      name: "tree",
      options: [{ type: OptionType.User, name: "member" }],
    },
  ],
} as const;

/** As registered: descriptions and choice names from locales/, with every shipped translation Discord supports. */
export const commands = localizeCommands([inviteCommand, invitesCommand, invitationsCommand]);

function minMax(range: { min: number; max: number }) {
  return { min_value: range.min, max_value: range.max };
}
