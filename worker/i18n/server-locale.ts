/**
 * The server's language as stored: the `/invite settings language:` override and
 * the `guild_locale` Discord last sent. worker/i18n/resolve.ts decides between them.
 */
import { eq, sql } from "drizzle-orm";
import { guildLanguages } from "../../schema";
import type { Queryable } from "../db";
import { isLocale, type Locale } from "./locales";
import { messages, type Messages } from "./messages";
import { serverLocale } from "./resolve";

/** Discord's language tags are short; anything else is not kept. */
const TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** Keeps the `guild_locale` an interaction carried; writes only when it changed (one statement either way). */
export async function rememberGuildLocale(db: Queryable, guildId: string, guildLocale: string | undefined): Promise<void> {
  if (guildLocale === undefined || !TAG.test(guildLocale)) return;
  await db
    .insert(guildLanguages)
    .values({ guildId, guildLocale })
    .onConflictDoUpdate({
      target: guildLanguages.guildId,
      set: { guildLocale, updatedAt: new Date() },
      setWhere: sql`${guildLanguages.guildLocale} is distinct from excluded.guild_locale`,
    });
}

/** The override in force (null: the server's own language) and the server's language as Discord last sent it. */
export async function readGuildLanguages(db: Queryable, guildId: string): Promise<{ override: Locale | null; guildLocale: string | null }> {
  const [row] = await db.select().from(guildLanguages).where(eq(guildLanguages.guildId, guildId));
  return { override: isLocale(row?.language) ? row.language : null, guildLocale: row?.guildLocale ?? null };
}

/** Sets or (null) clears the override. */
export async function saveLanguageOverride(db: Queryable, guildId: string, language: Locale | null): Promise<void> {
  await db
    .insert(guildLanguages)
    .values({ guildId, language })
    .onConflictDoUpdate({ target: guildLanguages.guildId, set: { language, updatedAt: new Date() } });
}

/** The language the server's public posts are written in. */
export async function serverLanguage(db: Queryable, guildId: string): Promise<Locale> {
  const { override, guildLocale } = await readGuildLanguages(db, guildId);
  return serverLocale(override, guildLocale);
}

/** The server's public posts' messages. */
export const serverMessages = async (db: Queryable, guildId: string): Promise<Messages> => messages(await serverLanguage(db, guildId));
