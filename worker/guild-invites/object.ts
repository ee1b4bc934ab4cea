import { DurableObject } from "cloudflare:workers";
import { settle, type CachedInvite, type PendingJoin, type SettleOutput, type Verdict } from "../attribution";
import { openDb } from "../db";
import { DiscordRest } from "../discord/rest";
import { logError, logInfo } from "../log";
import type { GuildEvent } from "../relay/event";
import { fetchGuildFeatures, fetchInvites } from "./fetch-invites";
import { classifyWriteError, type OutboxItem } from "./outbox";
import { lookupJoinSources, exactCode } from "./exact-lookup";
import { GuildStorage, SEEN_TTL_MS, type GuildState, type StoredJoin } from "./storage";
import { writeOutboxItem } from "./writer";

/** Joins arriving within this window share one refetch. */
export const COALESCE_MS = 750;
const OUTBOX_BATCH = 200;
const GROUP_TTL_MS = 7 * 24 * 60 * 60_000;
const backoffMs = (failures: number) => Math.min(60_000, 500 * 2 ** Math.min(failures, 7));

export interface GuildStatus {
  pendingJoins: number;
  outboxDepth: number;
  /** Outbox items Postgres refused for good (a data or constraint error), set aside so later rows flow. */
  deadLetters: number;
  cachedInvites: number;
  cachedAt: number | null;
  ledger: number;
  failures: number;
  retryAt: number | null;
}

/**
 * One per guild: the only writer of the guild's invite cache. It stores each
 * gateway event before acknowledging it, settles waiting joins with one refetch
 * per burst, and keeps the rows Postgres has not committed in an outbox.
 */
