import { describePolicy, isPolicyName, type Policy } from "../../invitations/policy";
import { mintWave, type MintResult } from "../../invitations/mint";
import { readInvitationSettings } from "../../invitations/settings";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { booleanOption, integerOption, stringOption } from "../options";

const SAMPLE = 10;

/** /invite mint: a wave of invitations to members drawn at random under a policy; a dry run writes nothing. */
export async function mintCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const count = integerOption(ctx.call, "count", LIMITS.mintCount);
  if (!count.ok) return count;
  const name = stringOption(ctx.call, "policy");
  if (!name.ok) return name;
  if (!isPolicyName(name.value)) return fail({ kind: "invalid_option", option: "policy", expected: "one of unspent, never, spent_since, rewarded" });
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
  return ok({ content: mintSummary(policy, result) });
}

/** What the admin reads after a mint or a dry run. Mentions render as names; allowed_mentions keeps them silent. */
export function mintSummary(policy: Policy, result: MintResult): string {
  const n = result.recipients.length;
  if (n === 0) {
    return `Nobody is eligible under **${policy.name}** (${describePolicy(policy)}), so ${result.dryRun ? "a wave would mint nothing" : "nothing was minted"}.`;
  }
  const lines = [
    result.dryRun
      ? `**Dry run** (nothing was written): ${result.eligible} eligible under **${policy.name}** (${describePolicy(policy)}); a wave would mint ${n} invitation${n === 1 ? "" : "s"}.`
      : `Wave #${result.waveId} minted ${n} invitation${n === 1 ? "" : "s"} under **${policy.name}** (${describePolicy(policy)}); ${result.eligible} were eligible.`,
  ];
  if (result.requested > result.eligible) {
    lines.push(`You asked for ${result.requested}, but only ${result.eligible} member${result.eligible === 1 ? " was" : "s were"} eligible, so ${result.dryRun ? "all of them would get one" : "all of them got one"}.`);
  }
  if (n > 0) {
    const sample = result.recipients.slice(0, SAMPLE).map((id) => `<@${id}>`).join(", ");
    lines.push(`${result.dryRun ? "Sample of recipients" : "Recipients"}: ${sample}${n > SAMPLE ? ` and ${n - SAMPLE} more` : ""}.`);
    lines.push(
      result.expiresAt ? `They expire <t:${Math.floor(result.expiresAt.getTime() / 1000)}:R>.` : "They never expire.",
    );
    if (!result.dryRun) lines.push("Each recipient gets a DM with their link within a few minutes.");
  }
  lines.push(`Random seed: \`${result.seed}\`.`);
  return lines.join("\n");
}
