import type { TopOption, ValueOption } from "../interactions/types";
import { fail, ok, type Phrase, type Outcome } from "./failures";

/** A subcommand's options, flattened from Discord's nested interaction data. */
export interface SubcommandCall {
  name: string;
  /** A Map, so an option called "__proto__" or "constructor" is just a name. */
  options: Map<string, string | number | boolean>;
  /** The option being typed, for autocomplete. */
  focused?: { name: string; value: string };
}

/**
 * The subcommand in already schema-checked options, or null when there is none.
 * A subcommand of a group is named "group sub" (`rewards add`).
 */
export function readSubcommand(options: TopOption[] | undefined): SubcommandCall | null {
  const group = options?.find((o) => o.type === 2);
  const sub: { name: string; options?: ValueOption[] } | undefined = group
    ? group.options?.find((o) => o.type === 1)
    : options?.find((o) => o.type === 1);
  if (!sub) return null;
  const call: SubcommandCall = { name: group ? `${group.name} ${sub.name}` : sub.name, options: new Map() };
  for (const option of sub.options ?? []) {
    if (option.value === undefined) continue;
    call.options.set(option.name, option.value);
    if (option.focused) call.focused = { name: option.name, value: String(option.value) };
  }
  return call;
}

export function stringOption(call: SubcommandCall, name: string): Outcome<string> {
  const value = call.options.get(name);
  return typeof value === "string" ? ok(value) : fail({ kind: "invalid_option", option: name, expected: { key: "expected.text" } });
}

/** User and channel options carry ids; anything else would end up in a URL path or a query. */
export function snowflakeOption(call: SubcommandCall, name: string, expected: Phrase): Outcome<string> {
  const value = call.options.get(name);
  return typeof value === "string" && /^\d{17,20}$/.test(value) ? ok(value) : fail({ kind: "invalid_option", option: name, expected });
}

/** Integer options are re-checked here: the server never trusts the client's min/max. */
export function integerOption(
  call: SubcommandCall,
  name: string,
  range: { min: number; max: number; default?: number },
): Outcome<number> {
  const value = call.options.get(name) ?? range.default;
  const expected: Phrase = { key: "expected.whole_number", values: { min: range.min, max: range.max } };
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    return fail({ kind: "invalid_option", option: name, expected });
  }
  return ok(value);
}

/**
 * A line of text an admin names something with (a bonus's reason, a season's name): trimmed,
 * within `range`, without control characters or text-direction overrides, which would garble every later listing.
 */
export function plainTextOption(call: SubcommandCall, name: string, range: { min: number; max: number }): Outcome<string> {
  const text = stringOption(call, name);
  if (!text.ok) return text;
  const value = text.value.trim();
  if (value.length < range.min || value.length > range.max || /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(value)) {
    return fail({ kind: "invalid_option", option: name, expected: { key: "expected.plain_text", values: { min: range.min, max: range.max } } });
  }
  return ok(value);
}

/** An optional boolean option; absent is `fallback`. */
export function booleanOption(call: SubcommandCall, name: string, fallback = false): Outcome<boolean> {
  const value = call.options.get(name) ?? fallback;
  return typeof value === "boolean" ? ok(value) : fail({ kind: "invalid_option", option: name, expected: { key: "expected.true_or_false" } });
}

/** An optional integer option: absent stays undefined (a setting left alone). */
export function optionalInteger(call: SubcommandCall, name: string, range: { min: number; max: number }): Outcome<number | undefined> {
  return call.options.has(name) ? integerOption(call, name, range) : ok(undefined);
}
