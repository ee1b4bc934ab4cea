/**
 * Load: RATE relay events per second for SECONDS across GUILDS guilds against
 * `wrangler dev`, paced open-loop (each event is sent at its scheduled instant,
 * whatever the earlier ones are doing). The events are real: each is a change
 * made in the simulator (a join through one of the guild's invites, an invite
 * created or deleted, a member leaving), whose dispatch is sent at once, so the
 * Durable Objects' refetches find counts that agree with them. A request's
 * latency runs from its scheduled instant to its 202, retries included, so a
 * stalled sender or Worker shows in it rather than hiding.
 */
import { snowflake } from "../../simulator/ids";
import type { Dispatch } from "../../simulator/state";
import { prng } from "./prng";
import { postUntilAccepted } from "./hardening-faults";
import { onDispatch, settleJoins, type HardeningStack } from "./hardening-stack";
import { percentile } from "./percentile";

export interface LoadReport {
  events: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Events never answered 202 (after retries) plus joins with no row once settled. */
  lost: number;
  not_accepted: number;
  joins: number;
  joins_unrecorded: number;
  doubled: number;
  /** Members who left 30 s or more after joining whose row still says they are here. */
  departures_unrecorded: number;
  /** Members who left within 2 s of joining, and of those, how many are still recorded as members. */
  quick_departures: number;
  quick_departures_unrecorded: number;
  retried: number;
  first_refusals: Record<string, number>;
  /** How late the sender itself was in sending, p99: above a few ms, the bench machine is the bottleneck. */
  send_lag_p99_ms: number;
  by_kind: Record<string, number>;
  settle_s: number;
}

export async function runLoad(
  stack: HardeningStack,
  progress: (line: string) => void,
  options: { rate: number; seconds: number; guilds: number; seed: number },
): Promise<LoadReport> {
  const rng = prng(options.seed);
  const { state } = stack.discord;
  const guilds = Array.from({ length: options.guilds }, (_, i) => {
    const guild = state.createGuild({ name: `Hardening load ${i}` });
    const base = Array.from({ length: 3 }, () => state.createInvite(guild.id, { uses: 0 }).code);
    return { id: guild.id, base, created: [] as string[], members: [] as Array<{ id: string; at: number }> };
  });
  const guildIds = new Set(guilds.map((g) => g.id));
  // Each guild first arrives with its GUILD_CREATE, as after the relay's IDENTIFY; its object then looks at its invites.
  await Promise.all(guilds.map((g) => postUntilAccepted(stack, { id: `hardening:load:${g.id}:create`, t: "GUILD_CREATE", d: { id: g.id, features: [] } })));

  const latencies: number[] = [];
  const lags: number[] = [];
  const byKind: Record<string, number> = {};
  let notAccepted = 0;
  let retried = 0;
  /** Status of first attempts that were not 202 (0: no answer). */
  const firstRefusals: Record<string, number> = {};
  let sequence = 0;
  const inFlight: Array<Promise<void>> = [];
  const quickLeavers: string[] = [];
  let scheduledAt = 0;
  const send = (dispatch: Dispatch) => {
    const event = { id: `hardening:load:${sequence++}`, t: dispatch.t, d: dispatch.d };
    const at = scheduledAt;
    byKind[dispatch.t] = (byKind[dispatch.t] ?? 0) + 1;
    inFlight.push(
      (async () => {
        let answer = await stack.post(event).catch(() => ({ status: 0 }));
        if (answer.status !== 202) {
          retried++;
          firstRefusals[answer.status] = (firstRefusals[answer.status] ?? 0) + 1;
          answer = await postUntilAccepted(stack, event, 30_000);
        }
        if (answer.status === 202) latencies.push(performance.now() - at);
        else notAccepted++;
      })(),
    );
  };
  const stopListening = onDispatch(state, guildIds, send);

  /** One change in the guild: mostly joins, some invites made and removed, some members leaving. */
  const change = (g: (typeof guilds)[number], now: number) => {
    const x = rng.next();
    if (x < 0.06) return void g.created.push(state.createInvite(g.id, { max_age: 86_400 }).code);
    if (x < 0.1 && g.created.length > 0) return void state.deleteInvite(g.created.splice(rng.int(0, g.created.length - 1), 1)[0]!);
    // Most members who leave have been in for a while (30 s here: under this load a join's row can take 20)…
    if (x < 0.2 && g.members.length > 0 && g.members[0]!.at < now - 30_000) return void state.removeMember(g.id, g.members.shift()!.id);
    // …and a few leave at once, before the Durable Object has written their join: counted apart.
    if (x >= 0.2 && x < 0.205 && g.members.length > 0 && g.members.at(-1)!.at > now - 2_000) {
      const quick = g.members.pop()!.id;
      quickLeavers.push(quick);
      return void state.removeMember(g.id, quick);
    }
    const user = { id: snowflake(), username: `load${sequence}` };
    state.joinViaInvite(rng.pick([...g.base, ...g.created]), user);
    g.members.push({ id: user.id, at: now });
  };

  progress(`load: ${options.rate} events/s for ${options.seconds} s across ${options.guilds} guilds`);
  const total = options.rate * options.seconds;
  const intervalMs = 1000 / options.rate;
  const start = performance.now() + 100;
  for (let i = 0; i < total; i++) {
    scheduledAt = start + i * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    lags.push(Math.max(0, performance.now() - scheduledAt));
    change(guilds[i % guilds.length]!, Date.now());
  }
  stopListening();
  await Promise.all(inFlight);
  progress(`load: sent; waiting for every join's row`);

  const joins = state.joins.filter((j) => guildIds.has(j.guild_id));
  const settled = await settleJoins(stack.client, joins, { timeoutMs: 120_000 });
  const left = state.dispatches.filter((d) => d.t === "GUILD_MEMBER_REMOVE" && guildIds.has(d.guild_id)).map((d) => (d.d.user as { id: string }).id);
  const stillHere = async (users: string[]) =>
    (await stack.client.query("select 1 from members where guild_id = any($1) and user_id = any($2) and left_at is null", [[...guildIds], users])).rowCount ?? 0;
  const quick = new Set(quickLeavers);
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    events: sequence,
    p50_ms: ms(percentile(latencies, 50)),
    p99_ms: ms(percentile(latencies, 99)),
    max_ms: ms(latencies.at(-1) ?? 0),
    lost: notAccepted + settled.lost,
    not_accepted: notAccepted,
    joins: joins.length,
    joins_unrecorded: settled.lost,
    doubled: settled.doubled,
    departures_unrecorded: await stillHere(left.filter((u) => !quick.has(u))),
    quick_departures: quickLeavers.length,
    quick_departures_unrecorded: await stillHere(quickLeavers),
    retried,
    first_refusals: firstRefusals,
    send_lag_p99_ms: ms(percentile(lags, 99)),
    by_kind: byKind,
    settle_s: settled.settle_s,
  };
}
