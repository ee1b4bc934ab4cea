import { eq, sql } from "drizzle-orm";
import { invitations, type Invitation } from "../../schema";
import type { Db } from "../db";
import { invitationStatus } from "../invitations/store";

export type Claim = { ok: true } | { ok: false; status: "spent" | "revoked" | "expired" };

/**
 * Takes the invitation for `userId` until `until`, in one statement: only an
 * unspent, unrevoked, unexpired invitation that nobody else holds is taken.
 * Two browsers racing on it get one claim between them; the other hears it is
 * spent (a second tab of the same user too: its add would be a 204).
 */
export async function claimInvitation(db: Db, invitation: Invitation, userId: string, until: Date, now: Date): Promise<Claim> {
  const at = now.toISOString();
  const taken = await db.execute(sql`
    insert into invitation_claims (invitation_id, guild_id, user_id, claimed_until)
    select id, guild_id, ${userId}, ${until.toISOString()}::timestamptz from invitations
     where id = ${invitation.id} and spent_at is null and revoked_at is null and (expires_at is null or expires_at > ${at}::timestamptz)
    on conflict (invitation_id) do update set user_id = excluded.user_id, claimed_until = excluded.claimed_until
     where invitation_claims.claimed_until <= ${at}::timestamptz
    returning invitation_id`);
  if (taken.rows.length > 0) return { ok: true };
  const [current] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
  const status = current ? invitationStatus(current, now) : "revoked";
  // Held by someone else's add: as good as spent for this browser.
  return { ok: false, status: status === "unspent" ? "spent" : status };
}

/** Gives the invitation back after an add that did not happen (refused, or already a member). */
export async function releaseClaim(db: Db, invitationId: number, userId: string): Promise<void> {
  await db.execute(sql`delete from invitation_claims where invitation_id = ${invitationId} and user_id = ${userId}`);
}
