import { fitLines } from "../../format/text";
import { waveStats } from "../../invitations/wave-stats";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { waveLine } from "../../format/waves";

/** /invite waves: per wave, minted, notified, spent, spend rate and median time to spend. */
export async function wavesCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const waves = await waveStats(ctx.db, ctx.guildId, ctx.now, 15);
  if (waves.length === 0) return ok({ content: ctx.m.t("waves.none") });
  return ok({ embeds: [{ title: ctx.m.t("waves.title"), description: fitLines(waves.map((w) => waveLine(w, ctx.m)), undefined, ctx.m) }] });
}
