import { eq, isNull, sql } from "drizzle-orm";
import { memberSync } from "../schema";
import type { Db } from "../worker/db";
import { DiscordRest } from "../worker/discord/rest";
import { deleteWithdrawnDiscordInvites, withdrawDepartedInvitations } from "../worker/invitations/withdraw";
import { logInfo } from "../worker/log";
import { readProfile } from "../worker/members/profile";
import { parseIsoTimestamp } from "../worker/relay/event";
import { botArrival, recordBotArrival } from "../worker/store/bot-arrival";
import { done, IDLE, type GuildJob } from "./job-run";
import { knownGuilds } from "../worker/store/known-guilds";

/** Discord's largest member page. */
const PAGE = 1000;
/** Wall time one guild's sync may take in one run; the cursor carries the rest to the next run. */
export const SYNC_BUDGET_MS = 20_000;
/**
 * A join younger than this may still be on its way through the relay and the
 * object's outbox: it is not taken for a missed one.
 */
const IN_FLIGHT_MS = 60 * 60_000;

interface ListedMember {
  user: { id: string };
  joined_at: string;
  [field: string]: unknown;
}

/**
 * The member sync: pages `GET /guilds/{id}/members` and repairs `members` with
 * what the relay missed. A member Discord lists that the table lacks (or has as
 * gone, or with another join time) joined unseen: their row is set, and a join
 * at or after the bot's arrival with no `invite_joins` row gets one, unresolved,
 * with reason "missed" (one before it is a member nobody could have seen join;
 * while the arrival is unknown, no join is taken for missed). When a pass
 * reaches the end, members it never saw have left: they get `left_at`, and the
 * unspent invitations of everyone gone are withdrawn.
 * The daily run starts a pass (`start`); hourly runs carry unfinished ones on
 * from their cursor (`continue`), each within its time budget (at least one page per run).
 */
export function memberSyncJob(mode: "start" | "continue", budgetMs = SYNC_BUDGET_MS): GuildJob {
  return {
    name: "member_sync",
    guilds: async (_env, db) =>
      mode === "start" ? knownGuilds(db) : (await db.select({ guildId: memberSync.guildId }).from(memberSync).where(isNull(memberSync.finishedAt))).map((c) => c.guildId),
    async run(env, db, guildId, now) {
      let [cursor] = await db.select().from(memberSync).where(eq(memberSync.guildId, guildId));
      if (mode === "start" && (!cursor || cursor.finishedAt !== null)) {
        [cursor] = await db
          .insert(memberSync)
          .values({ guildId, after: "0", passStartedAt: now, finishedAt: null })
          .onConflictDoUpdate({ target: memberSync.guildId, set: { after: "0", passStartedAt: now, finishedAt: null } })
          .returning();
      }
      if (!cursor || cursor.finishedAt !== null) return IDLE;
      const rest = DiscordRest.fromEnv(env);
      const started = Date.now();
      const figures = { pages: 0, members: 0, joinsRepaired: 0, missedJoins: 0, departures: 0, invitationsWithdrawn: 0, discordInvitesDeleted: 0, finished: false, rateLimited: 0 };
      const arrival = await knownArrival(db, rest, env.DISCORD_APPLICATION_ID, guildId);
      let after = cursor.after;
      do {
        const page = await rest.get<ListedMember[]>(`/guilds/${guildId}/members?limit=${PAGE}&after=${after}`);
        if (!page.ok) {
          logInfo("member sync: Discord did not answer; the next run goes on from the cursor", { guild: guildId, after, error: page.error });
          break;
        }
        figures.pages++;
        figures.members += page.value.length;
        if (page.value.length > 0) {
          const repaired = await repairPage(db, guildId, page.value, now, arrival);
          figures.joinsRepaired += repaired.joins;
          figures.missedJoins += repaired.missed;
          after = page.value.at(-1)!.user.id;
          await db.update(memberSync).set({ after }).where(eq(memberSync.guildId, guildId));
        }
        if (page.value.length < PAGE) {
          figures.departures = await markDepartures(db, guildId, cursor.passStartedAt, now);
          figures.invitationsWithdrawn = await withdrawDepartedInvitations(db, guildId, now);
          figures.discordInvitesDeleted = await deleteWithdrawnDiscordInvites(db, rest, guildId, now);
          // A finished pass keeps no cursor: the last member's id would outlive /invite forget.
          await db.update(memberSync).set({ finishedAt: now, after: "0" }).where(eq(memberSync.guildId, guildId));
          figures.finished = true;
          break;
        }
      } while (Date.now() - started < budgetMs);
      figures.rateLimited = rest.rateLimitHits;
      return done(figures);
    },
  };
}

