import { formatLeaderboard, LEADERBOARD_PAGE_SIZE } from "../../format/inviters";
import { leaderboardScope } from "../../inviters/leaderboard-scope";
import { rankingPage } from "../../inviters/ranking";
import { windowLabel, type WindowProblem } from "../../inviters/season-window";
import type { Reply } from "../../interactions/reply";
import type { CommandContext, InteractionContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption } from "../options";

/** Far more pages than any guild has; bounds the OFFSET a forged custom_id can ask for. */
const MAX_PAGE = 100_000;

/** What a leaderboard message shows: the window and the page. */
interface BoardRequest {
  days: number | null;
  season: number | null;
  page: number;
}

/** /invites leaderboard [days] [season]: the first page; the buttons ask for the others. */
export async function leaderboardCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const days = ctx.call.options.has("days") ? integerOption(ctx.call, "days", LIMITS.leaderboardDays) : ok(null);
  if (!days.ok) return days;
  const season = ctx.call.options.has("season") ? integerOption(ctx.call, "season", LIMITS.season) : ok(null);
  if (!season.ok) return season;
  return leaderboardPage(ctx, { days: days.value, season: season.value, page: 0 });
}

/**
 * A button's custom_id: `lb:<days, 0 for all>:<page>:<p|n>[:<season>]`. The
 * `p|n` part only keeps the two buttons' ids distinct, as Discord requires; a
 * season is named only when one was asked for.
 */
const CUSTOM_ID = /^lb:(\d{1,4}):(\d{1,6}):[pn](?::(\d{1,6}))?$/;

const customId = ({ days, season, page }: BoardRequest, which: "p" | "n") => `lb:${days ?? 0}:${page}:${which}${season === null ? "" : `:${season}`}`;

/** The page a Previous/Next custom_id names, or null when the bot could not have made it. */
export function parseLeaderboardButton(id: string): BoardRequest | null {
  const match = CUSTOM_ID.exec(id);
  if (!match) return null;
  const days = Number(match[1]);
  const page = Number(match[2]);
  const season = match[3] === undefined ? null : Number(match[3]);
  if ((days !== 0 && (days < LIMITS.leaderboardDays.min || days > LIMITS.leaderboardDays.max)) || page > MAX_PAGE) return null;
  if (season !== null && (season < LIMITS.season.min || season > LIMITS.season.max)) return null;
  return { days: days === 0 ? null : days, season, page };
}

/** A Previous/Next press, already parsed. */
export async function leaderboardButton(ctx: InteractionContext, button: BoardRequest): Promise<Outcome<Reply>> {
  return leaderboardPage(ctx, button);
}

function windowFailure(problem: WindowProblem): Outcome<never> {
  switch (problem.kind) {
    case "unknown_season":
      return fail({ kind: "unknown_season", number: problem.number });
    case "days_in_past_season":
      return fail({ kind: "invalid_option", option: "days", expected: { key: "expected.days_without_season" } });
  }
}

async function leaderboardPage(ctx: InteractionContext, request: BoardRequest): Promise<Outcome<Reply>> {
  const picked = await leaderboardScope(ctx.db, ctx.env, ctx.guildId, request, ctx.now);
  if (!picked.ok) return windowFailure(picked.problem);
  const { page } = request;
  const result = await rankingPage(ctx.db, ctx.env, picked.scope, picked.window.key, page * LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(result.inviters / LEADERBOARD_PAGE_SIZE));
  // A press on a stale message may ask past the end (inviters dropped out): show the last page.
  if (page >= pages && page > 0) return leaderboardPage(ctx, { ...request, page: pages - 1 });
  const button = (label: string, target: number, which: "p" | "n", disabled: boolean) => ({
    type: 2,
    style: 2,
    label,
    custom_id: customId({ ...request, page: target }, which),
    disabled,
  });
  return ok({
    embeds: [formatLeaderboard(result, page, windowLabel(picked.window, ctx.m), ctx.m)],
    components:
      pages > 1
        ? [{ type: 1, components: [button(ctx.m.t("leaderboard.previous"), Math.max(0, page - 1), "p", page === 0), button(ctx.m.t("leaderboard.next"), page + 1, "n", page + 1 >= pages)] }]
        : [],
  });
}
