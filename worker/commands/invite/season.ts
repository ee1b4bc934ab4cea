import { escapeMarkdown, fitLines } from "../../format/text";
import { dropRankings } from "../../inviters/ranking";
import { windowLabel } from "../../inviters/season-window";
import { listSeasons, startSeason } from "../../inviters/seasons";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { ok, type Outcome } from "../failures";
import { plainTextOption } from "../options";

/** /invite season start name: leaderboards count from now on; earlier seasons stay, to be shown with `/invites leaderboard season:`. */
export async function seasonStartCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const name = plainTextOption(ctx.call, "name", LIMITS.seasonName);
  if (!name.ok) return name;
  const season = await startSeason(ctx.db, ctx.guildId, name.value, ctx.now);
  await dropRankings(ctx.db, ctx.guildId);
  const started = ctx.m.t("season.started", { season: escapeMarkdown(windowLabel({ season, days: null }, ctx.m)), at: Math.floor(season.startedAt.getTime() / 1000) });
  const previous = season.number > 1 ? ` ${ctx.m.t("season.previous_kept", { number: season.number - 1 })}` : "";
  return ok({ content: `${started}${previous}` });
}

/** /invite season list: every season with its dates, the latest first. */
export async function seasonListCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const seasons = (await listSeasons(ctx.db, ctx.guildId)).reverse();
  if (seasons.length === 0) return ok({ content: ctx.m.t("season.none") });
  const at = (d: Date) => `<t:${Math.floor(d.getTime() / 1000)}:d>`;
  const lines = seasons.map((s, i) => `**${s.number}.** ${escapeMarkdown(s.name)}: ${at(s.startedAt)} – ${i === 0 ? ctx.m.t("season.now") : at(seasons[i - 1]!.startedAt)}`);
  return ok({ embeds: [{ title: ctx.m.t("season.title"), description: fitLines(lines, undefined, ctx.m) }] });
}
