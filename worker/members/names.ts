import { sql } from "drizzle-orm";
import type { Queryable } from "../db";
import type { MemberProfile } from "./profile";

/**
 * Keeps the last name and avatar seen for a member who has a row. A member
 * `/invite forget` forgot keeps none (their membership row stays for the member
 * sync, nameless). A member who left keeps the last seen until the name
 * retention job drops it (cron/name-retention.ts).
 */
export async function saveProfile(db: Queryable, guildId: string, userId: string, p: MemberProfile): Promise<void> {
  await db.execute(sql`
    update members set username = ${p.username}, global_name = ${p.globalName}, nick = ${p.nick}, avatar = ${p.avatar}, discriminator = ${p.discriminator}
     where guild_id = ${guildId} and user_id = ${userId} and forgotten_at is null`);
}

export interface NamedMember extends MemberProfile {
  userId: string;
}

/** The kept profiles of these members (those without a row are absent). */
export async function memberProfiles(db: Queryable, guildId: string, userIds: readonly string[]): Promise<Map<string, NamedMember>> {
  if (userIds.length === 0) return new Map();
  const result = await db.execute<{ user_id: string; username: string | null; global_name: string | null; nick: string | null; avatar: string | null; discriminator: string | null }>(sql`
    select user_id, username, global_name, nick, avatar, discriminator from members
     where guild_id = ${guildId} and user_id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb))`);
  return new Map(
    result.rows.map((r) => [r.user_id, { userId: r.user_id, username: r.username, globalName: r.global_name, nick: r.nick, avatar: r.avatar, discriminator: r.discriminator }]),
  );
}

/** `displayName` in SQL over a members row `m`. */
export const memberNameSql = (m: string) => sql`coalesce(${sql.identifier(m)}.nick, ${sql.identifier(m)}.global_name, ${sql.identifier(m)}.username)`;
