import { eq, sql } from "drizzle-orm";
import { invitations, waves } from "../../../schema";
import { withDb } from "./db";
import { fakeDiscord } from "./fake-discord";

/** Snowflakes minted now, as Discord's are: the relay refuses anything else. */
let nextUser = (BigInt(Date.now()) - 1420070400000n) << 22n;
export const newUserId = () => String((nextUser += 1n));

export interface SeedMember {
  userId?: string;
  daysAgo?: number;
  leftDaysAgo?: number;
  bot?: boolean;
}

/** A guild in the fake Discord with these members in Postgres (as the bot saw them join). */
export async function guildWithMembers(name: string, list: SeedMember[]) {
  const guild = await fakeDiscord.createGuild({ name });
  const now = Date.now();
  const rows = list.map((m) => ({
    userId: m.userId ?? newUserId(),
    joinedAt: new Date(now - (m.daysAgo ?? 30) * 86_400_000),
    leftAt: m.leftDaysAgo === undefined ? null : new Date(now - m.leftDaysAgo * 86_400_000),
    bot: m.bot ?? false,
  }));
  await insertMembers(guild.id, rows);
  return { guild, ctx: { guildId: guild.id, channelId: guild.channels[0]!.id }, members: rows.map((r) => r.userId) };
}

export const insertMembers = (guildId: string, rows: Array<{ userId: string; joinedAt: Date; leftAt: Date | null; bot: boolean }>) =>
  withDb((db) =>
    db.execute(sql`
      insert into members (guild_id, user_id, joined_at, left_at, bot)
      select ${guildId}, x->>'userId', (x->>'joinedAt')::timestamptz, (x->>'leftAt')::timestamptz, (x->>'bot')::boolean
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) x`),
  );

export const invitationsOf = (guildId: string) =>
  withDb((db) => db.select().from(invitations).where(eq(invitations.guildId, guildId)).orderBy(invitations.id));
export const wavesOf = (guildId: string) => withDb((db) => db.select().from(waves).where(eq(waves.guildId, guildId)).orderBy(waves.id));
