import type { TimelineJoin } from "../attribution";
import type { MemberUpdate } from "../relay/event";
import type { GuildStorage } from "./storage";

/**
 * A GUILD_MEMBER_UPDATE (a name or avatar changed, or the join's own update
 * seconds after it): the member's join the timeline still holds carries the new
 * profile, so a verdict written later (or revised) writes it, not the older one.
 * Unless that join is still waiting for its first verdict (its row does not exist
 * yet), the profile also goes to Postgres on its own.
 */
export function applyMemberUpdate(store: GuildStorage, join: TimelineJoin | null, event: MemberUpdate & { id: string }) {
  const meta = join && store.joinMeta(join.eventId);
  if (join && meta) store.updateJoinMeta(join.eventId, { ...meta, profile: event.profile });
  if (!join || !meta || join.emitted) store.enqueue({ kind: "member_profile", guildId: event.guildId, userId: event.userId, profile: event.profile });
}
