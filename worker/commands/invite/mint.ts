import { describePolicy, isPolicyName, type Policy } from "../../invitations/policy";
import { mintWave, type MintResult } from "../../invitations/mint";
import { readInvitationSettings } from "../../invitations/settings";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { booleanOption, integerOption, stringOption } from "../options";
import type { Messages } from "../../i18n/messages";

const SAMPLE = 10;

/** /invite mint: a wave of invitations to members drawn at random under a policy; a dry run writes nothing. */
export async function mintCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const count = integerOption(ctx.call, "count", LIMITS.mintCount);
  if (!count.ok) return count;
  const name = stringOption(ctx.call, "policy");
  if (!name.ok) return name;
  if (!isPolicyName(name.value)) return fail({ kind: "invalid_option", option: "policy", expected: { key: "expected.policy" } });
  const minDays = integerOption(ctx.call, "min_days", LIMITS.minDays);
  if (!minDays.ok) return minDays;
  const dryRun = booleanOption(ctx.call, "dry_run");
  if (!dryRun.ok) return dryRun;
  const expiresDays = ctx.call.options.has("expires_days")
    ? integerOption(ctx.call, "expires_days", LIMITS.expiresDays)
    : ok((await readInvitationSettings(ctx.db, ctx.guildId)).expiresDays);
  if (!expiresDays.ok) return expiresDays;

  const policy: Policy = { name: name.value, minDays: minDays.value };
  const result = await mintWave(ctx.db, {
    guildId: ctx.guildId,
    policy,
    count: count.value,
    expiresDays: expiresDays.value,
    createdBy: ctx.userId,
    dryRun: dryRun.value,
    now: ctx.now,
  });
  return ok({ content: mintSummary(policy, result, ctx.m) });
}

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
