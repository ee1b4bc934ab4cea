import { DurableObject } from "cloudflare:workers";
import { addFetch, decide, DEFAULT_OPTIONS, type CachedInvite, type Decision, type Timeline, type Verdict } from "../attribution";
import { openDb } from "../db";
import { fetchLedgerRows } from "../counted-uses";
import { isolateEdgeGate } from "../discord/edge";
import { DiscordRest } from "../discord/rest";
import { afterOutboxWrites, postJoinLogSummary } from "../inviters/effects";
import { announceSpentInvitations } from "../invitations/announce";
import { expect, forget, fulfil, useNonce, type Expectation } from "../join-flow/expectations";
import { logError, logInfo } from "../log";
import { markedCodes } from "../marks";
import { RaidStore, updateEveryMs, type VerdictOfJoin } from "../raids/store";
import type { SearchTry } from "../health/report";
import type { GuildEvent } from "../relay/event";
import { exactCode, lookupJoinSources } from "./exact-lookup";
import { fetchGuildFeatures, fetchInvites } from "./fetch-invites";
import { writeGroups, writeJoinRows } from "./join-rows";
import { classifyWriteError, type OutboxItem } from "./outbox";
import { DAY_MS, GuildStorage, SEEN_TTL_MS, type GuildState, type JoinMeta } from "./storage";
import { applyMemberUpdate } from "./member-update";
import { writeOutboxItem } from "./writer";
import { discordRoles } from "../discord/roles";
import { afterRemoval, MARK_REMOVAL_GAP_MS, removalsAfter, type RemoveMarkItem } from "../marks/removal";

const OUTBOX_BATCH = 200;
/** When the join log's raid summary is due (join-log/summary.ts), kept apart from the guild's state. */
const SUMMARY_DUE_KEY = "joinLogSummaryDueAt";
const backoffMs = (failures: number) => Math.min(60_000, 500 * 2 ** Math.min(failures, 7));
/** A member search Discord could not answer (429 without retry_after, 5xx) is tried again after this. */
const LOOKUP_RETRY_MS = 5_000;
/**
 * How long one alarm keeps refetching back to back before it hands over to the
 * next alarm: member searches wait for the end of a span, and an alarm's wall time is limited.
 */
const LOOK_SPAN_MS = 10_000;
/** How often the alarm looks whether the outbox drained (or has rows to flush) while it judges. */
const OUTBOX_POLL_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface GuildStatus {
  /** Joins delivered that have no verdict written yet. */
  pendingJoins: number;
  outboxDepth: number;
  /** Outbox items Postgres refused for good (a data or constraint error), set aside so later rows flow. */
  deadLetters: number;
  cachedInvites: number;
  /** When the invite list was last fetched (sent); null before the first fetch. */
  cachedAt: number | null;
  /** When the relay last delivered an event (within the last week); null if it did not. */
  lastEventAt: number | null;
  snapshots: number;
  failures: number;
  retryAt: number | null;
  /** 429s the object's own refetches and member searches met in the last day. */
  rateLimitHits: number;
  /** How the object's own last member search went; null before the first. */
  lastSearch: SearchTry | null;
  /** When Discord last refused a "Join with Discord" add for want of Create Invite; null if it did not. */
  joinFlowMissingPermissionAt: number | null;
  /** Discord's edge refusing the bot, as this object's isolate met it in the last day (worker/discord/edge.ts). */
  edge: { refusals: number; blockedUntil: number | null };
}

/**
 * One per guild: the only writer of the guild's invite cache. It stores each
 * gateway event before acknowledging it, judges joins on the attribution timeline
 * with one refetch per burst, and keeps the rows Postgres has not committed in an
 * outbox.
 */
