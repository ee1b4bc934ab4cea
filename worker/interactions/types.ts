import * as v from "valibot";

/**
 * Discord's interaction payload, as far as the bot reads it. A signed body is
 * still outside input: everything is parsed against these schemas before use,
 * and what does not fit never reaches a handler.
 */

const Snowflake = v.pipe(v.string(), v.regex(/^\d{1,20}$/));

/** What every interaction must have; without it there is nothing to answer (400). */
export const InteractionEnvelope = v.object({
  id: Snowflake,
  type: v.pipe(v.number(), v.integer()),
  token: v.pipe(v.string(), v.maxLength(1_000)),
  application_id: Snowflake,
});
export type InteractionEnvelope = v.InferOutput<typeof InteractionEnvelope>;

/** Discord caps names at 32 characters and string values at 6,000. */
const OptionName = v.pipe(v.string(), v.maxLength(32));
const OptionValue = v.union([v.pipe(v.string(), v.maxLength(6_000)), v.pipe(v.number(), v.finite()), v.boolean()]);

const ValueOption = v.object({
  name: OptionName,
  type: v.pipe(v.number(), v.integer()),
  value: v.optional(OptionValue),
  focused: v.optional(v.boolean()),
});
export type ValueOption = v.InferOutput<typeof ValueOption>;

/** A subcommand with its own options, or a value. */
const SubOption = v.object({ ...ValueOption.entries, options: v.optional(v.pipe(v.array(ValueOption), v.maxLength(25))) });
/** A top-level option: a subcommand group holding subcommands, a subcommand, or (for other commands) a value. */
const TopOption = v.object({ ...ValueOption.entries, options: v.optional(v.pipe(v.array(SubOption), v.maxLength(25))) });
export type TopOption = v.InferOutput<typeof TopOption>;

const User = v.object({ id: Snowflake });
/** The invoking member in a guild: permissions in this channel, and role ids (Discord allows at most 250). */
const Member = v.object({ permissions: v.optional(v.string()), roles: v.optional(v.pipe(v.array(Snowflake), v.maxLength(250))), user: v.optional(User) });

/** Discord's language tags ("en-US", "de", "zh-CN"): anything longer is not one. */
const LocaleTag = v.optional(v.pipe(v.string(), v.maxLength(16)));
/** The invoker's language and the server's, for the reply and the server's posts. */
const Languages = { locale: LocaleTag, guild_locale: LocaleTag };
/** Read on its own, so that even a refused interaction is answered in its invoker's language. */
export const InteractionLanguages = v.object(Languages);

/** APPLICATION_COMMAND and AUTOCOMPLETE: who, where, and the command with its options. */
export const CommandInteraction = v.object({
  ...Languages,
  guild_id: v.optional(Snowflake),
  channel_id: v.optional(Snowflake),
  member: v.optional(Member),
  user: v.optional(User),
  data: v.object({
    name: OptionName,
    options: v.optional(v.pipe(v.array(TopOption), v.maxLength(25))),
  }),
});
export type CommandInteraction = v.InferOutput<typeof CommandInteraction>;

/** MESSAGE_COMPONENT (a button press): the custom_id the bot itself set, still checked before use. */
export const ComponentInteraction = v.object({
  ...Languages,
  guild_id: v.optional(Snowflake),
  member: v.optional(Member),
  user: v.optional(User),
  data: v.object({ custom_id: v.pipe(v.string(), v.maxLength(100)), component_type: v.pipe(v.number(), v.integer()) }),
});
export type ComponentInteraction = v.InferOutput<typeof ComponentInteraction>;

export const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  MessageComponent: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;
