import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../cron/retry-delay";

describe("retryDelaySeconds", () => {
  it.each<[string | undefined, number, number]>([
    ["30", 1, 30],
    ["30", 2, 60],
    ["30", 3, 120],
    ["30", 4, 240],
    ["30", 10, 900],
    ["0", 3, 0],
    ["5", 1, 5],
    [undefined, 1, 30],
    ["", 2, 60],
    ["soon", 1, 30],
    ["-4", 1, 30],
  ])("base %j after %i attempt(s): %i s", (configured, attempts, expected) => {
    expect(retryDelaySeconds(configured, attempts)).toBe(expected);
  });
});
