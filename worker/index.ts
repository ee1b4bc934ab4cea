import { Hono } from "hono";
import { DEAD_LETTER_QUEUE, recordDeadGuildJobs, runGuildJobMessages } from "../cron/job-queue";
import { scheduled } from "../cron/scheduled";
import { logError } from "./log";
import { dashboardRoutes } from "./routes/dashboard";
import { healthRoutes } from "./routes/health";
import { interactionRoutes } from "./routes/interactions";
import { landingRoutes } from "./routes/landing";
import { oauthRoutes } from "./routes/oauth";
import { relayRoutes } from "./routes/relay";

export { GuildInvites } from "./guild-invites/object";

const app = new Hono<{ Bindings: Env }>();
app.route("/interactions", interactionRoutes);
app.route("/health", healthRoutes);
app.route("/relay", relayRoutes);
app.route("/dashboard", dashboardRoutes);
app.route("/i", landingRoutes);
app.route("/oauth", oauthRoutes);
app.notFound((c) => c.json({ error: "not found" }, 404));
// The one place unexpected errors surface: logged, answered without internals.
app.onError((error, c) => {
  logError("unhandled error", error, { path: c.req.path, method: c.req.method });
  return c.json({ error: "internal error" }, 500);
});

export default {
  fetch: app.fetch,
  scheduled,
  // The cron's fan-out (wrangler.toml): the guild jobs queue, and its dead letters.
  queue: (batch, env, ctx) => (batch.queue === DEAD_LETTER_QUEUE ? recordDeadGuildJobs(batch, env, ctx) : runGuildJobMessages(batch, env, ctx)),
} satisfies ExportedHandler<Env>;
