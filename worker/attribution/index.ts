// The pure attribution module: no I/O, no clock; runs in the Durable Object and in Node.
export * from "./types";
export { applyEvents } from "./cache";
export { addFetch, addGap, addInviteEvents, addJoin, decide, emptyTimeline, type Decision, type Fetched, type Timeline } from "./timeline";
export { resolveByElimination } from "./groups";
export { naiveAttribute, type InviteCount } from "./naive";
export { toFreshInvite, type DiscordInviteLike } from "./normalise";
