import { escapeMarkdown, fitLines } from "../../format/text";
import { dropRankings } from "../../inviters/ranking";
import { seasonLabel } from "../../inviters/season-window";
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
  const previous = season.number > 1 ? ` Season ${season.number - 1} is kept: \`/invites leaderboard season:${season.number - 1}\` shows it.` : "";
  return ok({ content: `Started ${escapeMarkdown(seasonLabel(season))}: leaderboards and the briefing's top inviters count from <t:${Math.floor(season.startedAt.getTime() / 1000)}:f>.${previous}` });
}

/** /invite season list: every season with its dates, the latest first. */
export async function seasonListCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const seasons = (await listSeasons(ctx.db, ctx.guildId)).reverse();
  if (seasons.length === 0) return ok({ content: "No season yet: leaderboards count all time. `/invite season start name:` begins one." });
  const at = (d: Date) => `<t:${Math.floor(d.getTime() / 1000)}:d>`;
  const lines = seasons.map((s, i) => `**${s.number}.** ${escapeMarkdown(s.name)}: ${at(s.startedAt)} – ${i === 0 ? "now" : at(seasons[i - 1]!.startedAt)}`);
  return ok({ embeds: [{ title: "Seasons", description: fitLines(lines) }] });
}
