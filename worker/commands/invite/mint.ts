import { isPolicyName, type Policy } from "../../invitations/policy";
import { mintSummary } from "../../format/mint";
import { mintWave } from "../../invitations/mint";
import { readInvitationSettings } from "../../invitations/settings";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { booleanOption, integerOption, stringOption } from "../options";

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
