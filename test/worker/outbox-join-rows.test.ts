import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../worker/db";
import { writeJoinRows } from "../../worker/guild-invites/join-rows";
import type { OutboxItem } from "../../worker/guild-invites/outbox";
import { withDb } from "./support/db";

/** The statements `fn` sends, counted at the transaction it runs in. */
async function countStatements(db: Db, fn: (db: Db) => Promise<void>): Promise<number> {
  let statements = 0;
  const counting = new Proxy(db, {
    get(target, key, receiver) {
      if (key !== "transaction") return Reflect.get(target, key, receiver);
      return (run: (tx: unknown) => Promise<unknown>) =>
        target.transaction((tx) =>
          run(new Proxy(tx, { get: (t, k, r) => (k === "execute" ? (...args: unknown[]) => (statements++, (t.execute as (...a: unknown[]) => unknown)(...args)) : Reflect.get(t, k, r)) })),
        );
    },
  });
  await fn(counting);
  return statements;
}

describe("writeJoinRows", () => {
  it("writes a raid's 300 joins in four statements (joins, members, their names, invitations), and again changes nothing", async () => {
    const guildId = "790000000000000001";
    const start = Date.now() - 60_000;
    const joins: Extract<OutboxItem, { kind: "join" }>[] = Array.from({ length: 300 }, (_, i) => ({
      kind: "join", guildId, userId: String(790000000000100000n + BigInt(i)), joinedAt: start + i * 10, didRejoin: false,
      method: i % 10 === 0 ? "unresolved" : "diff", inviteCode: i % 10 === 0 ? null : "raidcode", invitationId: null,
      candidates: i % 10 === 0 ? ["raidcode", "other"] : null, groupId: null,
    }));
    await withDb(async (db) => {
      expect(await countStatements(db, (counted) => writeJoinRows(counted, joins))).toBe(4);
      await writeJoinRows(db, joins);
      const rows = await db.execute<{ joins: string; members: string; unresolved: string }>(sql`
        select (select count(*) from invite_joins where guild_id = ${guildId}) as joins,
               (select count(*) from members where guild_id = ${guildId}) as members,
               (select count(*) from invite_joins where guild_id = ${guildId} and method = 'unresolved' and candidates = array['raidcode', 'other']) as unresolved`);
      expect(rows.rows[0]).toEqual({ joins: "300", members: "300", unresolved: "30" });
    });
  });
});
