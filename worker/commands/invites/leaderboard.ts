import { formatLeaderboard, LEADERBOARD_PAGE_SIZE } from "../../format/inviters";
import { countScope } from "../../inviters/scope";
import { rankingPage } from "../../inviters/ranking";
import type { Reply } from "../../interactions/reply";
import type { CommandContext, InteractionContext } from "../context";
import { LIMITS } from "../definitions";
import { ok, type Outcome } from "../failures";
import { integerOption } from "../options";

/** Far more pages than any guild has; bounds the OFFSET a forged custom_id can ask for. */
const MAX_PAGE = 100_000;

/** /invites leaderboard [days]: the first page; the buttons ask for the others. */
export async function leaderboardCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = ctx.call.options.has("days") ? integerOption(ctx.call, "days", LIMITS.leaderboardDays) : ok(null);
  if (!days.ok) return days;
  return ok(await leaderboardPage(ctx, days.value, 0));
}

/**
 * A button's custom_id: `lb:<days, 0 for all time>:<page>:<p|n>`. The last
 * part only keeps the two buttons' ids distinct, as Discord requires.
 */
const CUSTOM_ID = /^lb:(\d{1,4}):(\d{1,6}):[pn]$/;

const customId = (days: number | null, page: number, which: "p" | "n") => `lb:${days ?? 0}:${page}:${which}`;

/** The page a Previous/Next custom_id names, or null when the bot could not have made it. */
export function parseLeaderboardButton(id: string): { days: number | null; page: number } | null {
  const match = CUSTOM_ID.exec(id);
  if (!match) return null;
  const days = Number(match[1]);
  const page = Number(match[2]);
  if ((days !== 0 && (days < LIMITS.leaderboardDays.min || days > LIMITS.leaderboardDays.max)) || page > MAX_PAGE) return null;
  return { days: days === 0 ? null : days, page };
}

/** A Previous/Next press, already parsed. */
export async function leaderboardButton(ctx: InteractionContext, button: { days: number | null; page: number }): Promise<Outcome<Reply>> {
  return ok(await leaderboardPage(ctx, button.days, button.page));
}

async function leaderboardPage(ctx: InteractionContext, days: number | null, page: number): Promise<Reply> {
  const scope = await countScope(ctx.db, ctx.env, ctx.guildId, null);
  const result = await rankingPage(ctx.db, ctx.env, scope, days, page * LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE, ctx.now);
  const pages = Math.max(1, Math.ceil(result.inviters / LEADERBOARD_PAGE_SIZE));
  // A press on a stale message may ask past the end (inviters dropped out): show the last page.
  if (page >= pages && page > 0) return leaderboardPage(ctx, days, pages - 1);
  const button = (label: string, target: number, which: "p" | "n", disabled: boolean) => ({
    type: 2,
    style: 2,
    label,
    custom_id: customId(days, target, which),
    disabled,
  });
  return {
    embeds: [formatLeaderboard(result, page, days)],
    components:
      pages > 1
        ? [{ type: 1, components: [button("◀ Previous", Math.max(0, page - 1), "p", page === 0), button("Next ▶", page + 1, "n", page + 1 >= pages)] }]
        : [],
  };
}