/** The bot's arrival in the guild: recorded from GUILD_CREATE, else asked of Discord (the bot's own member) and recorded; null if Discord does not answer. */
async function knownArrival(db: Db, rest: DiscordRest, botId: string, guildId: string): Promise<Date | null> {
  const known = await botArrival(db, guildId);
  if (known) return known;
  const bot = await rest.get<Partial<ListedMember>>(`/guilds/${guildId}/members/${botId}`);
  const joinedAt = bot.ok && typeof bot.value.joined_at === "string" ? parseIsoTimestamp(bot.value.joined_at) : null;
  if (joinedAt === null) {
    logInfo("member sync: the bot's arrival is unknown; no join is taken for missed this run", { guild: guildId, error: bot.ok ? "no joined_at" : bot.error });
    return null;
  }
  await recordBotArrival(db, guildId, new Date(joinedAt));
  return new Date(joinedAt);
}

/** Writes one page into `members` and records joins nobody saw since the bot arrived; returns how many joins it repaired and how many were missed. */
async function repairPage(db: Db, guildId: string, page: ListedMember[], now: Date, arrival: Date | null) {
  // Through JavaScript's Date: Discord's microseconds would not match the join rows the relay wrote (milliseconds).
  const listed = JSON.stringify(
    page.map((m) => {
      const p = readProfile(m);
      return { user_id: m.user.id, joined_at: new Date(Date.parse(m.joined_at)).toISOString(), username: p.username, global_name: p.globalName, nick: p.nick, avatar: p.avatar, discriminator: p.discriminator };
    }),
  );
  const result = await db.execute<{ repaired: string; missed: string }>(sql`
    with page as (select * from jsonb_to_recordset(${listed}::jsonb)
                    as p(user_id text, joined_at timestamptz, username text, global_name text, nick text, avatar text, discriminator text)),
    before as (
      select p.user_id, p.joined_at, m.user_id is null or m.left_at is not null or m.joined_at <> p.joined_at as repaired
        from page p left join members m on m.guild_id = ${guildId} and m.user_id = p.user_id
    ),
    upserted as (
      insert into members (guild_id, user_id, joined_at, seen_at, username, global_name, nick, avatar, discriminator)
      select ${guildId}, user_id, joined_at, ${now.toISOString()}::timestamptz, username, global_name, nick, avatar, discriminator from page
      on conflict (guild_id, user_id) do update set seen_at = excluded.seen_at, joined_at = excluded.joined_at, left_at = null,
        -- The names Discord lists now; a member /invite forget forgot keeps none.
        username = case when members.forgotten_at is null then excluded.username end,
        global_name = case when members.forgotten_at is null then excluded.global_name end,
        nick = case when members.forgotten_at is null then excluded.nick end,
        avatar = case when members.forgotten_at is null then excluded.avatar end,
        discriminator = case when members.forgotten_at is null then excluded.discriminator end
      returning user_id
    ),
    missed as (
      insert into invite_joins (guild_id, user_id, joined_at, method, candidates, reason)
      select ${guildId}, p.user_id, p.joined_at, 'unresolved', '{}', 'missed' from page p
       where p.joined_at < ${new Date(now.getTime() - IN_FLIGHT_MS).toISOString()}::timestamptz
         and p.joined_at >= ${arrival?.toISOString() ?? null}::timestamptz
         and not exists (select 1 from invite_joins j where j.guild_id = ${guildId} and j.user_id = p.user_id and j.joined_at = p.joined_at)
         -- A join whose row /invite forget erased is not recorded again.
         and not exists (select 1 from members m where m.guild_id = ${guildId} and m.user_id = p.user_id and m.joined_at = p.joined_at and m.forgotten_at is not null)
      on conflict on constraint invite_joins_once do nothing
      returning user_id
    )
    select (select count(*) from before where repaired)::bigint as repaired,
           (select count(*) from missed)::bigint as missed,
           (select count(*) from upserted)::bigint as written`);
  return { joins: Number(result.rows[0]?.repaired ?? 0), missed: Number(result.rows[0]?.missed ?? 0) };
}

/** Members a whole pass never listed, who joined before it began, have left. */
async function markDepartures(db: Db, guildId: string, passStartedAt: Date, now: Date): Promise<number> {
  const result = await db.execute(sql`
    update members set left_at = ${now.toISOString()}::timestamptz
     where guild_id = ${guildId} and left_at is null and joined_at < ${passStartedAt.toISOString()}::timestamptz
       and (seen_at is null or seen_at < ${passStartedAt.toISOString()}::timestamptz)`);
  return result.rowCount ?? 0;
}
