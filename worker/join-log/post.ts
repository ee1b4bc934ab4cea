import { sql } from "drizzle-orm";
import type { JoinLogSettings } from "../../schema";
import type { Queryable } from "../db";
import { messages } from "../discord/messages";
import type { DiscordRest } from "../discord/rest";
import { escapeMarkdown } from "../format/text";
import { inviterCertain, inviterOf, snowflakeTime, totalInvites, type CountPolicy } from "../inviters/counts";
import { inviterCounts } from "../inviters/store";
import { logError } from "../log";
import { joinKind } from "../store/join-kind";
import { defaultJoinMessage, defaultLeaveMessage, describeAge, renderTemplate, type TemplateValues } from "./template";
import type { Messages } from "../i18n/messages";
import { serverMessages } from "../i18n/server-locale";

export interface JoinFacts {
  joinId: number;
  userId: string;
  joinedAt: Date;
  method: string;
  /** Through one of the guild's vanity codes, however resolved (join_kind()). */
  vanity: boolean;
  inviteCode: string | null;
  sourceId: number | null;
  sourceName: string | null;
  inviterId: string | null;
}

/** A member's join (the one at `joinedAt`, or their latest) with what the log needs. */
export async function joinFacts(db: Queryable, guildId: string, userId: string, botUserId: string, joinedAt: Date | null): Promise<JoinFacts | null> {
  const at = joinedAt === null ? sql`` : sql`and j.joined_at = ${joinedAt.toISOString()}::timestamptz`;
  const result = await db.execute<{
    id: number;
    joined_at: string;
    method: string;
    vanity: boolean;
    invite_code: string | null;
    source_id: number | null;
    source_name: string | null;
    invitation_inviter: string | null;
    invite_inviter: string | null;
    candidates_inviter_id: string | null;
  }>(sql`
    select j.id, j.joined_at, j.method, ${joinKind("j")} = 'vanity' as vanity, j.invite_code, j.source_id, s.name as source_name,
           inv.inviter_id as invitation_inviter, i.inviter_id as invite_inviter, j.candidates_inviter_id
      from invite_joins j
      left join invite_sources s on s.id = j.source_id
      left join invitations inv on inv.id = j.invitation_id
      left join invites i on i.code = j.invite_code
     where j.guild_id = ${guildId} and j.user_id = ${userId} ${at}
     order by j.joined_at desc limit 1`);
  const row = result.rows[0];
  if (!row) return null;
  return {
    joinId: Number(row.id),
    userId,
    joinedAt: new Date(row.joined_at),
    method: row.method,
    vanity: row.vanity,
    inviteCode: row.invite_code,
    sourceId: row.source_id,
    sourceName: row.source_name,
    inviterId: inviterCertain({ method: row.method, candidatesInviterId: row.candidates_inviter_id })
      ? inviterOf({ invitationInviterId: row.invitation_inviter, inviteInviterId: row.invite_inviter, candidatesInviterId: row.candidates_inviter_id }, botUserId)
      : null,
  };
}

/** The placeholders' values for one join; an unresolved join says plainly that the bot does not know. */
export function templateValues(facts: JoinFacts, invites: number | null, m: Messages): TemplateValues {
  const unresolved = facts.method === "unresolved";
  const source = unresolved
    ? m.t("join_log.unknown_invite")
    : facts.sourceName !== null
      ? escapeMarkdown(facts.sourceName)
      : facts.vanity
        ? m.t("join_log.vanity_url")
        : m.t("join_log.unlabelled_invite");
  return {
    member: `<@${facts.userId}>`,
    inviter: facts.inviterId !== null ? `<@${facts.inviterId}>` : unresolved ? m.t("join_log.inviter_unresolved") : m.t("join_log.inviter_nobody"),
    source,
    code: facts.inviteCode !== null ? `\`${facts.inviteCode}\`` : m.t("join_log.code_unknown"),
    invites: invites === null ? m.t("join_log.invites_none") : m.number(invites),
    account_age: describeAge(facts.joinedAt.getTime() - snowflakeTime(facts.userId), m),
  };
}

/**
 * Posts the join or leave message for a join, once: the claim row is taken
 * first, so a verdict written twice posts nothing the second time. Mentions
 * may ping only the member and the inviter, whatever the template says.
 */
export async function postJoinLog(
  db: Queryable,
  rest: DiscordRest,
  settings: JoinLogSettings,
  facts: JoinFacts,
  kind: "join" | "leave",
  policy: CountPolicy & { botUserId: string },
): Promise<boolean> {
  if (!settings.joinLogChannelId) return false;
  // A join queued for the raid summary (join-log/summary.ts) gets no line of its own.
  const claimed = await db.execute(sql`
    insert into join_log_posts (join_id, kind) select ${facts.joinId}, ${kind}
     where ${kind} = 'leave' or not exists (select 1 from join_log_posts where join_id = ${facts.joinId} and kind in ('queued', 'summed'))
    on conflict do nothing returning join_id`);
  if (claimed.rows.length === 0) return false;
  const invites =
    facts.inviterId === null
      ? null
      : totalInvites(await inviterCounts(db, { guildId: settings.guildId, botUserId: policy.botUserId, policy, since: null, until: null, now: new Date() }, facts.inviterId));
  // A public post: in the server's language (a template the admins wrote stays as written).
  const m = await serverMessages(db, settings.guildId);
  const template = kind === "join" ? (settings.joinMessage ?? defaultJoinMessage(m)) : (settings.leaveMessage ?? defaultLeaveMessage(m));
  const users = [...new Set([facts.userId, ...(facts.inviterId ? [facts.inviterId] : [])])];
  const posted = await messages.post(rest, settings.guildId, settings.joinLogChannelId, {
    content: renderTemplate(template, templateValues(facts, invites, m)),
    allowed_mentions: { parse: [], users },
  });
  if (!posted.ok) logError("could not post to the join log", posted.error, { guild: settings.guildId, channel: settings.joinLogChannelId, kind });
  return posted.ok;
}
