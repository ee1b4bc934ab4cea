import type { Messages } from "../i18n/messages";
import { parsePolicy } from "../invitations/policy";
import type { WaveStats } from "../invitations/wave-stats";

/** `/invite waves`: one line per wave. */
export function formatDuration(hours: number, m: Messages): string {
  if (hours < 1) return m.t("duration.minutes", { count: Math.max(1, Math.round(hours * 60)) });
  if (hours < 48) return m.t("duration.hours", { count: Math.round(hours) });
  return m.t("duration.days", { count: Math.round(hours / 24) });
}

export function waveLine(w: WaveStats, m: Messages): string {
  const policy = parsePolicy(w.policy);
  const rate = w.spendRate === null ? "–" : `${Math.round(w.spendRate * 100)} %`;
  const median = w.medianHoursToSpend === null ? "–" : formatDuration(w.medianHoursToSpend, m);
  const at = Math.floor(w.createdAt.getTime() / 1000);
  return m.t("waves.line", { wave: w.waveId, at, policy: policy?.name ?? "?", minted: w.minted, notified: w.notified, spent: w.spent, rate, median });
}
