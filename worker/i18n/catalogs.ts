/**
 * The catalogs the Worker bundles, one import per language in locales/. A
 * translator adds their file's line here; a shipped locale without one reads
 * English (test/node/i18n-catalogs.test.ts checks every file in locales/ is listed).
 */
import de from "../../locales/de.json";
import enUS from "../../locales/en-US.json";
import esES from "../../locales/es-ES.json";
import fr from "../../locales/fr.json";
import ja from "../../locales/ja.json";
import ko from "../../locales/ko.json";
import pl from "../../locales/pl.json";
import ptBR from "../../locales/pt-BR.json";
import ru from "../../locales/ru.json";
import tr from "../../locales/tr.json";
import zhCN from "../../locales/zh-CN.json";
import type { Locale } from "./locales";

export type Catalog = Readonly<Record<string, string>>;
export type MessageKey = keyof typeof enUS;

export const SOURCE_CATALOG: Readonly<Record<MessageKey, string>> = enUS;

export const CATALOGS: Partial<Record<Locale, Catalog>> = {
  de,
  "en-US": enUS,
  "es-ES": esES,
  fr,
  ja,
  ko,
  pl,
  "pt-BR": ptBR,
  ru,
  tr,
  "zh-CN": zhCN,
};
