import { sql } from "drizzle-orm";
import { nameCutoff } from "../worker/privacy/periods";
import { PERSONAL_NAMES } from "../worker/privacy/user-data";
import { done, IDLE, type GuildJob } from "./job-run";

/** Members of the guild who left before the cutoff. */
const departedBefore = (guildId: string, cutoff: Date) =>
  sql`(select user_id from members where guild_id = ${guildId} and left_at < ${cutoff.toISOString()}::timestamptz)`;

/**
 * Daily: a member who left more than the retention period ago (MEMBER_NAME_RETENTION_DAYS,
 * default 365) loses every name kept beside their id (PERSONAL_NAMES); their join
 * row stays, for the statistics.
 */
export const nameRetentionJob: GuildJob = {
  name: "name_retention",
  async guilds(env, db, now) {
    const cutoff = nameCutoff(env, now).toISOString();
    const selects = PERSONAL_NAMES.map(
      ({ table, column, user }) => sql`
        select distinct t.guild_id from ${sql.identifier(table)} t
          join members m on m.guild_id = t.guild_id and m.user_id = t.${sql.identifier(user)}
         where t.${sql.identifier(column)} is not null and m.left_at < ${cutoff}::timestamptz`,
    );
    const result = await db.execute<{ guild_id: string }>(sql.join(selects, sql` union `));
    return result.rows.map((r) => r.guild_id);
  },
  async run(env, db, guildId, now) {
    const cutoff = nameCutoff(env, now);
    let dropped = 0;
    for (const { table, column, user } of PERSONAL_NAMES) {
      const result = await db.execute(sql`
        update ${sql.identifier(table)} set ${sql.identifier(column)} = null
         where guild_id = ${guildId} and ${sql.identifier(column)} is not null and ${sql.identifier(user)} in ${departedBefore(guildId, cutoff)}`);
      dropped += result.rowCount ?? 0;
    }
    return dropped === 0 ? IDLE : done({ dropped });
  },
};