export class GuildInvites extends DurableObject<Env> {
  private readonly store: GuildStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new GuildStorage(ctx.storage.sql);
  }

  /** Stores one relay event durably (returns once it is on disk). A repeated id has no effect. */
  async accept(event: GuildEvent): Promise<{ duplicate: boolean }> {
    const now = Date.now();
    const fresh = this.ctx.storage.transactionSync(() => {
      if (!this.store.markSeen(event.id, now)) return false;
      this.apply(event, now);
      return true;
    });
    if (!fresh) return { duplicate: true };
    await this.wakeAt(event.t === "GUILD_MEMBER_ADD" ? now + COALESCE_MS : now);
    return { duplicate: false };
  }

  /** The seam for invitations: a single-use invite minted for one attributes its join to it. */
  async learnInvitation(code: string, invitationId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      const { invitationCodes } = this.store.state();
      this.store.updateState({ invitationCodes: { ...invitationCodes, [code]: invitationId } });
    });
  }

  /** Cron: refetch the invites (catching events the relay missed) and flush the outbox. */
  async reconcile(guildId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.store.updateState({ guildId: this.store.state().guildId ?? guildId, needsFetch: true });
    });
    await this.wakeAt(Date.now());
  }

  async status(): Promise<GuildStatus> {
    const state = this.store.state();
    return {
      pendingJoins: this.store.joins().length,
      outboxDepth: this.store.outboxDepth(),
      deadLetters: this.store.deadLetterCount(),
      cachedInvites: state.cache.filter((c) => c.deletedAt === null).length,
      cachedAt: state.cachedAt,
      ledger: state.ledger.length,
      failures: state.failures,
      retryAt: state.retryAt,
    };
  }

  private apply(event: GuildEvent, now: number) {
    const state = this.store.state();
    switch (event.t) {
      case "GUILD_MEMBER_ADD":
        if (event.bot) {
          // Bots are added through OAuth, never an invite: they must not take an invite's increment.
          this.store.enqueue(joinItem(event.guildId, event, { kind: "unresolved", candidates: [] }));
        } else {
          this.store.addJoin({ eventId: event.id, userId: event.userId, joinedAt: event.joinedAt, receivedAt: now, didRejoin: event.didRejoin });
        }
        break;
      case "GUILD_MEMBER_REMOVE":
        this.store.enqueue({ kind: "member_left", guildId: event.guildId, userId: event.userId, leftAt: now });
        break;
      case "INVITE_CREATE":
        this.store.addInviteEvent({ type: "INVITE_CREATE", at: now, invite: event.invite });
        this.store.enqueue(inviteItem(event.guildId, { ...event.invite, deletedAt: null }));
        break;
      case "INVITE_DELETE": {
        this.store.addInviteEvent({ type: "INVITE_DELETE", at: now, code: event.code });
        const known = state.cache.find((c) => c.code === event.code);
        this.store.enqueue(
          inviteItem(event.guildId, { ...(known ?? { code: event.code, uses: 0, maxUses: 0, maxAge: 0, createdAt: now, expiresAt: null }), deletedAt: now }),
        );
        break;
      }
      case "GUILD_CREATE":
        // After an outage or a reconnect the cache may be stale: refetch.
        state.features = event.features;
        state.vanityCode = event.vanityCode;
        state.needsFetch = true;
        break;
    }
    if (!state.guildId) state.guildId = event.guildId;
    this.store.saveState(state);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const state = this.store.state();
    if (!state.guildId) return;
    const rest = DiscordRest.fromEnv(this.env, { maxAttempts: 1 });
    let nextWake: number | null = null;

    if (state.retryAt === null || state.retryAt <= now) {
      nextWake = await this.settleJoins(state, rest, now);
    } else {
      nextWake = state.retryAt;
    }
    const flushed = await this.flush(state.guildId);
    const flushFailures = flushed ? 0 : this.store.state().flushFailures + 1;
    this.store.updateState({ flushFailures });
    if (!flushed) {
      const retry = Date.now() + backoffMs(flushFailures);
      nextWake = nextWake === null ? retry : Math.min(nextWake, retry);
    }
    this.store.forgetSeenBefore(now - SEEN_TTL_MS);
    this.store.forgetGroupsBefore(now - GROUP_TTL_MS);
    if (nextWake !== null) await this.wakeAt(nextWake);
  }

  /** Fetches and settles when joins wait (or the cache needs seeding). Returns when to wake next. */
  private async settleJoins(state: GuildState, rest: DiscordRest, now: number): Promise<number | null> {
    const guildId = state.guildId!;
    const joins = this.store.joins();
    const unripe = joins.some((j) => state.cachedAt === null || j.receivedAt > state.cachedAt);
    const fetchNow = state.needsFetch || unripe;
    if (!fetchNow && joins.length === 0) return null;
    const { events, throughSeq } = this.store.inviteEvents();
    const base = {
      cached: state.cache,
      cachedAt: state.cachedAt,
      vanityBefore: state.vanity,
      events,
      joins,
      ledger: state.ledger,
      invitationCodes: new Map(Object.entries(state.invitationCodes)),
    };
    let out: SettleOutput;
    let fetchedVanity = state.vanity;
    if (fetchNow) {
      if (state.features === null) {
        const guild = await fetchGuildFeatures(rest, guildId);
        if (!guild.ok) return this.failed(state, guild.error, now);
        state.features = guild.value.features;
        state.vanityCode = guild.value.vanity_url_code;
        this.store.updateState({ features: state.features, vanityCode: state.vanityCode });
      }
      const fetched = await fetchInvites(rest, guildId, state.features.includes("VANITY_URL"), Date.now);
      if (!fetched.ok) return this.failed(state, fetched.error, now);
      fetchedVanity = fetched.vanity;
      out = settle({ ...base, fresh: fetched.invites, vanityAfter: fetched.vanity, now: fetched.answeredAt, fetchStartedAt: fetched.startedAt });
    } else {
      // Ripe joins past their wait: settle from the ledger, no API call.
      out = settle({ ...base, fresh: null, vanityAfter: state.vanity, now });
    }

    const joinById = new Map(joins.map((j) => [j.eventId, j]));
    const verdicts = await this.confirmUnresolved(rest, guildId, joinById, out.verdicts);
    this.ctx.storage.transactionSync(() => {
      const eliminable = new Set(out.groups.filter((g) => g.eliminable).map((g) => g.groupId));
      for (const { join, verdict } of verdicts) {
        const stored = joinById.get(join.eventId)!;
        const groupId = verdict.kind === "unresolved" && verdict.groupId && eliminable.has(verdict.groupId) ? verdict.groupId : null;
        this.store.enqueue(joinItem(guildId, stored, verdict, state.invitationCodes, groupId));
        this.store.removeJoin(join.eventId);
      }
      for (const group of out.groups) this.store.saveGroup(group, now);
      if (fetchNow) {
        for (const changed of changedInvites(state.cache, out.nextCache)) this.store.enqueue(inviteItem(guildId, changed));
        this.store.clearInviteEventsThrough(throughSeq);
      }
      this.store.updateState({
        cache: out.nextCache,
        cachedAt: out.nextCachedAt,
        ledger: out.nextLedger,
        vanity: fetchedVanity,
        ...(fetchNow ? { needsFetch: false } : {}),
        retryAt: null,
        failures: 0,
      });
    });
    for (const entry of out.expiredLedger) {
      logInfo("invite increment expired unclaimed: a join event was probably missed", { guild: guildId, code: entry.code, count: entry.count });
    }
    const times = [out.nextFetchAt, out.nextDeadlineAt].filter((t): t is number => t !== null);
    return times.length > 0 ? Math.max(Date.now(), Math.min(...times)) : null;
  }

  /**
   * Joins the diff could not tell apart are looked up exactly (Discord's member
   * search). Where Discord does not answer, they stay unresolved with their candidates.
   */
  private async confirmUnresolved(
    rest: DiscordRest,
    guildId: string,
    byEvent: ReadonlyMap<string, StoredJoin>,
    verdicts: SettleOutput["verdicts"],
  ): Promise<Array<{ join: PendingJoin; verdict: JoinVerdict }>> {
    const open = verdicts.filter((v) => v.verdict.kind === "unresolved");
    if (open.length === 0) return verdicts;
    const lookup = await lookupJoinSources(rest, guildId, [...new Set(open.map((v) => byEvent.get(v.join.eventId)!.userId))]);
    if (!lookup.ok) {
      logInfo("exact lookup unavailable; joins stay unresolved", { guild: guildId, error: lookup.error });
      return verdicts;
    }
    return verdicts.map(({ join, verdict }) => {
      if (verdict.kind !== "unresolved") return { join, verdict };
      const stored = byEvent.get(join.eventId)!;
      const code = exactCode(lookup.sources.get(stored.userId), stored.joinedAt);
      if (code === null) return { join, verdict };
      return { join, verdict: { kind: "exact" as const, code } };
    });
  }

  private failed(state: GuildState, error: { kind: string; retryAfterMs?: number }, now: number): number {
    const failures = state.failures + 1;
    const retryAt = now + (error.retryAfterMs ?? backoffMs(failures));
    logInfo("invite refetch failed; joins stay queued", { guild: state.guildId, error, retryAt });
    this.store.updateState({ failures, retryAt });
    return retryAt;
  }

  /**
   * Writes the outbox to Postgres in order; an item leaves only after its commit,
   * or, when Postgres refused it for good, into the dead letters. A transient
   * failure stops the flush (the alarm retries); a permanent one must not, or a
   * single bad row would hold back every later row of the guild.
   */
  private async flush(guildId: string): Promise<boolean> {
    let batch = this.store.outbox(OUTBOX_BATCH);
    if (batch.length === 0) return true;
    const { db, close } = openDb(this.env);
    try {
      while (batch.length > 0) {
        for (const { seq, item } of batch) {
          const failure = await writeOutboxItem(db, item).then(
            () => null,
            (error: unknown) => ({ error, verdict: classifyWriteError(error) }),
          );
          if (failure === null) {
            this.store.dequeue(seq);
          } else if (failure.verdict.permanent) {
            this.store.deadLetter(seq, failure.verdict.reason, Date.now());
            logError("outbox item dead-lettered: Postgres refused it for good", failure.error, { guild: guildId, kind: item.kind, reason: failure.verdict.reason });
          } else {
            logError("outbox flush failed; will retry", failure.error, { guild: guildId, depth: this.store.outboxDepth() });
            return false;
          }
        }
        batch = this.store.outbox(OUTBOX_BATCH);
      }
      return true;
    } finally {
      this.ctx.waitUntil(close().catch(() => undefined));
    }
  }

  /** Sets the alarm to `at` unless one is due sooner. */
  private async wakeAt(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

/** The pure module's verdicts plus an exact lookup's. */
type JoinVerdict = Verdict | { kind: "exact"; code: string } | { kind: "unresolved"; candidates: string[]; groupId?: string };

function joinItem(
  guildId: string,
  { userId, joinedAt, didRejoin }: { userId: string; joinedAt: number; didRejoin: boolean },
  verdict: JoinVerdict,
  invitationCodes: Record<string, string> = {},
  groupId: string | null = null,
): OutboxItem {
  const code = verdict.kind === "unresolved" ? null : verdict.code;
  const invitationId = code !== null && invitationCodes[code] !== undefined ? Number(invitationCodes[code]) : null;
  return {
    kind: "join",
    guildId,
    userId,
    joinedAt,
    didRejoin,
    method: verdict.kind,
    inviteCode: code,
    invitationId,
    candidates: verdict.kind === "unresolved" ? verdict.candidates : null,
    groupId,
  };
}

function inviteItem(guildId: string, invite: Omit<CachedInvite, "vanishSettled" | "usesUnknown">): OutboxItem {
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

