import { describe, expect, it } from "vitest";
import { addFetch, addJoin, decide, emptyTimeline, type FreshInvite, type Timeline } from "../../worker/attribution";
import { EMPTY_JOIN_FLOW, expect as expectJoin, forget, fulfil, useNonce } from "../../worker/join-flow/expectations";
import { joinFlowHealthLines } from "../../worker/join-flow/health";
import { addOutcome, outcomeStatus, readCallback, type AddAnswer, type JoinOutcome } from "../../worker/join-flow/outcome";
import { newNonce, signState, verifyState, type StateClaims } from "../../worker/join-flow/state";
import { english } from "../../worker/i18n/messages";

const GUILD = "123456789012345678";

describe("Join with Discord: outcomes", () => {
  // Every outcome of the issue, with its answer: never a 500.
  it.each<[JoinOutcome, number]>([
    [{ kind: "joined", guildId: GUILD }, 303],
    [{ kind: "already_member", guildId: GUILD }, 200],
    [{ kind: "declined", invitationCode: "abc" }, 200],
    [{ kind: "bad_state", reason: "malformed" }, 400],
    [{ kind: "bad_state", reason: "forged" }, 400],
    [{ kind: "bad_state", reason: "expired" }, 400],
    [{ kind: "bad_state", reason: "replayed" }, 400],
    [{ kind: "bad_state", reason: "not_this_browser" }, 400],
    [{ kind: "sign_in_failed" }, 400],
    [{ kind: "invitation_gone", status: "spent" }, 410],
    [{ kind: "invitation_gone", status: "revoked" }, 410],
    [{ kind: "invitation_gone", status: "expired" }, 410],
    [{ kind: "missing_permission" }, 403],
    [{ kind: "banned" }, 403],
    [{ kind: "too_many_servers" }, 409],
    [{ kind: "unavailable", cause: "rate_limited" }, 503],
    [{ kind: "unavailable", cause: "discord" }, 503],
    [{ kind: "unavailable", cause: "database" }, 503],
  ])("%j answers %i", (outcome, status) => {
    expect(outcomeStatus(outcome)).toBe(status);
  });

  it.each<[AddAnswer, JoinOutcome["kind"]]>([
    [{ ok: true, created: true }, "joined"],
    [{ ok: true, created: false }, "already_member"],
    [{ ok: false, kind: "discord", status: 403, code: 50013 }, "missing_permission"],
    [{ ok: false, kind: "discord", status: 403, code: 40007 }, "banned"],
    [{ ok: false, kind: "discord", status: 400, code: 30001 }, "too_many_servers"],
    [{ ok: false, kind: "discord", status: 403, code: 50025 }, "sign_in_failed"],
    [{ ok: false, kind: "discord", status: 400, code: 50035 }, "unavailable"],
    [{ ok: false, kind: "discord_unavailable", reason: "rate_limited" }, "unavailable"],
    [{ ok: false, kind: "discord_unavailable", reason: "server_error" }, "unavailable"],
    [{ ok: false, kind: "discord_unavailable", reason: "network" }, "unavailable"],
  ])("Discord's answer %j to the add is %s", (answer, kind) => {
    expect(addOutcome(GUILD, answer).kind).toBe(kind);
  });

  it("tells a 429 given up on from an outage", () => {
    expect(addOutcome(GUILD, { ok: false, kind: "discord_unavailable", reason: "rate_limited" })).toEqual({ kind: "unavailable", cause: "rate_limited" });
  });

  it.each<[Record<string, string>, string]>([
    [{ code: "abc", state: "s" }, "authorized"],
    [{ error: "access_denied", state: "s" }, "declined"],
    [{ error: "server_error", state: "s" }, "malformed"],
    [{ code: "abc" }, "malformed"],
    [{ state: "s" }, "malformed"],
    [{ code: "a b", state: "s" }, "malformed"],
    [{ code: "abc", state: "s".repeat(513) }, "malformed"],
  ])("the callback's query %j is %s", (query, kind) => {
    expect(readCallback(query).kind).toBe(kind);
  });
});

describe("Join with Discord: the state", () => {
  const NOW = 1_800_000_000;
  const claims = (): StateClaims => ({ purpose: "invitation", guildId: GUILD, invitationId: 42, nonce: newNonce(), expiresAt: NOW + 600 });

  it("is accepted back from the browser that holds its nonce", async () => {
    const c = claims();
    expect(await verifyState("secret", await signState("secret", c), c.nonce, NOW)).toEqual({ ok: true, claims: c });
  });

  it.each<[string, (state: string, c: StateClaims) => [string, string | undefined, number], string]>([
    ["another invitation written in", (s) => [s.replace(".42.", ".43."), undefined, NOW], "forged"],
    ["a later expiry written in", (s, c) => [s.replace(`.${c.expiresAt}.`, `.${c.expiresAt + 1}.`), c.nonce, NOW], "forged"],
    ["a flipped MAC", (s, c) => [s.slice(0, -1) + (s.endsWith("A") ? "B" : "A"), c.nonce, NOW], "forged"],
    ["garbage", (_s, c) => ["invitation.1.2.3", c.nonce, NOW], "malformed"],
    ["ten minutes later", (s, c) => [s, c.nonce, NOW + 600], "expired"],
    ["a clock far behind", (s, c) => [s, c.nonce, NOW - 3600], "too_far_ahead"],
    ["another browser (no cookie)", (s) => [s, undefined, NOW], "not_this_browser"],
    ["another browser's cookie", (s) => [s, newNonce(), NOW], "not_this_browser"],
  ])("is refused with %s", async (_what, alter, reason) => {
    const c = claims();
    const [state, cookie, now] = alter(await signState("secret", c), c);
    expect(await verifyState("secret", state, cookie, now)).toEqual({ ok: false, reason });
  });

  it("made with another secret is forged", async () => {
    const c = claims();
    expect(await verifyState("secret", await signState("other", c), c.nonce, NOW)).toEqual({ ok: false, reason: "forged" });
  });
});

