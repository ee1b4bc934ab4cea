/**
 * Rows the Durable Object owes Postgres. They are written to the object's own
 * storage in the same transaction as the state change that produced them, and
 * leave only after Postgres committed them: a restart or an outage loses nothing.
 */
export type OutboxItem =
  | {
      kind: "join";
      guildId: string;
      userId: string;
      joinedAt: number;
      didRejoin: boolean;
      method: "diff" | "vanity" | "exact" | "unresolved";
      inviteCode: string | null;
      invitationId: number | null;
      candidates: string[] | null;
      /** Set for unresolved joins of a group that elimination can settle later. */
      groupId: string | null;
    }
  | { kind: "member_left"; guildId: string; userId: string; leftAt: number }
  | {
      kind: "invite";
      guildId: string;
      code: string;
      channelId: string | null;
      inviterId: string | null;
      uses: number;
      maxUses: number;
      maxAge: number;
      createdAt: number;
      expiresAt: number | null;
      deletedAt: number | null;
    };
