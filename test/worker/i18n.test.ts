import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { guildLanguages, guildSettings } from "../../schema";
import { isoWeek, localTime } from "../../worker/briefing/schedule";
import { CATALOGS } from "../../worker/i18n/catalogs";
import { LOCALE_NAMES, LOCALES, type Locale } from "../../worker/i18n/locales";
import { messages } from "../../worker/i18n/messages";
import { deliver } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt } from "../../simulator/interaction-payload";
import { commandInteraction, type CommandOption } from "../../simulator/interaction-payload";
import { contextOf, finalReply, replyText, signedInteraction, type CommandOptions, type InteractionReply } from "./support/interactions";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { pseudoCatalog } from "./support/pseudo-locale";

/**
 * The acceptance, in any two shipped languages with a catalog: a reply
 * to a member in their language (Discord's `locale`), the server's public posts
 * in the server's (`guild_locale`), and `/invite settings language:` changing
 * the latter. While fewer than two translations exist, two tagged
 * pseudo-catalogs stand in for de and fr (registered here, for this test only).
 */
const translated = LOCALES.filter((l) => l !== "en-US" && CATALOGS[l]);
if (translated.length < 2) Object.assign(CATALOGS, { de: pseudoCatalog("[de] "), fr: pseudoCatalog("[fr] ") });
const languages = (translated.length < 2 ? ["de", "fr"] : translated) as Locale[];
/**
 * Every shipped language in each part: member (reader), server, and the override chosen later (the next
 * language along; English when only two catalogs exist).
 */
const cases = languages.map((reader, i): [Locale, Locale, Locale] => {
  const server = languages[(i + 1) % languages.length]!;
  const chosen = languages.length > 2 ? languages[(i + 2) % languages.length]! : "en-US";
  return [reader, server, chosen];
});

const DAY = 86_400_000;

/**
 * `/invite <sub>` through this isolate's Worker module (the one whose catalogs
 * the test registered), answered as Discord would see it, deferred or not.
 */
async function runInvite(sub: string, options: CommandOption[], ctx: CommandOptions) {
  const interaction = commandInteraction("invite", sub, options, contextOf(ctx, 2));
  const execution = createExecutionContext();
  const response = await worker.fetch(await signedInteraction(JSON.stringify(interaction)), env, execution);
  const body = (await response.json()) as InteractionReply;
  const reply = await finalReply(body, interaction.token);
  await waitOnExecutionContext(execution);
  return replyText(reply);
}

async function briefingPosts(channelId: string) {
  const posted = await fakeDiscord.channelMessages(channelId);
  return posted.flatMap((m) => (m.embeds as Array<{ title?: string; description?: string; footer?: { text?: string } }>) ?? []);
}

describe("languages", { timeout: 60_000 }, () => {
  it.each(cases)("a %s member in a %s server gets replies in their language while the briefing is in the server's; language: %s changes the server's", async (reader, server, chosen) => {
    const guild = await fakeDiscord.createGuild({ name: "Languages", channels: [{ name: "general" }, { name: "briefings" }] });
    const briefings = guild.channels[1]!.id;
    const ctx = { guildId: guild.id, channelId: guild.channels[0]!.id, locale: reader, guildLocale: server };
    const now = Date.now();
    const local = localTime(now, "UTC");
    await withDb((db) => db.insert(guildSettings).values({ guildId: guild.id, briefingChannelId: briefings, briefingDay: local.weekday, briefingHour: local.hour, timezone: "UTC" }));

    // A reply to one person: in their language; the guild_locale it carried is kept as the server's language.
    expect(await runInvite("stats", [], ctx)).toContain(messages(reader).t("stats.empty"));
    expect(await withDb((db) => db.select().from(guildLanguages).where(eq(guildLanguages.guildId, guild.id)))).toMatchObject([{ language: null, guildLocale: server }]);

    // The weekly briefing, a public post: in the server's language.
    await deliver([{ body: { job: "briefing", guildId: guild.id, firedAt: now } }]);
    const [first] = await briefingPosts(briefings);
    expect(first?.footer?.text).toBe(messages(server).t("briefing.footer", { week: isoWeek(local.date) }));
    expect(first?.description).toContain(messages(server).t("briefing.no_labelled_joins"));

    // The override: the settings reply (to the member, in their language) shows it; next week's briefing follows it.
    expect(await runInvite("settings", [opt.str("language", chosen)], ctx)).toContain(messages(reader).t("settings.language", { language: LOCALE_NAMES[chosen] }));
    const nextWeek = now + 7 * DAY;
    await deliver([{ body: { job: "briefing", guildId: guild.id, firedAt: nextWeek } }]);
    const [, second] = await briefingPosts(briefings);
    expect(second?.footer?.text).toBe(messages(chosen).t("briefing.footer", { week: isoWeek(localTime(nextWeek, "UTC").date) }));

    // "server default" clears it: the server's own language again.
    expect(await runInvite("settings", [opt.str("language", "default")], ctx)).toContain(messages(reader).t("settings.language_default", { language: LOCALE_NAMES[server] }));
  });
});
