import { fitLines, relativeTime } from "../../format/text";
import { inviteTreeEdges } from "../../invitations/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

export const TREE_DEPTH = 3;

/** /invitations tree [member]: who invited them (up to three levels) and whom they invited (three levels down). */
export async function treeCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = ctx.call.options.has("member") ? snowflakeOption(ctx.call, "member", "a member") : ok(ctx.userId);
  if (!member.ok) return member;
  const edges = await inviteTreeEdges(ctx.db, ctx.guildId, member.value, TREE_DEPTH);
  const up = edges.filter((e) => e.level < 0).sort((a, b) => b.level - a.level);
  const lines: string[] = [];
  if (up.length > 0) lines.push(`Invited by ${up.map((e) => `<@${e.inviterId}>`).join(" ← invited by ")}`);
  else lines.push("Not invited through an invitation.");
  lines.push(`<@${member.value}>`);
  const children = new Map<string, typeof edges>();
  for (const edge of edges.filter((e) => e.level > 0)) children.set(edge.inviterId, [...(children.get(edge.inviterId) ?? []), edge]);
  const walk = (userId: string, depth: number) => {
    for (const edge of children.get(userId) ?? []) {
      lines.push(`${"\u2003".repeat(depth)}└ <@${edge.invitedId}> joined ${relativeTime(edge.spentAt)}`);
      if (depth < TREE_DEPTH) walk(edge.invitedId, depth + 1);
    }
  };
  walk(member.value, 1);
  if (!children.has(member.value)) lines.push("\u2003No one has joined with their invitations yet.");
  return ok({ embeds: [{ title: "Invite tree", description: fitLines(lines) }] });
}
