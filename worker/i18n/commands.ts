/**
 * Command definitions as registered: each command, option and choice gets its
 * English text from locales/en-US.json by its path (`command.invite.create`,
 * `command.invite.create.source`, `command.choice.<value>`) and, from every
 * other catalog present, `description_localizations` / `name_localizations`.
 * Names stay untranslated: what an admin types is the same in every language.
 */
import { CATALOGS, SOURCE_CATALOG, type Catalog } from "./catalogs";
import { LOCALES, SOURCE_LOCALE, type Locale } from "./locales";
import { parseMessage } from "./messages";

/** A choice's name: the catalog's `command.choice.<value>`, or `label` for names that are not words to translate (weekdays by Intl, language names). */
export interface ChoiceDefinition {
  value: string | number;
  label?: (locale: Locale) => string;
}

export interface CommandDefinition {
  name: string;
  options?: readonly CommandDefinition[];
  choices?: readonly ChoiceDefinition[];
  [field: string]: unknown;
}

type Localized<T> = Omit<T, "options" | "choices"> & {
  description: string;
  description_localizations?: Partial<Record<Locale, string>>;
  options?: Array<Localized<CommandDefinition>>;
  choices?: Array<{ name: string; name_localizations?: Partial<Record<Locale, string>>; value: string | number }>;
};

export type Translations = ReadonlyArray<readonly [Locale, Catalog]>;

/** The catalogs bundled besides English. */
const BUNDLED: Translations = LOCALES.filter((l) => l !== SOURCE_LOCALE).flatMap((l) => (CATALOGS[l] ? [[l, CATALOGS[l]] as const] : []));

/** A catalog's message for a definition, formatted (no values: ICU quoting such as `'{member}'` is undone). */
const formatted = (message: string, locale: Locale) => String(parseMessage(message, locale).format());

function text(key: string): string {
  const english = (SOURCE_CATALOG as Catalog)[key];
  // Only the bot's own definitions come here: a key missing from en-US is a bug the catalog tests catch first.
  if (english === undefined) throw new Error(`locales/en-US.json has no ${key}`);
  return formatted(english, SOURCE_LOCALE);
}

/** Every other catalog's text for `key`, when it has one; none at all is left out (Discord takes an absent map). */
function translations(from: Translations, key: string, own: (locale: Locale, catalog: Catalog) => string | undefined): { [locale: string]: string } | undefined {
  const found = from.flatMap(([locale, catalog]) => {
    const value = own(locale, catalog);
    return value === undefined ? [] : [[locale, value] as const];
  });
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

const own = (catalog: Catalog, key: string, locale: Locale) => (catalog[key] === undefined ? undefined : formatted(catalog[key], locale));

function localizeChoice(choice: ChoiceDefinition, from: Translations) {
  const key = `command.choice.${choice.value}`;
  const { label } = choice;
  const name = label ? label(SOURCE_LOCALE) : text(key);
  const name_localizations = translations(from, key, (locale, catalog) => (label ? label(locale) : own(catalog, key, locale)));
  return { name, ...(name_localizations ? { name_localizations } : {}), value: choice.value };
}

function localize<T extends CommandDefinition>(node: T, path: string, from: Translations): Localized<T> {
  const key = `${path}.${node.name}`;
  const { options, choices, ...rest } = node;
  const description_localizations = translations(from, key, (locale, catalog) => own(catalog, key, locale));
  return {
    ...rest,
    description: text(key),
    ...(description_localizations ? { description_localizations } : {}),
    ...(options ? { options: options.map((o) => localize(o, key, from)) } : {}),
    ...(choices ? { choices: choices.map((c) => localizeChoice(c, from)) } : {}),
  } as Localized<T>;
}

/** `from`: the translations to register (the bundled catalogs; a test passes its pseudo-locale). */
export const localizeCommands = <T extends CommandDefinition>(commands: readonly T[], from: Translations = BUNDLED): Array<Localized<T>> =>
  commands.map((c) => localize(c, "command", from));
