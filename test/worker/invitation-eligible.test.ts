// A wave's eligibility counted and drawn in Postgres (worker/invitations/eligible.ts),
// held to the pure rules of worker/invitations/policy.ts on one table of members.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { newSeed } from "../../worker/invitations/draw";
import { drawEligible } from "../../worker/invitations/eligible";
import { DAY_MS, isEligible, type MemberFacts, type Policy } from "../../worker/invitations/policy";
import { withDb } from "./support/db";
import { insertMembers, newUserId } from "./support/invitations";

const now = Date.now();
const daysAgo = (d: number) => now - d * DAY_MS;

interface SeedInvitation {
  createdDaysAgo: number;
  spentDaysAgo?: number;
  /** When the member it brought left (spent ones only); undefined: still here. */
  inviteeLeftDaysAgo?: number;
  expiresDaysAgo?: number;
  revoked?: boolean;
}
interface Case {
  joinedDaysAgo?: number;
  leftDaysAgo?: number;
  bot?: boolean;
  invitations?: SeedInvitation[];
}

const cases: Record<string, Case> = {
  "no invitations": {},
  "holding a live one": { invitations: [{ createdDaysAgo: 5 }] },
  "holding one that never expires": { invitations: [{ createdDaysAgo: 500 }] },
  "their only one spent a day ago": { invitations: [{ createdDaysAgo: 3, spentDaysAgo: 1 }] },
  "a bot": { bot: true },
  "gone": { leftDaysAgo: 1 },
  "joined 31 days ago": { joinedDaysAgo: 31 },
  "joined 29 days ago": { joinedDaysAgo: 29 },
  "given one that expired": { invitations: [{ createdDaysAgo: 20, expiresDaysAgo: 6 }] },
  "given one that was revoked": { invitations: [{ createdDaysAgo: 20, revoked: true }] },
  "last spent 8 days ago": { invitations: [{ createdDaysAgo: 9, spentDaysAgo: 8 }] },
  "last spent 6 days ago": { invitations: [{ createdDaysAgo: 9, spentDaysAgo: 6 }] },
  "spent long ago, the latest revoked": { invitations: [{ createdDaysAgo: 60, spentDaysAgo: 50 }, { createdDaysAgo: 10, revoked: true }] },
  "spent twice, the latest recently": { invitations: [{ createdDaysAgo: 60, spentDaysAgo: 50 }, { createdDaysAgo: 4, spentDaysAgo: 2 }] },
  "invitee stayed": { invitations: [{ createdDaysAgo: 25, spentDaysAgo: 20 }] },
  "invitee stayed, holding a live one": { invitations: [{ createdDaysAgo: 25, spentDaysAgo: 20 }, { createdDaysAgo: 2 }] },
  "invitee left after min_days": { invitations: [{ createdDaysAgo: 45, spentDaysAgo: 40, inviteeLeftDaysAgo: 10 }] },
  "invitee left before min_days": { invitations: [{ createdDaysAgo: 45, spentDaysAgo: 40, inviteeLeftDaysAgo: 30 }] },
  "invitee too recent to judge": { invitations: [{ createdDaysAgo: 5, spentDaysAgo: 3 }] },
  "one invitee stayed, one churned": {
    invitations: [
      { createdDaysAgo: 45, spentDaysAgo: 40 },
      { createdDaysAgo: 44, spentDaysAgo: 40, inviteeLeftDaysAgo: 39 },
    ],
  },
  "gone, though their invitee stayed": { leftDaysAgo: 2, invitations: [{ createdDaysAgo: 45, spentDaysAgo: 40 }] },
};

const policies: Policy[] = [
  { name: "unspent", minDays: 0 },
  { name: "never", minDays: 0 },
  { name: "never", minDays: 30 },
  { name: "spent_since", minDays: 0 },
  { name: "spent_since", minDays: 7 },
  { name: "rewarded", minDays: 0 },
  { name: "rewarded", minDays: 14 },
];

interface MemberRow {
  userId: string;
  joinedAt: Date;
  leftAt: Date | null;
  bot: boolean;
}
interface InvitationRow {
  inviterId: string;
  invitedId: string | null;
  createdAt: number;
  spentAt: number | null;
  expiresAt: number | null;
  revoked: boolean;
}

/** The table as rows: each case's member, the members their invitations brought, and the invitations. */
function rowsOf(table: Record<string, Case>) {
  const members: MemberRow[] = [];
  const invitations: InvitationRow[] = [];
  const names = new Map<string, string>();
  for (const [name, c] of Object.entries(table)) {
    const userId = newUserId();
    names.set(userId, name);
    const at = (d: number | undefined) => (d === undefined ? null : new Date(daysAgo(d)));
    members.push({ userId, joinedAt: new Date(daysAgo(c.joinedDaysAgo ?? 100)), leftAt: at(c.leftDaysAgo), bot: c.bot ?? false });
    for (const inv of c.invitations ?? []) {
      const invitedId = inv.spentDaysAgo === undefined ? null : newUserId();
      if (invitedId !== null) {
        names.set(invitedId, `invitee of ${name}`);
        members.push({ userId: invitedId, joinedAt: new Date(daysAgo(inv.spentDaysAgo!)), leftAt: at(inv.inviteeLeftDaysAgo), bot: false });
      }
      invitations.push({
        inviterId: userId,
        invitedId,
        createdAt: daysAgo(inv.createdDaysAgo),
        spentAt: inv.spentDaysAgo === undefined ? null : daysAgo(inv.spentDaysAgo),
        expiresAt: inv.expiresDaysAgo === undefined ? null : daysAgo(inv.expiresDaysAgo),
        revoked: inv.revoked ?? false,
      });
    }
  }
  return { members, invitations, names };
}

