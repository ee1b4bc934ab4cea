import { fitLines, relativeTime } from "../../format/text";
import { inviteTreeEdges } from "../../invitations/store";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";

export const TREE_DEPTH = 3;

/** /invitations tree [member]: who invited them (up to three levels) and whom they invited (three levels down). */
export async function treeCommand(ctx: CommandContext): Promise<Outcome<Reply>> {
  const member = ctx.call.options.has("member") ? snowflakeOption(ctx.call, "member", { key: "expected.member" }) : ok(ctx.userId);
  if (!member.ok) return member;
  const edges = await inviteTreeEdges(ctx.db, ctx.guildId, member.value, TREE_DEPTH);
  const up = edges.filter((e) => e.level < 0).sort((a, b) => b.level - a.level);
  const { m } = ctx;
  const lines: string[] = [];
  if (up.length > 0) lines.push(m.t("tree.invited_by", { chain: up.map((e) => `<@${e.inviterId}>`).join(m.t("tree.chain_separator")) }));
  else lines.push(m.t("tree.not_invited"));
  lines.push(`<@${member.value}>`);
  const children = new Map<string, typeof edges>();
  for (const edge of edges.filter((e) => e.level > 0)) children.set(edge.inviterId, [...(children.get(edge.inviterId) ?? []), edge]);
  const walk = (userId: string, depth: number) => {
    for (const edge of children.get(userId) ?? []) {
      lines.push(`${"\u2003".repeat(depth)}└ ${m.t("tree.joined", { userId: edge.invitedId, when: relativeTime(edge.spentAt) })}`);
      if (depth < TREE_DEPTH) walk(edge.invitedId, depth + 1);
    }
  };
  walk(member.value, 1);
  if (!children.has(member.value)) lines.push(`\u2003${m.t("tree.no_invitees")}`);
  return ok({ embeds: [{ title: m.t("tree.title"), description: fitLines(lines, undefined, m) }] });
}