describe("Join with Discord: the object's memory", () => {
  const T = 1_800_000_000_000;
  it("uses a nonce once", () => {
    const first = useNonce(EMPTY_JOIN_FLOW, "n", T + 1000, T);
    expect(first.fresh).toBe(true);
    expect(useNonce(first.memory, "n", T + 1000, T + 10).fresh).toBe(false);
    // Past the state's expiry the nonce is forgotten: the state itself is refused as expired then.
    expect(Object.keys(useNonce(first.memory, "m", T + 5000, T + 2000).memory.usedNonces)).toEqual(["m"]);
  });

  it.each<[string, (m: typeof EMPTY_JOIN_FLOW) => typeof EMPTY_JOIN_FLOW, number, number | null]>([
    ["arrives", (m) => m, T + 10, 7],
    ["arrives after its expiry", (m) => m, T + 60_001, null],
    ["arrives after the add failed", (m) => forget(m, "u1", T + 5), T + 10, null],
    ["another user arrives", (m) => m, T + 10, null],
  ])("an expectation whose join %s", (what, change, at, invitationId) => {
    const expected = change(expectJoin(EMPTY_JOIN_FLOW, { userId: "u1", invitationId: 7, expiresAt: T + 60_000 }, T));
    const arriving = what.startsWith("another") ? "u2" : "u1";
    const got = fulfil(expected, arriving, at);
    expect(got.expectation?.invitationId ?? null).toBe(invitationId);
    // Taken once: the same member's next join is not the bot's.
    expect(fulfil(got.memory, arriving, at).expectation).toBeNull();
  });
});

describe("Join with Discord: the attribution of the joins around it", () => {
  const T0 = 1_700_000_000_000;
  const invite = (code: string, uses: number): FreshInvite => ({ code, uses, maxUses: 0, maxAge: 0, createdAt: T0 - 86_400_000, expiresAt: null });
  const fetchAt = (tl: Timeline, at: number, uses: Record<string, number>) =>
    addFetch(tl, { invites: Object.entries(uses).map(([code, n]) => invite(code, n)), startedAt: T0 + at, answeredAt: T0 + at + 100 });

  // Two joins between two snapshots and one use counted: either could own it, unless one is the bot's own add.
  it.each([
    [false, { kind: "unresolved", candidates: ["a"], groupId: null }],
    [true, { kind: "diff", code: "a" }],
  ])("the bot knows its own join: %s", (known, verdict) => {
    let tl = fetchAt(emptyTimeline(), 0, { a: 0 });
    tl = addJoin(tl, { eventId: "friend", userId: "friend", joinedAt: T0 + 1000, receivedAt: T0 + 1300, ...(known ? { movedNothing: true, pinned: true } : {}) });
    tl = addJoin(tl, { eventId: "other", userId: "other", joinedAt: T0 + 1000, receivedAt: T0 + 1300 });
    tl = fetchAt(tl, 2000, { a: 1 });
    const decision = decide(tl, T0 + 20_000, { settleWaitMs: 5_000 });
    const byId = new Map(decision.verdicts.map((v) => [v.join.eventId, v.verdict]));
    expect(byId.get("other")).toEqual(verdict);
    // The bot's own join gets no verdict from the diff: its row is written by the object, method oauth.
    expect(byId.has("friend")).toBe(!known);
    // ...and is dropped once frozen, like a decided join.
    if (known) expect(decide(decision.timeline, T0 + 400_000, { settleWaitMs: 5_000 }).timeline.joins.map((j) => j.eventId)).not.toContain("friend");
  });
});

describe("Join with Discord: /invite health", () => {
  const NOW = 1_800_000_000_000;
  it.each([
    [null, 0],
    [NOW - 3_600_000, 1],
    [NOW - 8 * 86_400_000, 0],
  ])("a refusal for want of Create Invite at %s gives %i line", (at, lines) => {
    const got = joinFlowHealthLines(at, NOW, english());
    expect(got).toHaveLength(lines);
    if (lines) expect(got[0]).toMatchObject({ level: "bad", topic: "Join with Discord", text: expect.stringContaining("Create Invite") });
  });
});
