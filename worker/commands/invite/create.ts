import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { saveInvite } from "../../store/invites";
import { discordRoles } from "../../discord/roles";
import { markNote, unmarkedNote } from "../../marks/policy";
import { markForSource, type MarkChoice } from "../../marks/source-mark";
import { bindMark, markHolder, recordMarkedInvite } from "../../marks/store";
import { ensureSource, withSourceLock } from "../../store/sources";
import { requireGuildChannel } from "../channel-check";
import { assignableRoleOption } from "../role-check";
import { escapeMarkdown } from "../../format/text";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption, snowflakeOption } from "../options";
import { createdNote, sourceNameOption } from "./source-option";

/** The role was bound to another source while the invite was being made: nothing is kept. */
class MarkTaken extends Error {}

/** /invite create: a real Discord invite, labelled with its source, in one step. */
export async function createInvite(ctx: CommandContext): Promise<Outcome<Reply>> {
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;
  const channel = ctx.call.options.has("channel") ? snowflakeOption(ctx.call, "channel", { key: "expected.channel" }) : ok(undefined);
  if (!channel.ok) return channel;
  const maxUses = integerOption(ctx.call, "max_uses", { ...LIMITS.maxUses, default: 0 });
  if (!maxUses.ok) return maxUses;
  const maxAge = integerOption(ctx.call, "max_age", { ...LIMITS.maxAge, default: 0 });
  if (!maxAge.ok) return maxAge;
  const target = channel.value ?? ctx.channelId;
  if (!target) return fail({ kind: "unknown_channel" });
  // Checked before the invite exists: one made in another server's channel would outlive any refusal.
  const channelId = await requireGuildChannel(ctx, target);
  if (!channelId.ok) return channelId;
  // Checked before anything is created: a role the bot cannot give, or the member could not give themselves, is refused with the reason.
  const role = ctx.call.options.has("role") ? await assignableRoleOption(ctx, "role") : ok(null);
  if (!role.ok) return role;

  const mark = await markForSource(ctx, name.value, role.value);
  if (!mark.ok) return mark;
  let choice = mark.value;
  const reason = `Invite source "${name.value.name}" created by ${ctx.userId}`;
  const create = (choice: MarkChoice) =>
    discordInvites.create(ctx.rest, channelId.value, { maxUses: maxUses.value, maxAge: maxAge.value, roleIds: choice.kind === "marked" ? [choice.roleId] : [] }, reason);
  let created = await create(choice);
  // Manage Roles lost (or the role moved above the bot) since: the invite is still worth making, unmarked.
  if (!created.ok && choice.kind === "marked" && role.value === null && created.error.kind === "discord" && created.error.code === DiscordErrorCode.MissingPermissions) {
    await takeBackRole(ctx, choice);
    choice = { kind: "unmarked", reason: "missing_manage_roles" };
    created = await create(choice);
  }
  if (!created.ok) {
    await takeBackRole(ctx, choice);
    const error = created.error;
    if (error.kind === "discord" && error.code === DiscordErrorCode.UnknownChannel) return fail({ kind: "unknown_channel" });
    if (error.kind === "discord" && error.code === DiscordErrorCode.MaxInvites) return fail({ kind: "invite_limit_reached" });
    return fail({ kind: "discord", failure: error, action: { key: "action.create_invite" } });
  }
  const invite = created.value;

  let status: "existing" | "created" | "revived";
  try {
    status = await withSourceLock(ctx.db, ctx.guildId, name.value.key, async (tx) => {
      const ensured = await ensureSource(tx, ctx.guildId, name.value);
      await saveInvite(tx, ctx.guildId, invite, ensured.source.id);
      if (choice.kind === "marked") {
        const holder = await bindMark(tx, ctx.guildId, choice.roleId, ensured.source.id, choice.createdByBot);
        if (holder.sourceId !== ensured.source.id) throw new MarkTaken();
        await recordMarkedInvite(tx, ctx.guildId, invite.code, choice.roleId);
      }
      return ensured.status;
    });
  } catch (error) {
    // Nothing was written: take the Discord invite (and a role made for it) back so no unlabelled link is left behind.
    await discordInvites.delete(ctx.rest, invite.code, "Invite source could not be saved");
    await takeBackRole(ctx, choice);
    if (error instanceof MarkTaken && choice.kind === "marked") {
      const holder = await markHolder(ctx.db, ctx.guildId, choice.roleId);
      return fail({ kind: "mark_taken", roleId: choice.roleId, holder: holder?.name ?? null });
    }
    throw error;
  }
  const { m } = ctx;
  const uses = maxUses.value === 0 ? m.t("create.unlimited_uses") : m.t("create.uses", { count: maxUses.value });
  const expiry = maxAge.value === 0 ? m.t("create.never_expires") : m.t("create.expires", { at: Math.floor(Date.parse(invite.expires_at ?? "") / 1000) });
  const source = escapeMarkdown(name.value.name);
  const note = choice.kind === "marked" ? markNote(choice.roleId, choice.madeNow, m) : unmarkedNote(choice.reason, m);
  return ok({ content: `${m.t("create.done", { source, url: `https://discord.gg/${invite.code}`, uses, expiry })}${createdNote(status, source, m)}${note}` });
}

/** A role made for an invite that was not kept is deleted again: it would mark nothing. */
async function takeBackRole(ctx: CommandContext, choice: MarkChoice) {
  if (choice.kind === "marked" && choice.madeNow) await discordRoles.delete(ctx.rest, ctx.guildId, choice.roleId, "Its invite could not be made");
}
