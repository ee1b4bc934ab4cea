/**
 * Landing-page flood (issue 24): FLOOD concurrent GETs of unknown codes from
 * one address, all sent at once, while real visitors open valid invitation
 * pages (each from an address of their own), a monitor polls `GET /health`
 * and an admin runs `/invite health`. Each probe's latency runs from its send
 * to its answer (for `/invite health`, to the reply Discord shows, deferred or
 * not); the probes go on until the flood is answered, and at least MIN_PROBES
 * of each kind have run. A refusal is Postgres saying no to a connection
 * ("too many clients"), counted in its own log.
 */
import fs from "node:fs";
import { snowflake } from "../../simulator/ids";
import { inviteInteraction } from "../../simulator/interaction-payload";
import { newInvitationCode } from "../../worker/invitations/code";
import type { HardeningStack } from "./hardening-stack";
import { percentile } from "./percentile";

const MIN_PROBES = 30;
const APPLICATION_ID = "100000000000000001";
const FLOOD_ADDRESS = "203.0.113.66";

export interface LandingFloodReport {
  flood: number;
  flood_by_status: Record<string, number>;
  flood_s: number;
  /** The same number of concurrent requests to a route that does nothing: the local stack's floor. */
  control_s: number;
  /** Every probe's latency, p99, and per kind. */
  p99_ms: number;
  p99_ms_by_probe: Record<string, number>;
  /** The same probes, one at a time, before the flood. */
  baseline_p99_ms: number;
  probes: Record<string, number>;
  probes_failed: Record<string, number>;
  /** Null when the bench did not start Postgres (DATABASE_URL) and cannot read its log. */
  db_refusals: number | null;
}

const REFUSAL = /too many clients|remaining connection slots/g;
const refusalsLogged = (logFile: string | undefined) => (logFile ? (fs.readFileSync(logFile, "utf8").match(REFUSAL)?.length ?? 0) : null);

type Probe = () => Promise<boolean>;

export async function runLandingFlood(stack: HardeningStack, progress: (line: string) => void, options: { flood: number }): Promise<LandingFloodReport> {
  const guild = stack.discord.state.createGuild({ name: "Landing flood" });
  const inviterId = snowflake();
  const codes = Array.from({ length: 200 }, () => newInvitationCode());
  await stack.client.query(
    "insert into invitations (guild_id, code, inviter_id, inviter_name, expires_at) select $1, unnest($2::text[]), $3, 'Ada', now() + interval '7 days'",
    [guild.id, codes, inviterId],
  );
  let visitor = 0;

  const probes: Record<string, Probe> = {
    landing_page: async () => {
      const n = visitor++;
      const response = await fetch(`${stack.url}/i/${codes[n % codes.length]}`, { headers: { "CF-Connecting-IP": `10.66.${(n >> 8) & 255}.${n & 255}` } });
      await response.text();
      return response.status === 200;
    },
    health: async () => {
      const response = await fetch(`${stack.url}/health`);
      return response.status === 200 && ((await response.json()) as { ok: boolean }).ok;
    },
    invite_health: async () => {
      const interaction = inviteInteraction("health", [], { id: snowflake(), applicationId: APPLICATION_ID, guildId: guild.id, channelId: snowflake(), userId: snowflake() });
      const response = await stack.interact(interaction);
      if (response.status !== 200) return false;
      const reply = (await response.json()) as { type: number; data?: unknown };
      const deadline = Date.now() + 10_000;
      let shown: unknown = reply.type === 5 ? undefined : reply.data;
      while (!shown && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        shown = stack.discord.state.interactions.get(interaction.token)?.original;
      }
      return JSON.stringify(shown ?? "").includes("Health:");
    },
  };

  // Warm the pages' Discord facts and wrangler dev's first compile out of the figures.
  for (const probe of Object.values(probes)) await probe();
  const refusalsBefore = refusalsLogged(stack.database.logFile);
  // The same probes with no flood: what this machine answers in anyway.
  const baseline: number[] = [];
  for (let i = 0; i < MIN_PROBES; i++) {
    for (const probe of Object.values(probes)) {
      const sent = performance.now();
      await probe();
      baseline.push(performance.now() - sent);
    }
  }

  progress(`landing flood: ${options.flood} concurrent unknown codes from one address, with pages, /health and /invite health probed`);
  const started = Date.now();
  let flooding = true;
  const byStatus: Record<string, number> = {};
  const flood = Promise.all(
    Array.from({ length: options.flood }, async () => {
      const response = await fetch(`${stack.url}/i/${newInvitationCode()}`, { headers: { "CF-Connecting-IP": FLOOD_ADDRESS } }).catch(() => null);
      await response?.text();
      const status = String(response?.status ?? "network error");
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }),
  ).then(() => {
    flooding = false;
  });
  const latencies: Record<string, number[]> = {};
  const failed: Record<string, number> = {};
  await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const times: number[] = (latencies[name] = []);
      failed[name] = 0;
      while (flooding || times.length < MIN_PROBES) {
        const sent = performance.now();
        const ok = await probe().catch(() => false);
        times.push(performance.now() - sent);
        if (!ok) failed[name]!++;
      }
    }),
  );
  await flood;
  const floodS = (Date.now() - started) / 1000;
  // The floor: as many concurrent requests of a route that does nothing (404). wrangler dev
  // answers them all in one process, so on a busy machine this, not Postgres, bounds the flood.
  const control = Date.now();
  await Promise.all(Array.from({ length: options.flood }, () => fetch(`${stack.url}/nothing-here`).then((r) => r.text(), () => undefined)));
  const controlS = (Date.now() - control) / 1000;
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const all = sorted(Object.values(latencies).flat());
  return {
    flood: options.flood,
    flood_by_status: byStatus,
    flood_s: round(floodS),
    control_s: round(controlS),
    p99_ms: round(percentile(all, 99)),
    baseline_p99_ms: round(percentile(sorted(baseline), 99)),
    p99_ms_by_probe: Object.fromEntries(Object.entries(latencies).map(([name, times]) => [name, round(percentile(sorted(times), 99))])),
    probes: Object.fromEntries(Object.entries(latencies).map(([name, times]) => [name, times.length])),
    probes_failed: failed,
    db_refusals: refusalsBefore === null ? null : refusalsLogged(stack.database.logFile)! - refusalsBefore,
  };
}