export class GuildInvites extends DurableObject<Env> {
  private store: GuildStorage;
  /** Mark removals are paced: none before this. */
  private nextRemovalAt = 0;
  /** When the flush left a mark removal for later: the alarm wakes for it. */
  private removalWakeAt: number | null = null;
  private raids: RaidStore;
  /** A refetch loop waiting for the next event (see judgeJoins). */
  private listeners: Array<() => void> = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new GuildStorage(ctx.storage.sql);
    this.raids = new RaidStore(ctx.storage.sql, updateEveryMs(env.RAID_UPDATE_S));
  }

  /**
   * Stores relay events durably, in order and in one transaction (returns once they
   * are on disk): all of them or, should one fail, none. A repeated id has no effect,
   * so a batch sent again is a no-op. Returns how many were repeats.
   */
  async acceptBatch(events: GuildEvent[]): Promise<{ duplicates: number }> {
    const now = Date.now();
    const fresh = this.ctx.storage.transactionSync(() =>
      events.filter((event) => {
        if (!this.store.markSeen(event.id, now)) return false;
        this.apply(event, now);
        return true;
      }),
    );
    if (fresh.length > 0) {
      // A refetch loop waiting for events (see judgeJoins) takes these in now.
      for (const listener of this.listeners.splice(0)) listener();
      await this.wakeAt(Math.min(...fresh.map((event) => fetchDueAt(event, now))));
    }
    return { duplicates: events.length - fresh.length };
  }

  /** `/invite settings member_search`: whether unresolved joins are looked up in Discord's member search. */
  async setMemberSearch(guildId: string, enabled: boolean): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.store.updateState({ guildId: this.store.state().guildId ?? guildId, memberSearch: enabled });
      if (!enabled) this.store.dropLookups();
    });
  }

  /** `/invite settings raid_threshold`: joins per minute through one invite (or none) that raise an alert; null: off. */
  async setRaidThreshold(threshold: number | null): Promise<void> {
    this.raids.setThreshold(threshold);
  }

  /** The seam for invitations: a single-use invite minted for one attributes its join to it. */
  async learnInvitation(code: string, invitationId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      const { invitationCodes } = this.store.state();
      this.store.updateState({ invitationCodes: { ...invitationCodes, [code]: invitationId } });
    });
  }

  /** "Join with Discord": uses a state's nonce; false when it was used before (a replayed callback). */
  async useJoinState(nonce: string, expiresAt: number): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => {
      const used = useNonce(this.store.state().joinFlow, nonce, expiresAt, Date.now());
      this.store.updateState({ joinFlow: used.memory });
      return used.fresh;
    });
  }

  /** "Join with Discord": the bot is about to add this user; their join is the bot's (told before Discord is asked). */
  async expectJoin(expectation: Expectation): Promise<void> {
    this.ctx.storage.transactionSync(() => this.store.updateState({ joinFlow: expect(this.store.state().joinFlow, expectation, Date.now()) }));
  }

  /** "Join with Discord": the add did not happen; `missingPermission` when Discord said the bot lacks Create Invite. */
  async addFailed(userId: string, missingPermission: boolean): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      const memory = forget(this.store.state().joinFlow, userId, Date.now());
      this.store.updateState({ joinFlow: missingPermission ? { ...memory, missingPermissionAt: Date.now() } : memory });
    });
  }

  /** "Join with Discord": an add succeeded, so the bot has what Discord requires. */
  async addSucceeded(): Promise<void> {
    this.ctx.storage.transactionSync(() => this.store.updateState({ joinFlow: { ...this.store.state().joinFlow, missingPermissionAt: null } }));
  }

  /**
   * Cron: wakes the object to judge what it holds and flush its outbox (a backstop
   * for a lost alarm), refetching the invites first when reconcile found drift
   * (events the relay missed).
   */
  async reconcile(guildId: string, refetch = true): Promise<void> {
    if (this.store.state().departedAt !== null) return;
    this.ctx.storage.transactionSync(() => {
      const state = this.store.state();
      this.store.updateState({ guildId: state.guildId ?? guildId, needsFetch: state.needsFetch || refetch, reconcileFetch: state.reconcileFetch || refetch });
    });
    await this.wakeAt(Date.now());
  }

  /** Reconcile met Missing Access three times in a row: the bot is gone, whether or not a GUILD_DELETE said so. */
  async depart(guildId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      if (this.store.state().departedAt === null) this.leave(guildId, Date.now(), "missing_access");
    });
    await this.wakeAt(Date.now());
  }

  /** The grace period after the bot left is over: the object keeps nothing (its alarm included). */
  async purge(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // This instance may live on and see the guild again: its tables are made afresh, empty.
    this.store = new GuildStorage(this.ctx.storage.sql);
    this.raids = new RaidStore(this.ctx.storage.sql, updateEveryMs(this.env.RAID_UPDATE_S));
  }

  async status(): Promise<GuildStatus> {
    const state = this.store.state();
    const { timeline } = this.store;
    return {
      pendingJoins: timeline.pendingCount(),
      outboxDepth: this.store.outboxDepth(),
      deadLetters: this.store.deadLetterCount(),
      cachedInvites: timeline.cache().filter((c) => c.deletedAt === null).length,
      cachedAt: timeline.head().cachedAt,
      lastEventAt: this.store.lastEventAt(),
      snapshots: timeline.snapshotCount(),
      failures: state.failures,
      retryAt: state.retryAt,
      rateLimitHits: this.store.rateLimitHitsInLastDay(Date.now()),
      lastSearch: state.lastSearch,
      joinFlowMissingPermissionAt: state.joinFlow.missingPermissionAt,
      edge: isolateEdgeGate.sightings(Date.now() - DAY_MS),
    };
  }

  private apply(event: GuildEvent, now: number) {
    const state = this.store.state();
    const patch: Partial<GuildState> = state.guildId ? {} : { guildId: event.guildId };
    // Each event touches a few rows of the timeline by index, never the whole of it.
    const { timeline } = this.store;
    switch (event.t) {
      case "GUILD_MEMBER_ADD":
        if (event.bot) {
          // Bots are added through OAuth, never an invite: they must not take an invite's increment.
          this.store.enqueue({ ...joinItem(event.guildId, event, { kind: "unresolved", candidates: [], groupId: null }), bot: true });
        } else {
          // A member the bot added itself ("Join with Discord") is exact, and moved no invite.
          const fulfilled = fulfil(state.joinFlow, event.userId, now);
          // Marks are looked up in the invite cache only for a member who has roles.
          const byBot = fulfilled.expectation ? { movedNothing: true as const, pinned: true } : event.roles.length > 0 ? marksOf(event.roles, timeline.cache()) : {};
          timeline.addJoin({ eventId: event.id, userId: event.userId, joinedAt: event.joinedAt, receivedAt: now, ...byBot });
          const meta = { userId: event.userId, joinedAt: event.joinedAt, didRejoin: event.didRejoin, profile: event.profile };
          this.store.addJoinMeta(event.id, meta);
          if (fulfilled.expectation) {
            patch.joinFlow = fulfilled.memory;
            this.store.enqueue(joinItem(event.guildId, meta, { kind: "oauth", invitationId: fulfilled.expectation.invitationId }));
          }
        }
        break;
      case "GUILD_MEMBER_UPDATE":
        // The marks an add lacked; for anyone else (an old member, a frozen join) a role change is nothing.
        timeline.applyMarks(event, now, DEFAULT_OPTIONS.freezeMs);
        applyMemberUpdate(this.store, timeline.latestJoin(event.userId), event);
        break;
      case "GUILD_MEMBER_REMOVE": {
        // A member who leaves before their join's verdict is written: the departure rides with that row.
        const waiting = timeline.waitingJoin(event.userId);
        const meta = waiting && this.store.joinMeta(waiting.eventId);
        if (waiting && meta) this.store.updateJoinMeta(waiting.eventId, { ...meta, leftAt: now });
        else this.store.enqueue({ kind: "member_left", guildId: event.guildId, userId: event.userId, leftAt: now });
        break;
      }
      case "INVITE_CREATE":
        timeline.applyInviteEvent({ type: "INVITE_CREATE", at: now, invite: event.invite });
        this.store.enqueue(inviteItem(event.guildId, { ...event.invite, deletedAt: null }));
        break;
      case "INVITE_DELETE": {
        const known = timeline.cacheEntry(event.code);
        timeline.applyInviteEvent({ type: "INVITE_DELETE", at: now, code: event.code });
        this.store.enqueue(
          inviteItem(event.guildId, { ...(known ?? { code: event.code, uses: 0, maxUses: 0, maxAge: 0, createdAt: now, expiresAt: null }), deletedAt: now }),
        );
        break;
      }
      case "GUILD_CREATE":
        // A new gateway session: the cache may be stale (refetch), and after the first
        // session, join events before this one may have been lost.
        if (state.sessions > 0) timeline.addGap(now);
        if (event.botJoinedAt !== null) this.store.enqueue({ kind: "bot_arrival", guildId: event.guildId, joinedAt: event.botJoinedAt });
        Object.assign(patch, { features: event.features, vanityCode: event.vanityCode, needsFetch: true, sessions: state.sessions + 1 });
        if (event.vanityCode) this.store.enqueue({ kind: "vanity", guildId: event.guildId, code: event.vanityCode });
        // Back within the grace period: the cron's jobs take the guild up again (reconcile catches up).
        if (state.departedAt !== null) {
          this.store.enqueue({ kind: "guild_returned", guildId: event.guildId });
          patch.departedAt = null;
        }
        break;
      case "GUILD_DELETE":
        // An outage (`unavailable`) is not a removal: the guild comes back with a GUILD_CREATE.
        if (!event.unavailable && state.departedAt === null) {
          this.leave(event.guildId, now, "removed");
          return;
        }
        break;
    }
    if (Object.keys(patch).length > 0) this.store.updateState(patch);
  }

  /**
   * The bot left: joins still waiting for a verdict are written unresolved (nothing
   * can be fetched to judge them), the invite cache and pending lookups are dropped,
   * and Postgres hears of the departure through the outbox. Only the outbox's flush
   * wakes the object from now on.
   */
  private leave(guildId: string, now: number, reason: "removed" | "missing_access") {
    for (const join of this.store.timeline.waitingJoins()) {
      const meta = this.store.joinMeta(join.eventId);
      if (meta) this.store.enqueue(joinItem(guildId, meta, { kind: "unresolved", candidates: [], groupId: null, gap: true }));
    }
    this.store.timeline.clear();
    this.store.forgetJoinMeta();
    this.store.dropLookups();
    this.store.updateState({ guildId, departedAt: now, needsFetch: false, retryAt: null, failures: 0 });
    this.store.enqueue({ kind: "guild_left", guildId, leftAt: now, reason });
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const state = this.store.state();
    if (!state.guildId) return;
    const wakes: number[] = [];
    let judged = false;
    let flushFailed = false;
    const judging = (async () => {
      if (state.departedAt !== null) return; // Gone from the guild: nothing to fetch or judge, only the outbox to deliver.
      if (state.retryAt !== null && state.retryAt > now) return void wakes.push(state.retryAt);
      const rest = DiscordRest.fromEnv(this.env, { maxAttempts: 1 });
      const next = await this.judgeJoins(state, rest, () => flushFailed);
      if (rest.rateLimitHits > 0) this.store.noteRateLimitHits(rest.rateLimitHits, Date.now());
      if (next !== null) wakes.push(next);
      const raids = this.ctx.storage.transactionSync(() => this.raids.tick(state.guildId!, Date.now()));
      for (const item of raids.items) this.store.enqueue(item);
      if (raids.wakeAt !== null) wakes.push(raids.wakeAt);
    })().finally(() => (judged = true));
    this.removalWakeAt = null;
    // Side by side: the refetches must not wait behind Postgres, which a raid keeps busy.
    // Rows the judging writes meanwhile are flushed as they come, and once more after it.
    const flushing = async () => {
      for (;;) {
        const last = judged;
        if (!(await this.flush(state.guildId!))) return !(flushFailed = true);
        if (last) return true;
        await Promise.race([judging, sleep(OUTBOX_POLL_MS)]);
      }
    };
    const [, flushed] = await Promise.all([judging, flushing()]);
    if (this.removalWakeAt !== null) wakes.push(this.removalWakeAt);
    const flushFailures = flushed ? 0 : this.store.state().flushFailures + 1;
    this.store.updateState({ flushFailures });
    if (!flushed) wakes.push(Date.now() + backoffMs(flushFailures));
    const summaryDue = await this.joinLogSummary(state.guildId);
    if (summaryDue !== null) wakes.push(summaryDue);
    this.store.forgetSeenBefore(now - SEEN_TTL_MS);
    if (wakes.length > 0) await this.wakeAt(Math.max(Date.now(), Math.min(...wakes)));
  }

  /**
   * Judges the joins, refetching first when a join (or a GUILD_CREATE, a reconcile)
   * asks for it; writes new and revised verdicts. While joins wait for a look, the
   * next fetch is sent as soon as the last one answered: events are taken in while
   * it is out (awaiting a fetch opens the input gate), so a raid gets a snapshot per
   * round trip. While the outbox still holds rows (the alarm cannot end before the
   * flush alongside), it waits for the next event rather than end, so that a join
   * arriving then is looked at now, not after Postgres answered. Returns when to wake next.
   */
  private async judgeJoins(state: GuildState, rest: DiscordRest, flushFailed: () => boolean): Promise<number | null> {
    const guildId = state.guildId!;
    const spanEnd = Date.now() + LOOK_SPAN_MS;
    let decision = this.decideNow(guildId);
    for (;;) {
      if (Date.now() >= spanEnd) return Date.now();
      if (!this.store.state().needsFetch && (decision.fetchAt === null || decision.fetchAt > Date.now())) {
        if (!this.store.hasOutbox() || flushFailed()) break;
        // Or until a verdict's wait ends, as the next alarm would have.
        const waitEnd = Math.min(...[decision.fetchAt, decision.wakeAt].filter((t): t is number => t !== null));
        const heard = await Promise.race([
          new Promise<boolean>((resolve) => this.listeners.push(() => resolve(true))),
          sleep(Math.min(OUTBOX_POLL_MS, waitEnd - Date.now())).then(() => false),
        ]);
        if (heard || Date.now() >= waitEnd) decision = this.decideNow(guildId);
        continue;
      }
      if (state.features === null) {
        const guild = await fetchGuildFeatures(rest, guildId);
        if (!guild.ok) return this.failed(this.store.state(), guild.error);
        state.features = guild.value.features;
        state.vanityCode = guild.value.vanity_url_code;
        this.store.updateState({ features: state.features, vanityCode: state.vanityCode });
        // Queued before the verdicts that may name it: Postgres knows the code before its joins.
        if (state.vanityCode) this.store.enqueue({ kind: "vanity", guildId, code: state.vanityCode });
      }
      const fetched = await fetchInvites(rest, guildId, state.features.includes("VANITY_URL"), Date.now);
      if (!fetched.ok) return this.failed(this.store.state(), fetched.error);
      // Events accepted while the fetch was out are in the stored timeline: build on it.
      decision = this.decideNow(guildId, (before) => {
        const timeline = addFetch(before, fetched);
        for (const changed of changedInvites(before.cache, timeline.cache)) this.store.enqueue(inviteItem(guildId, changed));
        const listed = new Set(fetched.invites.map((i) => i.code));
        const rows = fetchLedgerRows(before, timeline, listed, this.store.state().reconcileFetch);
        if (rows.length > 0) this.store.enqueue({ kind: "counted_uses", guildId, rows });
        this.store.updateState({ needsFetch: false, reconcileFetch: false, retryAt: null, failures: 0 });
        return timeline;
      });
    }
    const lookupRetry = await this.lookUpExactly(rest, guildId);
    const next = [decision.fetchAt, decision.wakeAt, lookupRetry].filter((t): t is number => t !== null);
    return next.length > 0 ? Math.min(...next) : null;
  }

  /**
   * Decides on the stored window (after `record`, a fetch's step, when given) and
   * writes the verdicts and the rows that changed, in one synchronous step.
   */
  private decideNow(guildId: string, record?: (before: Timeline) => Timeline): Decision {
    return this.ctx.storage.transactionSync(() => {
      const before = this.store.timeline.load();
      const decision = decide(record ? record(before) : before, Date.now());
      const { invitationCodes, memberSearch } = this.store.state();
      for (const { join, verdict } of decision.verdicts) {
        const meta = this.store.joinMeta(join.eventId);
        if (meta) this.store.enqueue(joinItem(guildId, meta, verdict, invitationCodes));
      }
      this.alertRaids(guildId, decision.verdicts.map(({ join, verdict }) => ({ eventId: join.eventId, receivedAt: join.receivedAt, verdict })));
      // With member search off (/invite settings) nothing is queued for it.
      const unresolved = memberSearch ? decision.verdicts.filter((v) => v.verdict.kind === "unresolved").map((v) => v.join.eventId) : [];
      this.store.addLookups(unresolved);
      this.store.forgetJoinMeta(this.store.timeline.save(before, decision.timeline));
      if (decision.inconsistent) logInfo("some invite increment has no join to own it: events were lost or are late", { guild: guildId });
      return decision;
    });
  }

  /**
   * Joins written unresolved are looked up in Discord's member search, which names
   * the invite each member used. Where Discord refuses this undocumented endpoint
   * (403), they stay unresolved with their candidates; a 429 or an outage is retried.
   * Returns when to retry, or null.
   */
  private async lookUpExactly(rest: DiscordRest, guildId: string): Promise<number | null> {
    const { memberSearch } = this.store.state();
    const asked = this.store.lookups();
    const waiting = this.store.timeline.joins(asked).filter((j) => !j.pinned);
    // Turned off by the admin: the joins stay unresolved with their candidates.
    if (waiting.length === 0 || !memberSearch) {
      this.store.dropLookups();
      return null;
    }
    const lookup = await lookupJoinSources(rest, guildId, [...new Set(waiting.map((j) => j.userId))]);
    const refused = !lookup.ok && lookup.error.kind === "discord" && lookup.error.status < 500 && lookup.error.status !== 429;
    this.store.updateState({ lastSearch: { answer: lookup.ok ? "answered" : refused ? "refused" : "unavailable", at: Date.now() } });
    if (!lookup.ok) {
      logInfo("exact lookup unavailable; joins stay unresolved", { guild: guildId, error: lookup.error, retry: !refused });
      if (!refused) return Date.now() + (("retryAfterMs" in lookup.error && lookup.error.retryAfterMs) || LOOKUP_RETRY_MS);
    }
    this.ctx.storage.transactionSync(() => {
      const { invitationCodes } = this.store.state();
      const pinned = new Set<string>();
      const exact: VerdictOfJoin[] = [];
      const sources = lookup.ok ? lookup.sources : new Map<string, never>();
      for (const join of waiting) {
        const code = exactCode(sources.get(join.userId), join.joinedAt);
        const meta = this.store.joinMeta(join.eventId);
        if (code === null || !meta) continue;
        this.store.enqueue(joinItem(guildId, meta, { kind: "exact", code }, invitationCodes));
        pinned.add(join.eventId);
        exact.push({ eventId: join.eventId, receivedAt: join.receivedAt, verdict: { kind: "exact", code } });
      }
      this.alertRaids(guildId, exact);
      // Read again: a decision while the search was out may have revised them.
      this.store.timeline.putJoins(this.store.timeline.joins([...pinned]).map((j) => ({ ...j, pinned: true })));
      // Ids added while the search was out stay for the next round (those the timeline dropped go).
      this.store.dropLookups(asked);
    });
    return null;
  }

  /** Verdicts just queued feed the raid detector; its alerts queue behind them, so their rows are written first. */
  private alertRaids(guildId: string, verdicts: VerdictOfJoin[]) {
    for (const item of this.raids.observe(guildId, verdicts, Date.now())) this.store.enqueue(item);
  }

  private failed(state: GuildState, error: { kind: string; retryAfterMs?: number }): number {
    const failures = state.failures + 1;
    const retryAt = Date.now() + (error.retryAfterMs ?? backoffMs(failures));
    logInfo("invite refetch failed; joins stay queued", { guild: state.guildId, error, retryAt });
    this.store.updateState({ failures, retryAt });
    return retryAt;
  }

  /**
   * Writes the outbox to Postgres in order, on one connection; an item leaves only
   * after its commit, or, when Postgres refused it for good, into the dead letters.
   * A run of joins goes in a few multi-row statements (join-rows.ts). A transient
   * failure stops the flush (the alarm retries); a permanent one must not, or a
   * single bad row would hold back every later row of the guild.
   */
  private async flush(guildId: string): Promise<boolean> {
    let batch = this.store.outbox(OUTBOX_BATCH);
    if (batch.length === 0) return true;
    const { db, close } = openDb(this.env);
    // A join through an invite may have spent an invitation: its inviter hears of it now, not at the next cron.
    let joinsThroughInvites = false;
    let summaryDue: number | null = null;
    const written = async (entries: typeof batch) => {
      this.store.dequeue(...entries.map((e) => e.seq));
      const items = entries.map((e) => e.item);
      const due = await afterOutboxWrites(db, this.env, items);
      if (due !== null) summaryDue = due;
      const joins = items.filter((item) => item.kind === "join");
      // After the verdicts are in Postgres: a removal can never touch attribution.
      for (const removal of await removalsAfter(db, joins)) this.store.enqueue(removal);
      if (joins.some((item) => item.inviteCode !== null || item.invitationId !== null)) joinsThroughInvites = true;
    };
    try {
      let after = 0;
      while (batch.length > 0) {
        after = batch[batch.length - 1]!.seq;
        for (const group of writeGroups(batch)) {
          const first = group[0]!;
          if (first.item.kind === "remove_mark") {
            await this.removeMark(first.seq, first.item);
            continue;
          }
          const joins = group.flatMap(({ item }) => (item.kind === "join" && group.length > 1 ? [item] : []));
          if (joins.length > 0) {
            const failure = await attempt(writeJoinRows(db, joins));
            if (failure === null) {
              await written(group);
              continue;
            }
            // A bad row fails its whole statement: written one by one, only that row is dead-lettered.
            if (!failure.verdict.permanent) return this.flushFailed(guildId, failure.error);
          }
          for (const entry of group) {
            const failure = await attempt(writeOutboxItem(db, entry.item));
            if (failure === null) await written([entry]);
            else if (failure.verdict.permanent) {
              this.store.deadLetter(entry.seq, failure.verdict.reason, Date.now());
              logError("outbox item dead-lettered: Postgres refused it for good", failure.error, { guild: guildId, kind: entry.item.kind, reason: failure.verdict.reason });
            } else return this.flushFailed(guildId, failure.error);
          }
        }
        batch = this.store.outbox(OUTBOX_BATCH, after);
      }
      return true;
    } finally {
      // The summary of a raid's last minute has no join to carry it: the alarm posts it.
      if (summaryDue !== null) await this.ctx.storage.put(SUMMARY_DUE_KEY, summaryDue);
      const closed = close().catch(() => undefined);
      this.ctx.waitUntil(joinsThroughInvites ? closed.then(() => this.announceInvitations(guildId)) : closed);
    }
  }

  /**
   * One mark removal, paced (MARK_REMOVAL_GAP_MS apart) and at its time: done, or
   * queued again behind the rest with its next try's time, or given up on.
   */
  private async removeMark(seq: number, item: RemoveMarkItem) {
    const due = Math.max(item.notBefore, this.nextRemovalAt);
    if (due > Date.now()) {
      this.removalWakeAt = Math.min(this.removalWakeAt ?? due, due);
      return;
    }
    this.nextRemovalAt = Date.now() + MARK_REMOVAL_GAP_MS;
    const removed = await discordRoles.remove(DiscordRest.fromEnv(this.env, { maxAttempts: 1 }), item.guildId, item.userId, item.roleId);
    const step = afterRemoval(removed, item.attempts, Date.now());
    this.ctx.storage.transactionSync(() => {
      this.store.dequeue(seq);
      if (step.kind === "retry") this.store.enqueue({ ...item, attempts: item.attempts + 1, notBefore: step.notBefore });
    });
    if (step.kind !== "done") logInfo("could not remove a mark", { guild: item.guildId, user: item.userId, role: item.roleId, step: step.kind, error: removed.ok ? null : removed.error });
  }

  private flushFailed(guildId: string, error: unknown): false {
    logError("outbox flush failed; will retry", error, { guild: guildId, depth: this.store.outboxDepth() });
    return false;
  }

  /** Posts the join log's raid summary once due; returns when the next one is. */
  private async joinLogSummary(guildId: string): Promise<number | null> {
    const due = await this.ctx.storage.get<number>(SUMMARY_DUE_KEY);
    if (due === undefined || due > Date.now()) return due ?? null;
    const { db, close } = openDb(this.env);
    try {
      const next = await postJoinLogSummary(db, this.env, guildId);
      if (next === null) await this.ctx.storage.delete(SUMMARY_DUE_KEY);
      else await this.ctx.storage.put(SUMMARY_DUE_KEY, next);
      return next;
    } finally {
      this.ctx.waitUntil(close().catch(() => undefined));
    }
  }

  /** Announces the guild's newly spent invitations; the cron does it for whatever this misses. */
  private async announceInvitations(guildId: string) {
    const { db, close } = openDb(this.env);
    try {
      await announceSpentInvitations(db, DiscordRest.fromEnv(this.env), { guildId });
    } catch (error) {
      logError("announcing spent invitations failed; the cron will", error, { guild: guildId });
    } finally {
      await close().catch(() => undefined);
    }
  }

  /** Sets the alarm to `at` unless one is due sooner. */
  private async wakeAt(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

/** The join's marked codes, when its roles carry a mark. */
function marksOf(roles: readonly string[], cache: readonly CachedInvite[]): { markCodes?: string[] } {
  const markCodes = markedCodes(roles, cache);
  return markCodes ? { markCodes } : {};
}

/** A write's failure with its verdict (worker/guild-invites/outbox.ts), or null once committed. */
function attempt(write: Promise<void>) {
  return write.then(
    () => null,
    (error: unknown) => ({ error, verdict: classifyWriteError(error) }),
  );
}

/** A join waits for Discord's counts to move (and for the burst around it) before the refetch; any other event refetches now. */
function fetchDueAt(event: GuildEvent, now: number): number {
  return event.t === "GUILD_MEMBER_ADD" ? now + DEFAULT_OPTIONS.countLagMs + DEFAULT_OPTIONS.coalesceMs : now;
}

/** The pure module's verdicts plus an exact lookup's, and a join the bot made itself. */
type JoinVerdict = Verdict | { kind: "exact"; code: string } | { kind: "oauth"; invitationId: number };

function joinItem(guildId: string, { userId, joinedAt, didRejoin, leftAt, profile }: JoinMeta, verdict: JoinVerdict, invitationCodes: Record<string, string> = {}): Extract<OutboxItem, { kind: "join" }> {
  const code = verdict.kind === "unresolved" || verdict.kind === "oauth" ? null : verdict.code;
  const candidates = verdict.kind === "unresolved" || (verdict.kind === "role" && code === null) ? verdict.candidates : null;
  const invitationId =
    verdict.kind === "oauth" ? verdict.invitationId : code !== null && invitationCodes[code] !== undefined ? Number(invitationCodes[code]) : null;
  return {
    kind: "join",
    guildId,
    userId,
    joinedAt,
    didRejoin,
    leftAt: leftAt ?? null,
    profile: profile ?? null,
    method: verdict.kind,
    inviteCode: code,
    invitationId,
    candidates,
    groupId: verdict.kind === "unresolved" ? verdict.groupId : null,
    reason: verdict.kind === "unresolved" && verdict.gap ? "gap" : null,
    throughCandidate: verdict.kind === "role" || (verdict.kind === "unresolved" && verdict.throughCandidate === true),
  };
}

function inviteItem(guildId: string, invite: Omit<CachedInvite, "vanishSettled" | "usesUnknown" | "learnedAt">): OutboxItem {
  return {
    kind: "invite",
    guildId,
    code: invite.code,
    channelId: invite.channelId ?? null,
    inviterId: invite.inviterId ?? null,
    uses: invite.uses,
    maxUses: invite.maxUses,
    maxAge: invite.maxAge,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    deletedAt: invite.deletedAt,
  };
}

/** Invites whose uses or deletion changed in the fetch: the invites table follows the cache. */
function changedInvites(before: CachedInvite[], after: CachedInvite[]): CachedInvite[] {
  const previous = new Map(before.map((c) => [c.code, c]));
  return after.filter((c) => {
    const old = previous.get(c.code);
    return !old || old.uses !== c.uses || old.deletedAt !== c.deletedAt;
  });
}

