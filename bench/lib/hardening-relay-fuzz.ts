/**
 * The relay fuzz (bench/lib/relay-fuzz.ts) over HTTP against `wrangler dev`, aimed
 * at one live guild: after each hostile event a real join (made in the simulator,
 * its dispatch forwarded at once) must be accepted, and at the end every one of
 * those joins must have its row and nothing hostile may have left one.
 */
import { snowflake } from "../../simulator/ids";
import type { Dispatch } from "../../simulator/state";
import { onDispatch, RELAY_SECRET, settleJoins, type HardeningStack } from "./hardening-stack";
import { runRelayFuzz, type RelayFuzzReport } from "./relay-fuzz";

export interface RelayFuzzEndToEnd {
  report: RelayFuzzReport;
  /** Valid joins sent between the hostile events that were not answered 202. */
  joinsRefused: number;
  /** Valid joins with no row once the guild settled. */
  joinsLost: number;
  /** Rows the hostile events left: joins of users never joined, or invites never created. */
  hostileRows: number;
}

export async function relayFuzzEndToEnd(stack: HardeningStack): Promise<RelayFuzzEndToEnd> {
  const { state } = stack.discord;
  const guild = state.createGuild({ name: "Hardening relay fuzz" });
  const code = state.createInvite(guild.id, { uses: 0 }).code;
  const created = await stack.post({ id: `hardening:fuzz:${guild.id}:create`, t: "GUILD_CREATE", d: { id: guild.id, features: [] } });
  if (created.status !== 202) throw new Error(`GUILD_CREATE answered ${created.status}`);

  const dispatched: Dispatch[] = [];
  const stopListening = onDispatch(state, new Set([guild.id]), (d) => dispatched.push(d));
  let joinsRefused = 0;
  let sequence = 0;
  const report = await runRelayFuzz(
    async (body, headers) => {
      const response = await fetch(`${stack.url}/relay/events`, { method: "POST", headers, body });
      await response.arrayBuffer();
      return { status: response.status };
    },
    {
      secret: RELAY_SECRET,
      guildId: guild.id,
      afterEach: async () => {
        state.joinViaInvite(code, { id: snowflake(), username: `fuzzjoin${sequence}` });
        for (const d of dispatched.splice(0)) {
          const { status } = await stack.post({ id: `hardening:fuzz:${guild.id}:${sequence++}`, t: d.t, d: d.d });
          if (status !== 202) joinsRefused++;
        }
      },
    },
  );
  stopListening();

  const joins = state.joins.filter((j) => j.guild_id === guild.id);
  const settled = await settleJoins(stack.client, joins, { timeoutMs: 60_000 });
  const strayInvites = await stack.client.query("select 1 from invites where guild_id = $1 and code <> $2", [guild.id, code]);
  const strayMembers = await stack.client.query("select 1 from members where guild_id = $1 and (left_at is not null or user_id <> all($2))", [
    guild.id,
    joins.map((j) => j.user_id),
  ]);
  return {
    report,
    joinsRefused,
    joinsLost: settled.lost,
    hostileRows: settled.stray + settled.doubled + (strayInvites.rowCount ?? 0) + (strayMembers.rowCount ?? 0),
  };
}
