import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCron } from "./support/cron";
import { withDb } from "./support/db";
import { fakeDiscord } from "./support/fake-discord";
import { opt, replyText, runCommandFinal } from "./support/interactions";
import { joinRows, trackedGuild, userAged } from "./support/inviters";
import { eventually } from "./support/relay";

const DAY = 86_400_000;

/** Every text column of every table holding the id, as "table.column" → rows. */
const rowsNaming = (id: string) =>
  withDb(async (db) => {
    const columns = await db.execute<{ table_name: string; column_name: string }>(sql`
      select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.data_type = 'text'`);
    const found: Record<string, number> = {};
    for (const { table_name, column_name } of columns.rows) {
      const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)} = ${id}`);
      if (result.rows[0]!.n > 0) found[`${table_name}.${column_name}`] = result.rows[0]!.n;
    }
    return found;
  });

describe("/invite forget", () => {
  it("erases a member's joins and name, keeps the stats, and the join log never names them again", async () => {
    const inviter = userAged(500);
    const { guild, ctx, play, leave } = await trackedGuild("Forget", [{ user: inviter }]);
    await runCommandFinal("invite", "settings", [opt.channel("join_log_channel", ctx.channelId)], ctx);
    const { code } = await fakeDiscord.createInvite(guild.id, { channel_id: ctx.channelId, inviter_id: inviter.id });
    const [member, stays] = [userAged(60), userAged(70)];
    await play(code, member);
    await play(code, stays);
    await withDb((db) =>
      db.execute(sql`insert into invitations (guild_id, code, inviter_id, inviter_name) values (${guild.id}, ${`forget-${member.id}`}, ${member.id}, 'Their Name')`),
    );
    const stats = async () => replyText((await runCommandFinal("invite", "stats", [], ctx)).body.data);
    const statsBefore = await stats();
    // Both joins' log lines are posted (after their rows are written) before anything is forgotten.
    const logged = await eventually(async () => ((await fakeDiscord.channelMessages(ctx.channelId)).length === 2 ? 2 : undefined), 15_000, "both joins logged");

    const reply = replyText((await runCommandFinal("invite", "forget", [opt.user("member", member.id)], ctx)).body.data);
    expect(reply).toContain(`Forgot <@${member.id}> in this server.`);
    expect(reply).toContain("**Removed:** 1 join row (where they came from); them from 1 invitation they were given to hand out");
    expect(reply).toContain("**Kept:** the join counts in `/invite stats`");

    // Across every table: only their membership (ids and times, marked forgotten) names them.
    expect(await rowsNaming(member.id)).toEqual({ "members.user_id": 1 });
    const [membership] = (await withDb((db) => db.execute<{ forgotten_at: string | null }>(sql`select forgotten_at from members where user_id = ${member.id}`))).rows;
    expect(membership!.forgotten_at).not.toBeNull();
    expect((await joinRows(guild.id)).map((j) => j.userId)).toEqual([stays.id]);
    expect(await stats()).toBe(statsBefore);

    // The daily member sync still lists them in Discord: their join is not recorded again.
    await runCron("30 3 * * *", [guild.id], Date.now() + DAY);
    expect(await rowsNaming(member.id)).toEqual({ "members.user_id": 1 });

    // They leave: the join log has nothing to say about them.
    await leave(member);
    await new Promise((r) => setTimeout(r, 500));
    const messages = await fakeDiscord.channelMessages(ctx.channelId);
    expect(messages).toHaveLength(logged);
    expect(messages.filter((m) => m.content.includes(member.id))).toHaveLength(1);
  }, 90_000);
});
