import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { relabelJoins, saveInvite } from "../../store/invites";
import { assignNote } from "../../marks/policy";
import { ensureSource, withSourceLock } from "../../store/sources";
import { escapeMarkdown } from "../../format/text";
import { parseInviteCode } from "../../sources/invite-code";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { stringOption } from "../options";
import { createdNote, sourceNameOption } from "./source-option";

/** /invite assign: label an invite made elsewhere (Discord's UI, another bot) after checking it is ours. */
export async function assignInvite(ctx: CommandContext): Promise<Outcome<Reply>> {
  const rawCode = stringOption(ctx.call, "code");
  if (!rawCode.ok) return rawCode;
  const code = parseInviteCode(rawCode.value);
  if (!code) return fail({ kind: "invalid_invite_code", input: rawCode.value.slice(0, 100) });
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;

  const found = await discordInvites.get(ctx.rest, code);
  if (!found.ok) {
    const error = found.error;
    if (error.kind === "discord" && error.code === DiscordErrorCode.UnknownInvite) return fail({ kind: "unknown_invite", code });
    return fail({ kind: "discord", failure: error, action: { key: "action.look_up_invite" } });
  }
  if (found.value.guild?.id !== ctx.guildId) return fail({ kind: "invite_of_other_guild", code });

  const { status, previousSourceId, sourceId } = await withSourceLock(ctx.db, ctx.guildId, name.value.key, async (tx) => {
    const ensured = await ensureSource(tx, ctx.guildId, name.value);
    const saved = await saveInvite(tx, ctx.guildId, found.value, ensured.source.id);
    await relabelJoins(tx, ctx.guildId, code, ensured.source.id);
    return { status: ensured.status, previousSourceId: saved.previousSourceId, sourceId: ensured.source.id };
  });
  const moved = previousSourceId !== null && previousSourceId !== sourceId ? ` ${ctx.m.t("assign.relabelled")}` : "";
  const source = escapeMarkdown(name.value.name);
  return ok({ content: `${ctx.m.t("assign.done", { code, source })}${createdNote(status, source, ctx.m)}${moved}${assignNote(name.value.name, ctx.m)}` });
}
