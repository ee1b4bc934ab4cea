import { describe, expect, it } from "vitest";
import { closeCodeMeaning, gatewayCloseLog, SHUTDOWN_CLOSE_CODE } from "../../relay/gateway-close.ts";

describe("gateway close logs", () => {
  it.each<[string, number, boolean, "info" | "warn", string]>([
    ["the relay's own close on stop", SHUTDOWN_CLOSE_CODE, true, "info", "gateway connection closed for shutdown; the session stays resumable"],
    ["the library closing to resume while running", SHUTDOWN_CLOSE_CODE, false, "warn", "gateway closed"],
    ["Discord closing while the relay stops", 4004, true, "warn", "gateway closed"],
    ["Discord timing the session out", 4009, false, "warn", "gateway closed"],
    ["a dropped connection", 1006, false, "warn", "gateway closed"],
  ])("%s: %i, stopping %s → %s", (_name, code, stopping, level, msg) => {
    expect(gatewayCloseLog(code, stopping)).toMatchObject({ level, msg, fields: { code } });
  });

  it.each([
    [4004, "authentication failed"],
    [4014, "disallowed intents"],
    [4009, "session timed out"],
    [1000, "normal closure"],
    [1006, "connection lost without a close frame"],
    [SHUTDOWN_CLOSE_CODE, "closed by the relay to resume"],
    [4999, "unknown code"],
  ])("close code %i means %s", (code, meaning) => {
    expect(closeCodeMeaning(code)).toBe(meaning);
  });
});
