import { describe, expect, it } from "vitest";
import {
  addFetch,
  addGap,
  addInviteEvents,
  addJoin,
  decide,
  emptyTimeline,
  type AttributionOptions,
  type FreshInvite,
  type Timeline,
  type Verdict,
} from "../../worker/attribution";

// A small script language for one guild: joins (Discord's stamp, our receipt),
// fetches (when sent, when answered, what they showed), then verdicts at a time.
const T0 = 1_700_000_000_000;
const LONG_AGO = T0 - 86_400_000;
const invite = (code: string, uses: number, extra: Partial<FreshInvite> = {}): FreshInvite => ({
  code,
  uses,
  maxUses: 0,
  maxAge: 0,
  createdAt: LONG_AGO,
  expiresAt: null,
  ...extra,
});

type Step =
  | { join: string; at: number; received?: number }
  | { fetch: Record<string, number | FreshInvite>; at: number; took?: number; vanity?: number }
  | { gap: number }
  | { created: FreshInvite; at: number }
  | { deleted: string; at: number };

const OPTS: Partial<AttributionOptions> = { clockSkewMs: 250, deliveryWaitMs: 2_000, settleWaitMs: 15_000 };

function play(steps: Step[], vanityCode: string | null = null): Timeline {
  let tl = emptyTimeline();
  for (const step of steps) {
    if ("join" in step) {
      tl = addJoin(tl, { eventId: step.join, userId: step.join, joinedAt: T0 + step.at, receivedAt: T0 + (step.received ?? step.at + 300) });
    } else if ("fetch" in step) {
      const took = step.took ?? 100;
      const invites = Object.entries(step.fetch).map(([code, v]) => (typeof v === "number" ? invite(code, v) : v));
      tl = addFetch(
        tl,
        {
          invites,
          startedAt: T0 + step.at,
          answeredAt: T0 + step.at + took,
          ...(vanityCode !== null ? { vanity: { value: { code: vanityCode, uses: step.vanity ?? 0 }, startedAt: T0 + step.at + took, answeredAt: T0 + step.at + 2 * took } } : {}),
        },
        OPTS,
      );
    } else if ("gap" in step) {
      tl = addGap(tl, T0 + step.gap);
    } else if ("created" in step) {
      tl = addInviteEvents(tl, [{ type: "INVITE_CREATE", at: T0 + step.at, invite: step.created }]);
    } else {
      tl = addInviteEvents(tl, [{ type: "INVITE_DELETE", at: T0 + step.at, code: step.deleted }]);
    }
  }
  return tl;
}

const show = (v: Verdict | undefined) =>
  v === undefined ? "waiting" : v.kind === "unresolved" ? `unresolved[${v.candidates.join(",")}]${v.gap ? "(gap)" : ""}` : `${v.kind}:${v.code}`;

/** Verdicts per join after deciding at `at` (and, as the Durable Object does, at every wake-up before it). */
function verdictsAt(tl: Timeline, at: number): Record<string, string> {
  let now = Math.min(...tl.joins.map((j) => j.receivedAt));
  for (;;) {
    const d = decide(tl, Math.min(now, T0 + at), OPTS);
    tl = d.timeline;
    if (d.wakeAt === null || d.wakeAt > T0 + at || now >= T0 + at) break;
    now = Math.max(now + 1, d.wakeAt);
  }
  return Object.fromEntries(tl.joins.map((j) => [j.eventId, show(j.emitted)]));
}

const base = { fetch: { A: 10, B: 4 }, at: -60_000 };

