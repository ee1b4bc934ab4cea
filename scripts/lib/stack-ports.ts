import { freePort } from "./free-port";

export interface StackPorts {
  worker: number;
  relayHealth: number;
  simulator: number;
  postgres: number;
  wsProxy: number;
}

/**
 * Fixed ports from INVITES_PORT_BASE (default 8787, wrangler's usual port, so
 * the URLs stay the same between runs): the Worker on it, then the relay's
 * health endpoint, the simulator, Postgres and the WebSocket proxy. 0 picks
 * free ports (tests).
 */
export async function stackPorts(base = Number(process.env.INVITES_PORT_BASE ?? 8787)): Promise<StackPorts> {
  if (!Number.isInteger(base) || base < 0 || base > 65_530) throw new Error(`INVITES_PORT_BASE must be 0 or a port, got ${base}`);
  const port = async (offset: number) => (base === 0 ? freePort() : base + offset);
  return { worker: await port(0), relayHealth: await port(1), simulator: await port(2), postgres: await port(3), wsProxy: await port(4) };
}
