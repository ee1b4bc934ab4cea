import type { RaidAlertItem } from "./alert-item";
import { observeJoins, raidKey, tickRaids, UPDATE_EVERY_MS, type RaidEffect, type RaidState, type RaidVerdict } from "./detector";

/** A join as its verdict is handed out. */
export interface VerdictOfJoin {
  eventId: string;
  /** When the object stored the join (its clock: the clock alarms run on). */
  receivedAt: number;
  verdict: RaidVerdict;
}

/** RAID_UPDATE_S: seconds between edits of a raid's alert (tests shorten it); 15 when unset or not a number. */
export function updateEveryMs(setting: string | undefined): number {
  const seconds = Number(setting);
  return setting && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : UPDATE_EVERY_MS;
}

/** Counted event ids are kept this long: a revised verdict within it is not counted again. */
const COUNTED_TTL_MS = 10 * 60_000;

/**
 * The raid detector's side of the guild's object: its threshold, its state
 * (a few per-second counts per key) and which joins it has counted, in the
 * object's SQLite. Synchronous, so it runs inside the caller's transaction,
 * with the verdicts whose rows it may alert about.
 */
export class RaidStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly updateEveryMs: number,
  ) {
    sql.exec(`
      create table if not exists raid_config (id integer primary key check (id = 1), threshold integer);
      create table if not exists raid_state (key text primary key, json text not null);
      create table if not exists raid_counted (event_id text primary key, at integer not null);
    `);
  }

  /** Joins per minute that make a raid; null: alerts are off. */
  threshold(): number | null {
    const row = this.sql.exec<{ threshold: number | null }>("select threshold from raid_config where id = 1").toArray()[0];
    return row?.threshold ?? null;
  }

  /** Turning alerts off forgets the counts: turned on again, they start afresh. */
  setThreshold(threshold: number | null): void {
    this.sql.exec("insert into raid_config (id, threshold) values (1, ?) on conflict (id) do update set threshold = excluded.threshold", threshold);
    if (threshold === null) this.sql.exec("delete from raid_state");
  }

  /** Counts each join's first verdict that names a key; returns the alerts to queue, after those verdicts. */
  observe(guildId: string, verdicts: readonly VerdictOfJoin[], now: number): RaidAlertItem[] {
    const threshold = this.threshold();
    if (threshold === null || verdicts.length === 0) return [];
    const joins: Array<{ key: string; at: number }> = [];
    for (const { eventId, receivedAt, verdict } of verdicts) {
      const key = raidKey(verdict);
      if (key === null) continue;
      const fresh = this.sql.exec("insert into raid_counted (event_id, at) values (?, ?) on conflict do nothing", eventId, now).rowsWritten > 0;
      if (fresh) joins.push({ key, at: receivedAt });
    }
    if (joins.length === 0) return [];
    const observed = observeJoins(this.load([...new Set(joins.map((j) => j.key))]), joins, now, { threshold, updateEveryMs: this.updateEveryMs });
    this.save(observed.state);
    return observed.effects.map((e) => alertItem(guildId, e));
  }

  /** Ends quiet raids and sends due updates; returns the alerts and when to look again (null: no raid open). */
  tick(guildId: string, now: number): { items: RaidAlertItem[]; wakeAt: number | null } {
    this.sql.exec("delete from raid_counted where at < ?", now - COUNTED_TTL_MS);
    const threshold = this.threshold();
    if (threshold === null) return { items: [], wakeAt: null };
    const before = this.load(null);
    const ticked = tickRaids(before, now, { threshold, updateEveryMs: this.updateEveryMs });
    for (const key of Object.keys(before)) if (!(key in ticked.state)) this.sql.exec("delete from raid_state where key = ?", key);
    this.save(ticked.state);
    return { items: ticked.effects.map((e) => alertItem(guildId, e)), wakeAt: ticked.wakeAt };
  }

  /** The state of these keys (null: of all of them). */
  private load(keys: string[] | null): RaidState {
    const rows = this.sql.exec<{ key: string; json: string }>("select key, json from raid_state").toArray();
    const wanted = keys && new Set(keys);
    return Object.fromEntries(rows.filter((r) => !wanted || wanted.has(r.key)).map((r) => [r.key, JSON.parse(r.json)]));
  }

  private save(state: RaidState) {
    for (const [key, value] of Object.entries(state)) {
      this.sql.exec("insert into raid_state (key, json) values (?, ?) on conflict (key) do update set json = excluded.json", key, JSON.stringify(value));
    }
  }
}

function alertItem(guildId: string, { phase, key, raid, perMinute, at }: RaidEffect): RaidAlertItem {
  return {
    kind: "raid_alert",
    guildId,
    raidKey: raid.id,
    inviteCode: key === "" ? null : key,
    phase,
    startedAt: raid.startedAt,
    lastJoinAt: raid.lastJoinAt,
    endedAt: phase === "end" ? at : null,
    joins: raid.joins,
    perMinute,
    peakPerMinute: raid.peakPerMinute,
  };
}
