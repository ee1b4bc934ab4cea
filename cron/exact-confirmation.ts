import { sql } from "drizzle-orm";
import { exactChecks } from "../schema";
import { searchJoinSources } from "../worker/discord/member-search";
import { DiscordRest } from "../worker/discord/rest";
import { exactCode } from "../worker/guild-invites/exact-lookup";
import { logError, logInfo } from "../worker/log";
import { eliminateInGroup } from "../worker/store/joins";
import { done, IDLE, type GuildJob } from "./job-run";
import { knownGuilds } from "../worker/store/known-guilds";

const DAY_MS = 86_400_000;
/** Attributed joins checked per guild and run: enough to measure the diff, few enough to stay cheap. */
const SAMPLE = 25;
/** How long one guild may wait on 202 "index not yet available" within a run. */
const INDEX_WAIT_MS = 10_000;

/**
 * Hourly, where member search is on: the last day's joins are looked up in
 * Discord's member search, the unresolved ones and a sample of the attributed
 * ones. An unresolved join Discord names the invite of becomes `exact` (and the
 * rest of its group may follow by elimination); for an attributed one, whether
 * the diff agreed is recorded, and a disagreement is logged loudly.
 */
export const exactConfirmationJob: GuildJob = {
  name: "confirm",
  async guilds(_env, db) {
    const off = new Set(
      (await db.execute<{ guild_id: string }>(sql`select guild_id from guild_settings where member_search = false`)).rows.map((r) => r.guild_id),
    );
    return (await knownGuilds(db)).filter((g) => !off.has(g));
  },
  async run(env, db, guildId, now) {
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const joins = await db.execute<{ id: number; user_id: string; joined_at: string; method: string; invite_code: string | null; group_id: string | null }>(sql`
      (select id, user_id, joined_at, method, invite_code, group_id from invite_joins
        where guild_id = ${guildId} and joined_at >= ${since}::timestamptz and method = 'unresolved' limit 1000)
      union all
      (select j.id, j.user_id, j.joined_at, j.method, j.invite_code, j.group_id from invite_joins j
        where j.guild_id = ${guildId} and j.joined_at >= ${since}::timestamptz and j.method in ('diff', 'vanity')
          and not exists (select 1 from exact_checks c where c.guild_id = j.guild_id and c.user_id = j.user_id and c.joined_at = j.joined_at)
        order by random() limit ${SAMPLE})`);
    if (joins.rows.length === 0) return IDLE;
    const rest = DiscordRest.fromEnv(env);
    const search = await searchJoinSources(rest, guildId, [...new Set(joins.rows.map((j) => j.user_id))], INDEX_WAIT_MS);
    if (search.kind !== "answered") {
      logInfo("exact confirmation: member search did not answer", { guild: guildId, search: search.kind, error: search.error });
      // Not retried: health reports the answer, and the next hourly run asks again.
      return done({ search: search.kind, looked: joins.rows.length, exact: 0, agreed: 0, disagreed: 0, rateLimited: rest.rateLimitHits });
    }
    let exact = 0;
    let agreed = 0;
    let disagreed = 0;
    const groups = new Set<string>();
    for (const join of joins.rows) {
      const joinedAt = Date.parse(join.joined_at);
      const code = exactCode(search.sources.get(join.user_id), joinedAt);
      if (code === null) continue;
      if (join.method === "unresolved") {
        const updated = await db.execute(sql`
          update invite_joins set method = 'exact', invite_code = ${code}, candidates = null,
                 source_id = (select source_id from invites where code = ${code} and guild_id = ${guildId})
           where id = ${join.id} and method = 'unresolved'`);
        if ((updated.rowCount ?? 0) > 0) exact++;
        if (join.group_id) groups.add(join.group_id);
        continue;
      }
      const outcome = code === join.invite_code ? "agreed" : "disagreed";
      await db
        .insert(exactChecks)
        .values({ guildId, userId: join.user_id, joinedAt: new Date(joinedAt), diffCode: join.invite_code, exactCode: code, outcome })
        .onConflictDoNothing();
      if (outcome === "agreed") agreed++;
      else {
        disagreed++;
        logError("exact confirmation disagreed: the diff attributed a join to another invite than Discord", null, {
          guild: guildId,
          user: join.user_id,
          joinedAt: join.joined_at,
          method: join.method,
          diffCode: join.invite_code,
          exactCode: code,
        });
      }
    }
    for (const group of groups) await eliminateInGroup(db, guildId, group);
    return done({ search: "answered", looked: joins.rows.length, exact, agreed, disagreed, rateLimited: rest.rateLimitHits });
  },
};
