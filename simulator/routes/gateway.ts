/** GET /gateway/bot: where a bot's gateway client (the relay's @discordjs/ws) connects, how many shards, how many IDENTIFYs are left. */
import type { GatewayBot } from "../gateway";
import { json, type Route } from "../router";

export function gatewayRoutes(gatewayBot: () => GatewayBot): Route[] {
  return [{ method: "GET", template: "/gateway/bot", auth: "bot", inSpec: true, handler: () => json(gatewayBot()) }];
}
