import { fitLines } from "../../format/text";
import { excludedInviters, excludeInviter, includeInviter } from "../../inviters/exclusions";
import { dropRankings } from "../../inviters/ranking";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

/** /invite exclude [member]: keeps a member (staff, a bot, an alt) off leaderboards; without a member, lists who is. */
export async function excludeCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  if (!ctx.call.options.has("member")) return ok(await exclusionList(ctx));
  const member = snowflakeOption(ctx.call, "member", { key: "expected.member" });
  if (!member.ok) return member;
  const added = await excludeInviter(ctx.db, ctx.guildId, member.value, ctx.now);
  if (added) await dropRankings(ctx.db, ctx.guildId);
  return ok({
    content: ctx.m.t(added ? "exclude.done" : "exclude.already", { userId: member.value }),
  });
}

/** /invite include member: back on leaderboards. */
export async function includeCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = snowflakeOption(ctx.call, "member", { key: "expected.member" });
  if (!member.ok) return member;
  const removed = await includeInviter(ctx.db, ctx.guildId, member.value);
  if (removed) await dropRankings(ctx.db, ctx.guildId);
  return ok({ content: ctx.m.t(removed ? "include.done" : "include.not_excluded", { userId: member.value }) });
}

async function exclusionList(ctx: CommandContext): Promise<Reply> {
  const excluded = await excludedInviters(ctx.db, ctx.guildId);
  if (excluded.length === 0) return { content: ctx.m.t("exclude.none") };
  const lines = excluded.map((e) => ctx.m.t("exclude.line", { userId: e.userId, at: Math.floor(e.excludedAt.getTime() / 1000) }));
  return { embeds: [{ title: ctx.m.t("exclude.title", { count: excluded.length }), description: fitLines(lines, 3_900, ctx.m) }] };
}
