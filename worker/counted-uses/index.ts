// Counted uses (pure): snapshots' increments as ledger rows, and a window's totals from them.
export * from "./ledger";
export * from "./totals";
export * from "./source-of";
export * from "./consistency";
