import type { Messages } from "../i18n/messages";
import type { MintResult } from "../invitations/mint";
import { describePolicy, type Policy } from "../invitations/policy";

const SAMPLE = 10;

/** What the admin reads after a mint or a dry run. Mentions render as names; allowed_mentions keeps them silent. */
export function mintSummary(policy: Policy, result: MintResult, m: Messages): string {
  const n = result.recipients.length;
  const under = { policy: policy.name, description: describePolicy(policy, m) };
  const dryRun = String(result.dryRun);
  if (n === 0) return m.t("mint.nobody", { ...under, dryRun });
  const lines = [
    result.dryRun
      ? m.t("mint.dry_run", { ...under, eligible: result.eligible, count: n })
      : m.t("mint.minted", { ...under, wave: result.waveId ?? 0, eligible: result.eligible, count: n }),
  ];
  if (result.requested > result.eligible) lines.push(m.t("mint.fewer", { requested: result.requested, eligible: result.eligible, dryRun }));
  const sample = result.recipients.slice(0, SAMPLE).map((id) => `<@${id}>`).join(", ");
  lines.push(m.t("mint.recipients", { dryRun, sample, more: Math.max(0, n - SAMPLE) }));
  lines.push(result.expiresAt ? m.t("mint.expire", { at: Math.floor(result.expiresAt.getTime() / 1000) }) : m.t("mint.never_expire"));
  if (!result.dryRun) lines.push(m.t("mint.dm_soon"));
  lines.push(m.t("mint.seed", { seed: result.seed }));
  return lines.join("\n");
}
