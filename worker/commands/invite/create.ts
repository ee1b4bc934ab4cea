import { discordInvites, DiscordErrorCode } from "../../discord/invites";
import { saveInvite } from "../../store/invites";
import { setSourceRole } from "../../store/source-roles";
import { ensureSource, withSourceLock } from "../../store/sources";
import { requireGuildChannel } from "../channel-check";
import { assignableRoleOption } from "../role-check";
import { escapeMarkdown } from "../../format/text";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { LIMITS } from "../definitions";
import { fail, ok, type Outcome } from "../failures";
import { integerOption, snowflakeOption } from "../options";
import { createdNote, roleNote, sourceNameOption } from "./source-option";

/** /invite create: a real Discord invite, labelled with its source, in one step. */
export async function createInvite(ctx: CommandContext): Promise<Outcome<Reply>> {
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;
  const channel = ctx.call.options.has("channel") ? snowflakeOption(ctx.call, "channel", "a channel") : ok(undefined);
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

  const created = await discordInvites.create(
    ctx.rest,
    channelId.value,
    { maxUses: maxUses.value, maxAge: maxAge.value },
    `Invite source "${name.value.name}" created by ${ctx.userId}`,
  );
  if (!created.ok) {
    const error = created.error;
    if (error.kind === "discord" && error.code === DiscordErrorCode.UnknownChannel) return fail({ kind: "unknown_channel" });
    if (error.kind === "discord" && error.code === DiscordErrorCode.MaxInvites) return fail({ kind: "invite_limit_reached" });
    return fail({ kind: "discord", failure: error, action: "create the invite" });
  }
  const invite = created.value;

  let status: "existing" | "created" | "revived";
  try {
    status = await withSourceLock(ctx.db, ctx.guildId, name.value.key, async (tx) => {
      const ensured = await ensureSource(tx, ctx.guildId, name.value);
      await saveInvite(tx, ctx.guildId, invite, ensured.source.id);
      if (role.value !== null) await setSourceRole(tx, ctx.guildId, ensured.source.id, role.value);
      return ensured.status;
    });
  } catch (error) {
    // Nothing was written: take the Discord invite back so no unlabelled link is left behind.
    await discordInvites.delete(ctx.rest, invite.code, "Invite source could not be saved");
    throw error;
  }
  const limits = [
    maxUses.value === 0 ? "unlimited uses" : `${maxUses.value} use${maxUses.value === 1 ? "" : "s"}`,
    maxAge.value === 0 ? "never expires" : `expires <t:${Math.floor(Date.parse(invite.expires_at ?? "") / 1000)}:R>`,
  ].join(", ");
  return ok({
    content: `Invite for **${escapeMarkdown(name.value.name)}**: https://discord.gg/${invite.code} (${limits}).${createdNote(status, escapeMarkdown(name.value.name))}${roleNote(role.value)}`,
  });
}