describe("attribution on snapshots and order", () => {
  it.each<[string, Step[], number, Record<string, string>]>([
    ["a lone join, one code rose", [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }], 10_000, { u1: "diff:A" }],
    [
      "a lone join right after an attributed one",
      [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }, { join: "u2", at: 1_500 }, { fetch: { A: 11, B: 5 }, at: 1_900 }],
      10_000,
      { u1: "diff:A", u2: "diff:B" },
    ],
    [
      "two joins through two codes between the same snapshots",
      [base, { join: "u1", at: 0 }, { join: "u2", at: 50 }, { fetch: { A: 11, B: 5 }, at: 500 }],
      20_000,
      { u1: "unresolved[A,B]", u2: "unresolved[A,B]" },
    ],
    [
      "a burst of twelve on one code, one fetch",
      [base, ...Array.from({ length: 12 }, (_, i) => ({ join: `u${i}`, at: i * 10 })), { fetch: { A: 22, B: 4 }, at: 600 }],
      10_000,
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`u${i}`, "diff:A"])),
    ],
    [
      "a Discovery join next to an invite join never takes its code",
      [base, { join: "u1", at: 0 }, { join: "disc", at: 100 }, { fetch: { A: 11, B: 4 }, at: 600 }],
      20_000,
      { u1: "unresolved[A]", disc: "unresolved[A]" },
    ],
    ["a Discovery join alone", [base, { join: "disc", at: 0 }, { fetch: { A: 10, B: 4 }, at: 400 }], 10_000, { disc: "unresolved[]" }],
    [
      "a consumed single-use invite",
      [
        { fetch: { A: 10, S: invite("S", 0, { maxUses: 1 }) }, at: -60_000 },
        { join: "u1", at: 0 },
        { deleted: "S", at: 200 },
        { fetch: { A: 10 }, at: 400 },
      ],
      10_000,
      { u1: "diff:S" },
    ],
    [
      "an invite made in Discord's UI, then used",
      [
        base,
        { created: invite("UI", 0, { createdAt: T0 - 5_000 }), at: -5_000 },
        { join: "u1", at: 0 },
        { fetch: { A: 10, B: 4, UI: invite("UI", 1, { createdAt: T0 - 5_000 }) }, at: 400 },
      ],
      10_000,
      { u1: "diff:UI" },
    ],
    [
      "an undecided pair is written once a later join closed their snapshot, not after the settle wait",
      [base, { join: "u1", at: 0 }, { join: "disc", at: 100 }, { fetch: { A: 11, B: 4 }, at: 600 }, { join: "u3", at: 1_000 }],
      1_400,
      { u1: "unresolved[A]", disc: "unresolved[A]", u3: "waiting" },
    ],
    [
      "a pair crowding one increment is written once the delivery wait closed their snapshot: a late join only adds to the crowd",
      [base, { join: "u1", at: 0 }, { join: "disc", at: 100 }, { fetch: { A: 11, B: 4 }, at: 600 }],
      5_000,
      { u1: "unresolved[A]", disc: "unresolved[A]" },
    ],
    [
      "a crowd through a marked invite waits out the settle wait: a member's mark may still come in an update",
      [
        { fetch: { A: invite("A", 10, { roles: ["mark"] }), B: 4 }, at: -60_000 },
        { join: "u1", at: 0 },
        { join: "disc", at: 100 },
        { fetch: { A: invite("A", 11, { roles: ["mark"] }), B: 4 }, at: 600 },
      ],
      5_000,
      { u1: "waiting", disc: "waiting" },
    ],
    [
      "a pair through two codes, closed by the delivery wait alone, waits out the settle wait: a late join would change what can be said of them",
      [base, { join: "u1", at: 0 }, { join: "u2", at: 50 }, { fetch: { A: 11, B: 5 }, at: 500 }],
      5_000,
      { u1: "waiting", u2: "waiting" },
    ],
    [
      "a join whose snapshot may still hold a join in flight waits",
      [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }],
      1_000,
      { u1: "waiting" },
    ],
    [
      "a later join closes the interval at once",
      [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }, { join: "u2", at: 1_200 }],
      1_600,
      { u1: "diff:A", u2: "waiting" },
    ],
    [
      "counts place a join stamped during a fetch",
      // u2 joined while the first fetch was in flight: the second interval's B needs it.
      [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400, took: 200 }, { join: "u2", at: 450 }, { fetch: { A: 11, B: 5 }, at: 1_000 }],
      10_000,
      { u1: "diff:A", u2: "diff:B" },
    ],
    [
      "a join stamped during a fetch, and a code that did not rise, stay unknown",
      [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400, took: 200 }, { join: "u2", at: 450 }, { fetch: { A: 11, B: 4 }, at: 1_000 }],
      20_000,
      { u1: "unresolved[A]", u2: "unresolved[A]" },
    ],
    [
      "a new session after lost events decides nothing its gap may hold",
      [base, { join: "u1", at: 0 }, { gap: 3_000 }, { fetch: { A: 12, B: 4 }, at: 3_600 }, { join: "u3", at: 5_000 }, { fetch: { A: 12, B: 5 }, at: 5_400 }],
      20_000,
      { u1: "unresolved[A](gap)", u3: "diff:B" },
    ],
  ])("%s", (_, steps, at, expected) => {
    expect(verdictsAt(play(steps), at)).toEqual(expected);
  });

  it.each<[string, Step[], Record<string, string>]>([
    ["a vanity join alone", [base, { join: "u1", at: 0 }, { fetch: { A: 10, B: 4 }, at: 400, vanity: 1 }], { u1: "vanity:sim" }],
    ["an invite join beside the vanity count", [base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400, vanity: 0 }], { u1: "diff:A" }],
    [
      "an invite join and a vanity join together",
      [base, { join: "u1", at: 0 }, { join: "u2", at: 80 }, { fetch: { A: 11, B: 4 }, at: 400, vanity: 1 }],
      { u1: "unresolved[A,sim]", u2: "unresolved[A,sim]" },
    ],
  ])("with a vanity URL: %s", (_, steps, expected) => {
    expect(verdictsAt(play(steps, "sim"), 20_000)).toEqual(expected);
  });

  it("a join replayed late revises a verdict it makes unprovable, and takes no one's increment", () => {
    // u1 is attributed alone; then u2, stamped in the same interval, arrives 30 s late.
    let tl = play([base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }]);
    const first = decide(tl, T0 + 5_000, OPTS);
    expect(first.verdicts.map((v) => show(v.verdict))).toEqual(["diff:A"]);
    tl = addJoin(first.timeline, { eventId: "u2", userId: "u2", joinedAt: T0 + 100, receivedAt: T0 + 30_100 });
    tl = addFetch(tl, { invites: [invite("A", 11), invite("B", 4)], startedAt: T0 + 30_200, answeredAt: T0 + 30_300 }, OPTS);
    const second = decide(tl, T0 + 60_000, OPTS);
    expect(Object.fromEntries(second.verdicts.map((v) => [v.join.eventId, show(v.verdict)]))).toEqual({ u1: "unresolved[A]", u2: "unresolved[A]" });
  });

  it("a join replayed late into its own interval takes the increment waiting for it", () => {
    // u1 through A; u2 through B 2 s later, delivered 30 s late; a reconcile saw B rise meanwhile.
    const tl = play([
      base,
      { join: "u1", at: 0 },
      { fetch: { A: 11, B: 4 }, at: 400 },
      { fetch: { A: 11, B: 5 }, at: 10_000 },
      { join: "u2", at: 2_000, received: 32_000 },
      { fetch: { A: 11, B: 5 }, at: 32_100 },
    ]);
    expect(verdictsAt(tl, 60_000)).toEqual({ u1: "diff:A", u2: "diff:B" });
  });

  it("asks for a fetch after a join arrives, and none once a snapshot holds it", () => {
    const tl = play([base, { join: "u1", at: 0 }]);
    expect(decide(tl, T0 + 300, { ...OPTS, coalesceMs: 250 }).fetchAt).toBe(T0 + 300 + 250);
    expect(decide(play([base, { join: "u1", at: 0 }, { fetch: { A: 11, B: 4 }, at: 400 }]), T0 + 600, OPTS).fetchAt).toBeNull();
  });

  it("keeps looking when the counts have no world: a join heard of before a fetch that Discord stamped after it", () => {
    // Clocks further apart than clockSkewMs (a loaded host): the solver can tell nothing, and asks for no fetch itself.
    const tl = play([base, { join: "skewed", at: 2_000, received: 300 }, { fetch: { A: 11, B: 4 }, at: 400 }, { join: "next", at: 3_000, received: 3_100 }]);
    const d = decide(tl, T0 + 3_200, OPTS);
    expect(d.inconsistent).toBe(true);
    // The join the last fetch cannot hold is due its look (no count lag or coalescing in OPTS).
    expect(d.fetchAt).toBe(T0 + 3_100);
  });

  it("groups joins whose interval is pinned and holds exactly their increments", () => {
    const tl = play([base, { join: "u0", at: -2_000 }, { fetch: { A: 10, B: 4 }, at: -1_500 }, { join: "u1", at: 0 }, { join: "u2", at: 50 }, { fetch: { A: 11, B: 5 }, at: 500 }, { join: "u3", at: 5_000 }]);
    const d = decide(tl, T0 + 20_000, OPTS);
    expect(d.groups).toEqual([{ groupId: "grp:u1", members: ["u1", "u2"], candidates: ["A", "B"], eliminable: true }]);
  });
});
