import { startFakeDiscord } from "../../../simulator/server.ts";
import type { Gateway } from "../../../simulator/gateway.ts";

/** The simulator's gateway as the relay tests and bench use it: bare guilds, a short heartbeat, direct dispatches. */
export interface FakeGateway extends Gateway {
  apiBase: string;
}

export async function startFakeGateway(
  options: { heartbeatIntervalMs?: number; guilds?: string[]; maxConcurrency?: number } = {},
): Promise<FakeGateway> {
  const discord = await startFakeDiscord({ heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000, maxConcurrency: options.maxConcurrency });
  for (const id of options.guilds ?? []) {
    discord.state.createGuild({ id, name: `guild ${id}`, features: ["VANITY_URL", "COMMUNITY"], vanity_url_code: `v${id}` });
  }
  return { ...discord.gateway, apiBase: discord.apiBase, close: discord.close };
}