/** What the pure rules know of a member, read off the same rows as Postgres has them. */
function factsOf(member: MemberRow, rows: ReturnType<typeof rowsOf>): MemberFacts {
  const theirs = rows.invitations.filter((i) => i.inviterId === member.userId);
  const latest = [...theirs].sort((a, b) => b.createdAt - a.createdAt)[0];
  const leftAt = (id: string) => rows.members.find((m) => m.userId === id)?.leftAt?.getTime() ?? null;
  return {
    userId: member.userId,
    joinedAt: member.joinedAt.getTime(),
    leftAt: member.leftAt?.getTime() ?? null,
    bot: member.bot,
    liveInvitations: theirs.filter((i) => i.spentAt === null && !i.revoked && (i.expiresAt === null || i.expiresAt > now)).length,
    invitationsEver: theirs.length,
    lastSpentAt: latest?.spentAt ?? null,
    invitees: theirs.filter((i) => i.spentAt !== null).map((i) => ({ joinedAt: i.spentAt!, leftAt: leftAt(i.invitedId!) })),
  };
}

async function seedGuild(table: Record<string, Case>) {
  const guildId = newUserId();
  const rows = rowsOf(table);
  await insertMembers(guildId, rows.members);
  const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  await withDb((db) =>
    db.execute(sql`
      insert into invitations (guild_id, code, inviter_id, invited_id, created_at, spent_at, expires_at, revoked_at)
      select ${guildId}, md5(random()::text), x->>'inviterId', x->>'invitedId', (x->>'createdAt')::timestamptz,
             (x->>'spentAt')::timestamptz, (x->>'expiresAt')::timestamptz, case when (x->>'revoked')::boolean then now() end
        from jsonb_array_elements(${JSON.stringify(rows.invitations.map((i) => ({ ...i, createdAt: ts(i.createdAt), spentAt: ts(i.spentAt), expiresAt: ts(i.expiresAt) })))}::jsonb) x`),
  );
  return { guildId, rows };
}

describe("a wave's eligibility in Postgres", () => {
  let seeded: Awaited<ReturnType<typeof seedGuild>>;
  beforeAll(async () => {
    seeded = await seedGuild(cases);
  });

  it.each(policies.map((policy) => [`${policy.name} ${policy.minDays}`, policy] as const))(
    "%s: counts and draws exactly the members the pure rules allow",
    async (_, policy) => {
      const { guildId, rows } = seeded;
      const expected = rows.members.filter((m) => isEligible(factsOf(m, rows), policy, now)).map((m) => rows.names.get(m.userId));
      const drawn = await withDb((db) => drawEligible(db, guildId, policy, new Date(now), 1000, newSeed()));
      expect(drawn.eligible).toBe(expected.length);
      expect(drawn.recipients.map((id) => rows.names.get(id)).sort()).toEqual([...expected].sort());
    },
  );

  it("plans a draw for one process (parallel workers would each rebuild its hash tables)", async () => {
    const workers = await withDb((db) =>
      db.transaction(async (tx) => {
        await drawEligible(tx, seeded.guildId, { name: "rewarded", minDays: 14 }, new Date(now), 3, newSeed());
        // SET LOCAL outlives the draw's savepoint: what the draw was planned under still holds here.
        return (await tx.execute<{ workers: string }>(sql`select current_setting('max_parallel_workers_per_gather') as workers`)).rows[0]!.workers;
      }),
    );
    expect(workers).toBe("0");
  });

  it("draws the same members for the same seed, other members for another, each about equally often", async () => {
    const table = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`member ${i}`, {}]));
    const { guildId } = await seedGuild(table);
    const draw = (seed: string, count = 3) => withDb((db) => drawEligible(db, guildId, { name: "unspent", minDays: 0 }, new Date(now), count, seed));
    const seed = newSeed();
    const first = await draw(seed);
    expect(first.eligible).toBe(10);
    expect(first.recipients).toHaveLength(3);
    expect(new Set(first.recipients).size).toBe(3);
    expect(await draw(seed)).toEqual(first);
    expect((await draw(seed, 50)).recipients).toHaveLength(10);
    expect((await draw(seed, 0)).recipients).toEqual([]);

    const counts = new Map<string, number>();
    const runs = 200;
    await withDb(async (db) => {
      for (let r = 0; r < runs; r++) {
        for (const id of (await drawEligible(db, guildId, { name: "unspent", minDays: 0 }, new Date(now), 3, newSeed())).recipients) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
    });
    expect(counts.size).toBe(10);
    const expected = (runs * 3) / 10;
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chi = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it("refuses a malformed seed", async () => {
    await expect(withDb((db) => drawEligible(db, "1", { name: "unspent", minDays: 0 }, new Date(now), 1, "xyz"))).rejects.toThrow(RangeError);
  });
});
