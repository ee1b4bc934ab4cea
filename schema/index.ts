export * from "./invite-sources";
export * from "./invites";
export * from "./invite-joins";
export * from "./join-daily-counts";
export * from "./members";
export * from "./waves";
export * from "./invitations";
export * from "./interaction-receipts";
