import type { Queryable } from "../../db";
import { recentSeasons } from "../../inviters/seasons";

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

/**
 * `/invites leaderboard season:` suggestions: the latest seasons whose number or
 * name contains what was typed, named "2 · Spring 2026" (within Discord's 100 characters).
 */
export async function seasonChoices(db: Queryable, guildId: string, typed: string): Promise<Array<{ name: string; value: number }>> {
  const needle = typed.trim().toLowerCase();
  const seasons = await recentSeasons(db, guildId, 200);
  return seasons
    .filter((s) => needle === "" || String(s.number).startsWith(needle) || s.name.toLowerCase().includes(needle))
    .slice(0, MAX_CHOICES)
    .map((s) => ({ name: `${s.number} · ${s.name}`.slice(0, 100), value: s.number }));
}
