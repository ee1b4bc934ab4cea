import { TransactionRollbackError } from "drizzle-orm";
import { escapeMarkdown } from "../../format/text";
import { attributeLatestUnresolved, eliminateInGroup } from "../../store/joins";
import { ensureSource, withSourceLock } from "../../store/sources";
import type { Reply } from "../../interactions/reply";
import type { CommandContext } from "../context";
import { fail, ok, type Outcome } from "../failures";
import { snowflakeOption } from "../options";
import { createdNote, sourceNameOption } from "./source-option";

/** /invite attribute: an admin who knows where a member came from settles their unresolved join. */
export async function attributeJoin(ctx: CommandContext): Promise<Outcome<Reply>> {
  const user = snowflakeOption(ctx.call, "user", { key: "expected.member" });
  if (!user.ok) return user;
  const name = sourceNameOption(ctx.call);
  if (!name.ok) return name;

  const result = await withSourceLock(ctx.db, ctx.guildId, name.value.key, async (tx) => {
    const ensured = await ensureSource(tx, ctx.guildId, name.value);
    const updated = await attributeLatestUnresolved(tx, ctx.guildId, user.value, ensured.source.id);
    // Without a join to attribute, a source created for it would be a stray: roll back.
    if (!updated) tx.rollback();
    const eliminated = updated?.group_id ? await eliminateInGroup(tx, ctx.guildId, updated.group_id) : null;
    return { status: ensured.status, eliminated };
  }).catch((error: unknown) => {
    if (error instanceof TransactionRollbackError) return null;
    throw error;
  });
  if (result === null) return fail({ kind: "no_unresolved_join", userId: user.value });
  const elimination = result.eliminated ? ` ${ctx.m.t("attribute.elimination", { userId: result.eliminated.userId, code: result.eliminated.code })}` : "";
  const source = escapeMarkdown(name.value.name);
  return ok({ content: `${ctx.m.t("attribute.done", { userId: user.value, source })}${createdNote(result.status, source, ctx.m)}${elimination}` });
}
