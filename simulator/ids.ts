/** Identifiers shaped like Discord's: snowflakes and invite codes. */
import { randomInt } from "node:crypto";

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A snowflake for `time`: milliseconds since Discord's epoch, worker/process 0, a 12-bit counter. */
export function snowflake(time = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return ((BigInt(time) - DISCORD_EPOCH) << 22n | increment).toString();
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Discord's generated invite codes are 8–10 alphanumeric characters. */
export function inviteCode(): string {
  const length = randomInt(8, 11);
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}
