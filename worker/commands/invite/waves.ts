import { fitLines } from "../../format/text";
import { parsePolicy } from "../../invitations/policy";
import { waveStats, type WaveStats } from "../../invitations/wave-stats";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";

/** /invite waves: per wave, minted, notified, spent, spend rate and median time to spend. */
export async function wavesCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const waves = await waveStats(ctx.db, ctx.guildId, ctx.now, 15);
  if (waves.length === 0) return ok({ content: "No invitation waves yet. Start one with `/invite mint`." });
  return ok({ embeds: [{ title: "Invitation waves", description: fitLines(waves.map(waveLine)) }] });
}

export function formatDuration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

export function waveLine(w: WaveStats): string {
  const policy = parsePolicy(w.policy);
  const rate = w.spendRate === null ? "–" : `${Math.round(w.spendRate * 100)} %`;
  const median = w.medianHoursToSpend === null ? "–" : formatDuration(w.medianHoursToSpend);
  return (
    `**#${w.waveId}** <t:${Math.floor(w.createdAt.getTime() / 1000)}:d> ${policy?.name ?? "?"}: ` +
    `minted ${w.minted}, notified ${w.notified}, spent ${w.spent} (${rate}), median time to spend ${median}`
  );
}
