import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { messages } from "../discord/messages";
import type { DiscordRest } from "../discord/rest";
import { logInfo } from "../log";
import { invitationLink } from "./code";
import { DM_ATTEMPTS, handleDmFailure, invitationDm } from "./dm";
import { guildFace } from "./landing";
import type { Messages } from "../i18n/messages";
import { serverMessages } from "../i18n/server-locale";

/**
 * DMs per cron run, the pause between them (two requests each, so about 20
 * requests a second at most, well under Discord's 50 per second for a bot),
 * and the time one run may spend on them: the rest waits for the next run.
 */
export const NOTIFY_DEFAULTS = { limit: 100, pauseMs: 100, budgetMs: 10_000 };

export interface NotifyOptions {
  limit?: number;
  pauseMs?: number;
  budgetMs?: number;
  /** Only this guild's invitations. */
  guildId?: string;
}

export interface NotifyResult {
  sent: number;
  closed: number;
  /** DMs Discord refused for another reason: counted on the invitation, tried again on a later run up to DM_ATTEMPTS. */
  failed: number;
  /** Stopped early: Discord rate-limited or failed; the rest waits for the next run. */
  stopped: boolean;
}

/** Invitations whose owner has not had their link yet (and still can use it), unless Discord refused it DM_ATTEMPTS times. */
// An invitation whose inviter was forgotten (/invite forget) has nobody to send it to.
export const notifyDue = (now: Date) => sql`notified_at is null and dm_closed_at is null and spent_at is null and revoked_at is null
       and inviter_id is not null and dm_failures < ${DM_ATTEMPTS} and (expires_at is null or expires_at > ${now.toISOString()}::timestamptz)`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends each new invitation's link to its owner. A member whose DMs are
 * closed keeps the invitation (they see it in /invitations mine); that is
 * recorded and not tried again. Any other refusal is counted on the
 * invitation and the run goes on; invitations refused before come last.
 */
export async function notifyInvitations(db: Db, rest: DiscordRest, publicUrl: string, now: Date, options: NotifyOptions = {}): Promise<NotifyResult> {
  const { limit, pauseMs, budgetMs } = { ...NOTIFY_DEFAULTS, ...options };
  const started = Date.now();
  const due = await db.execute<{ id: number; guild_id: string; inviter_id: string; code: string; expires_at: string | null }>(sql`
    select id, guild_id, inviter_id, code, expires_at from invitations
     where ${notifyDue(now)}
       ${options.guildId === undefined ? sql`` : sql`and guild_id = ${options.guildId}`}
     order by dm_failures, id limit ${limit}`);
  const result: NotifyResult = { sent: 0, closed: 0, failed: 0, stopped: false };
  const faces = new Map<string, Promise<{ name: string | null }>>();
  // The DM is the server's word: in the server's language.
  const languages = new Map<string, Promise<Messages>>();
  for (const [i, row] of due.rows.entries()) {
    if (Date.now() - started > budgetMs) {
      result.stopped = true;
      break;
    }
    if (i > 0) await sleep(pauseMs);
    if (!faces.has(row.guild_id)) faces.set(row.guild_id, guildFace(rest, row.guild_id));
    const server = (await faces.get(row.guild_id)!).name;
    if (!languages.has(row.guild_id)) languages.set(row.guild_id, serverMessages(db, row.guild_id));
    const sent = await messages.dm(rest, row.inviter_id, {
      content: invitationDm(server, invitationLink(publicUrl, row.code), row.expires_at ? new Date(row.expires_at) : null, await languages.get(row.guild_id)!),
      allowed_mentions: { parse: [] },
    });
    if (sent.ok) {
      await db.execute(sql`update invitations set notified_at = ${new Date().toISOString()}::timestamptz where id = ${row.id}`);
      result.sent++;
      continue;
    }
    const handling = handleDmFailure(sent.error);
    switch (handling) {
      case "closed":
        await db.execute(sql`update invitations set dm_closed_at = ${new Date().toISOString()}::timestamptz where id = ${row.id}`);
        result.closed++;
        break;
      case "failed":
      case "failed_and_stop":
        await db.execute(sql`update invitations set dm_failures = dm_failures + 1 where id = ${row.id}`);
        result.failed++;
        logInfo("invitation DM refused; counted on the invitation", { error: sent.error, invitation: row.id, guild: row.guild_id });
        break;
      case "stop":
        break;
    }
    if (handling === "stop" || handling === "failed_and_stop") {
      logInfo("invitation DMs paused: Discord is unavailable", { error: sent.error, invitation: row.id });
      result.stopped = true;
      break;
    }
  }
  return result;
}
