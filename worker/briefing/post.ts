import { sql } from "drizzle-orm";
import { loadWorkerAssets } from "../charts/worker-assets";
import type { Db } from "../db";
import { fitEmbeds } from "../discord/limits";
import type { DiscordFailure, DiscordRest } from "../discord/rest";
import { gatherHealth } from "../health/gather";
import { multipartMessage, NO_MENTIONS } from "../interactions/reply";
import { buildBriefing } from "./build";
import { weekFooter } from "./compose";
import { LOCALES } from "../i18n/locales";
import { messages } from "../i18n/messages";
import { serverMessages } from "../i18n/server-locale";

/** A claim older than this without a post belongs to a run that died: another run takes it over. */
export const CLAIM_LEASE_MS = 10 * 60_000;
/** How far back a taken-over claim looks for a post its dead run may have made. */
const HISTORY_LOOKBACK = 50;

export type PostOutcome =
  | { kind: "posted"; messageId: string }
  | { kind: "already_posted" }
  | { kind: "held_by_another_run" }
  | { kind: "recovered"; messageId: string }
  | { kind: "failed"; error: DiscordFailure };

/**
 * Posts the guild's briefing for `week` once, however often it is asked: a row
 * keyed by (guild, week) is claimed first; only its holder posts, then records
 * the message. A run that dies holding the claim is taken over after the lease,
 * and the new holder first looks in the channel for the post the dead run may
 * have made (its footer names the week). A failed post releases the claim to the next run.
 */
export async function postBriefingOnce(
  env: Env,
  db: Db,
  rest: DiscordRest,
  target: { guildId: string; channelId: string; week: string },
  now: Date,
): Promise<PostOutcome> {
  const { guildId, channelId, week } = target;
  const claimed = await db.execute<{ fresh: boolean }>(sql`
    insert into briefing_posts (guild_id, week, channel_id, claimed_at) values (${guildId}, ${week}, ${channelId}, ${now.toISOString()}::timestamptz)
    on conflict (guild_id, week) do update set claimed_at = excluded.claimed_at, channel_id = excluded.channel_id
     where briefing_posts.posted_at is null and briefing_posts.claimed_at < ${new Date(now.getTime() - CLAIM_LEASE_MS).toISOString()}::timestamptz
    returning (xmax = 0) as fresh`);
  const claim = claimed.rows[0];
  if (!claim) {
    const [row] = (await db.execute<{ posted: boolean }>(sql`select posted_at is not null as posted from briefing_posts where guild_id = ${guildId} and week = ${week}`)).rows;
    return row?.posted ? { kind: "already_posted" } : { kind: "held_by_another_run" };
  }
  const record = (messageId: string) =>
    db.execute(sql`update briefing_posts set posted_at = ${new Date().toISOString()}::timestamptz, message_id = ${messageId}
                    where guild_id = ${guildId} and week = ${week}`);
  if (!claim.fresh) {
    const lost = await findPost(rest, channelId, week, env.DISCORD_APPLICATION_ID);
    if (lost) {
      await record(lost);
      return { kind: "recovered", messageId: lost };
    }
  }
  try {
    // A public post: in the server's language.
    const m = await serverMessages(db, guildId);
    const assets = await loadWorkerAssets();
    const briefing = await buildBriefing(db, env, guildId, now, week, gatherHealth(env, db, guildId, now, m), assets, m);
    const body = multipartMessage(
      // The nonce makes Discord drop a second copy sent within minutes (a retry whose answer was lost).
      { embeds: fitEmbeds([briefing.embed]), allowed_mentions: NO_MENTIONS, nonce: `briefing-${week}`, enforce_nonce: true },
      [briefing.chart],
    );
    const posted = await rest.post<{ id: string }>(`/channels/${channelId}/messages`, body);
    if (!posted.ok) {
      await release(db, guildId, week);
      return { kind: "failed", error: posted.error };
    }
    await record(posted.value.id);
    return { kind: "posted", messageId: posted.value.id };
  } catch (error) {
    await release(db, guildId, week).catch(() => undefined);
    throw error;
  }
}

/**
 * Gives up an unposted claim so the next cron run takes it over at once. It is
 * kept, not deleted: a post whose answer was lost (a timeout, a 5xx) may have
 * landed, and a taken-over claim looks in the channel first.
 */
function release(db: Db, guildId: string, week: string) {
  return db.execute(sql`update briefing_posts set claimed_at = 'epoch' where guild_id = ${guildId} and week = ${week} and posted_at is null`);
}

/** The bot's own post for `week` among the channel's latest messages, if a dead run made one (a bot's user id is its application id). */
async function findPost(rest: DiscordRest, channelId: string, week: string, botId: string): Promise<string | null> {
  const history = await rest.get<Array<{ id: string; author?: { id?: string }; embeds?: Array<{ footer?: { text?: string } }> }>>(
    `/channels/${channelId}/messages?limit=${HISTORY_LOOKBACK}`,
  );
  if (!history.ok) return null;
  // In whichever language it was posted: the server's may have changed since.
  const footers = new Set(LOCALES.map((locale) => weekFooter(week, messages(locale))));
  return history.value.find((m) => m.author?.id === botId && m.embeds?.some((e) => footers.has(e.footer?.text ?? "")))?.id ?? null;
}
