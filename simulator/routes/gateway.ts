/** GET /gateway/bot: where a bot's gateway client (the relay's @discordjs/ws) connects. */
import { json, type Route } from "../router";

export function gatewayRoutes(wsUrl: () => string): Route[] {
  return [
    {
      method: "GET",
      template: "/gateway/bot",
      auth: "bot",
      inSpec: false,
      handler: () =>
        json({
          url: wsUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
        }),
    },
  ];
}
