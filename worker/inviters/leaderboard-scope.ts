import type { Queryable } from "../db";
import { countScope } from "./scope";
import { countWindow, currentWindow, type CountWindow, type WindowProblem } from "./season-window";
import { listSeasons } from "./seasons";
import type { CountScope } from "./store";

/** What a leaderboard counts: the season asked for (null = the current one), narrowed to the last `days` if given. */
export async function leaderboardScope(
  db: Queryable,
  env: Pick<Env, "DISCORD_APPLICATION_ID">,
  guildId: string,
  request: { season: number | null; days: number | null },
  now: Date,
): Promise<{ ok: true; scope: CountScope; window: CountWindow } | { ok: false; problem: WindowProblem }> {
  const picked = countWindow(await listSeasons(db, guildId), request, now);
  if (!picked.ok) return picked;
  return { ok: true, scope: await countScope(db, env, guildId, picked.window, now), window: picked.window };
}

/** The current season's whole leaderboard (all time before the first season). */
export async function currentSeasonScope(db: Queryable, env: Pick<Env, "DISCORD_APPLICATION_ID">, guildId: string, now: Date): Promise<{ scope: CountScope; window: CountWindow }> {
  const window = currentWindow(await listSeasons(db, guildId), null, now);
  return { scope: await countScope(db, env, guildId, window, now), window };
}
