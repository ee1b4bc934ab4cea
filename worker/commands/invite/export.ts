import { sql } from "drizzle-orm";
import { LINK_TTL_S, signLink } from "../../dashboard/token";
import { exportCsv } from "../../export/stream";
import { countScope } from "../../inviters/scope";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { ok, type Outcome } from "../failures";
import { integerOption } from "../options";

const DAY_MS = 86_400_000;
/** About 6 MB of CSV: under Discord's 10 MiB attachment limit. Larger exports get a download link instead. */
export const ATTACH_MAX_ROWS = 50_000;

/** /invite export [days]: the joins as a CSV attachment, or a signed download link when there are too many to attach. */
export async function exportCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = ctx.call.options.has("days") ? integerOption(ctx.call, "days", LIMITS.leaderboardDays) : ok(null);
  if (!days.ok) return days;
  const since = days.value === null ? null : new Date(ctx.now.getTime() - days.value * DAY_MS);
  const counted = await ctx.db.execute<{ n: number }>(sql`
    select count(*)::int as n from invite_joins
     where guild_id = ${ctx.guildId} ${since === null ? sql`` : sql`and joined_at >= ${since.toISOString()}::timestamptz`}`);
  const rows = counted.rows[0]?.n ?? 0;
  const window = days.value === null ? ctx.m.t("window.all_time") : ctx.m.t("export.days", { days: days.value });
  if (rows > ATTACH_MAX_ROWS) {
    const expiresAt = Math.floor(ctx.now.getTime() / 1000) + LINK_TTL_S;
    const token = await signLink(ctx.env.DISCORD_BOT_TOKEN, { guildId: ctx.guildId, adminId: ctx.userId, expiresAt });
    const query = `t=${token}${days.value === null ? "" : `&days=${days.value}`}`;
    return ok({
      content: ctx.m.t("export.link", { rows, window, at: expiresAt, url: `${ctx.env.PUBLIC_URL}/dashboard/export.csv?${query}` }),
    });
  }
  const { stream, done } = exportCsv(ctx.db, await countScope(ctx.db, ctx.env, ctx.guildId, { since }, ctx.now));
  const [buffer] = await Promise.all([new Response(stream).arrayBuffer(), done]);
  const data = new Uint8Array(buffer);
  const day = ctx.now.toISOString().slice(0, 10);
  return ok({ content: ctx.m.t("export.attached", { rows, window }), files: [{ name: `joins-${day}.csv`, contentType: "text/csv", data }] });
}
