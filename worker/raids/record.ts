import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../db";
import type { RaidAlertItem } from "./alert-item";
import type { RaidFacts } from "./message";

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const iso = (d: Date) => d.toISOString();

/** The raid's row, written idempotently: a replayed item moves nothing backwards. Returns its id and message. */
export async function recordRaid(db: Queryable, item: RaidAlertItem): Promise<RaidRow> {
  const result = await db.execute<RawRaidRow>(sql`
    insert into raid_alerts (guild_id, raid_key, invite_code, started_at, last_join_at, ended_at, joins, peak_per_minute)
    values (${item.guildId}, ${item.raidKey}, ${item.inviteCode}, ${ts(item.startedAt)}::timestamptz, ${ts(item.lastJoinAt)}::timestamptz,
            ${ts(item.endedAt)}::timestamptz, ${item.joins}, ${item.peakPerMinute})
    on conflict on constraint raid_alerts_once do update set
      last_join_at = greatest(raid_alerts.last_join_at, excluded.last_join_at),
      ended_at = coalesce(raid_alerts.ended_at, excluded.ended_at),
      joins = greatest(raid_alerts.joins, excluded.joins),
      peak_per_minute = greatest(raid_alerts.peak_per_minute, excluded.peak_per_minute)
    returning ${RAID_COLUMNS}`);
  return raidRow(result.rows[0])!;
}

export type RaidRow = {
  id: number;
  inviteCode: string | null;
  startedAt: Date;
  lastJoinAt: Date;
  endedAt: Date | null;
  channelId: string | null;
  messageId: string | null;
};

/** Raw queries hand timestamps back as text. */
type RawRaidRow = Omit<RaidRow, "startedAt" | "lastJoinAt" | "endedAt"> & { startedAt: string; lastJoinAt: string; endedAt: string | null };
const raidRow = (r: RawRaidRow | undefined): RaidRow | null =>
  r ? { ...r, startedAt: new Date(r.startedAt), lastJoinAt: new Date(r.lastJoinAt), endedAt: r.endedAt === null ? null : new Date(r.endedAt) } : null;

const RAID_COLUMNS = sql.raw(`id, invite_code as "inviteCode", started_at as "startedAt", last_join_at as "lastJoinAt", ended_at as "endedAt",
  channel_id as "channelId", message_id as "messageId"`);

export async function raidByKey(db: Queryable, guildId: string, raidKey: string): Promise<RaidRow | null> {
  const result = await db.execute<RawRaidRow>(sql`select ${RAID_COLUMNS} from raid_alerts where guild_id = ${guildId} and raid_key = ${raidKey}`);
  return raidRow(result.rows[0]);
}

/** The guild's raid, for a button: null when it is not this guild's (a custom_id can name any id). */
export async function raidOfGuild(db: Queryable, guildId: string, alertId: number): Promise<RaidRow | null> {
  const result = await db.execute<RawRaidRow>(sql`select ${RAID_COLUMNS} from raid_alerts where id = ${alertId} and guild_id = ${guildId}`);
  return raidRow(result.rows[0]);
}

export async function noteAlertMessage(db: Queryable, alertId: number, channelId: string, messageId: string): Promise<void> {
  await db.execute(sql`update raid_alerts set channel_id = ${channelId}, message_id = ${messageId} where id = ${alertId}`);
}

/**
 * The raid's joins in Postgres: through its code (named, or the one code all
 * candidates are), or, for a raid through no invite, those that moved no count.
 * `joined_at` is Discord's clock, a little before the object stored the join:
 * the window opens a little earlier for it.
 */
function raidJoins(guildId: string, raid: Pick<RaidRow, "inviteCode" | "startedAt" | "lastJoinAt" | "endedAt">): SQL {
  const through =
    raid.inviteCode === null
      ? sql`j.invite_code is null and j.method = 'unresolved' and coalesce(cardinality(j.candidates), 0) = 0 and j.reason is null`
      : sql`(j.invite_code = ${raid.inviteCode} or (j.invite_code is null and cardinality(j.candidates) > 0 and ${raid.inviteCode} = all(j.candidates)))`;
  return sql`from invite_joins j left join members m on m.guild_id = j.guild_id and m.user_id = j.user_id
    where j.guild_id = ${guildId} and not coalesce(m.bot, false) and ${through}
      and j.joined_at >= ${iso(raid.startedAt)}::timestamptz - interval '10 seconds'
      and j.joined_at <= ${iso(raid.endedAt ?? raid.lastJoinAt)}::timestamptz`;
}

/** What the alert needs beyond the item: the source's name and the share of young accounts, with the fake-account age. */
export async function raidFacts(db: Queryable, guildId: string, raid: RaidRow): Promise<Pick<RaidFacts, "sourceName" | "written" | "young" | "fakeAccountAgeDays">> {
  const result = await db.execute<{ sourceName: string | null; written: number; young: number; days: number }>(sql`
    with s as (select coalesce((select fake_account_age_days from join_log_settings where guild_id = ${guildId}), 7) as days)
    select (select src.name from invites i join invite_sources src on src.id = i.source_id where i.code = ${raid.inviteCode} and i.guild_id = ${guildId}) as "sourceName",
           count(*)::int as written,
           count(*) filter (where j.joined_at - to_timestamp(((j.user_id::bigint >> 22) + 1420070400000) / 1000.0) < make_interval(days => (select days from s)))::int as young,
           (select days from s)::int as days
    ${raidJoins(guildId, raid)}`);
  const row = result.rows[0]!;
  return { sourceName: row.sourceName, written: row.written, young: row.young, fakeAccountAgeDays: row.days };
}

/** One page of the raid's members, oldest join first, and how many there are. */
export async function raidMembers(db: Queryable, guildId: string, raid: RaidRow, offset: number, limit: number) {
  const [page, total] = await Promise.all([
    db.execute<{ userId: string; joinedAt: string }>(sql`
      select j.user_id as "userId", j.joined_at as "joinedAt" ${raidJoins(guildId, raid)} order by j.joined_at, j.user_id offset ${offset} limit ${limit}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n ${raidJoins(guildId, raid)}`),
  ]);
  return { members: page.rows.map((r) => ({ userId: r.userId, joinedAt: new Date(r.joinedAt) })), total: total.rows[0]!.n };
}

/** The code's invite, when Postgres knows it as this guild's. */
export async function guildInviteKnown(db: Queryable, guildId: string, code: string): Promise<boolean> {
  const result = await db.execute<{ known: boolean }>(sql`select exists (select 1 from invites where code = ${code} and guild_id = ${guildId}) as known`);
  return result.rows[0]!.known;
}
