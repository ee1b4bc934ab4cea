import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { snowflakeTime } from "../../worker/inviters/counts";
import { accountCreatedAt } from "../../worker/inviters/store";
import { withDb } from "./support/db";

/** A snowflake minted at `ms` with the low bits set as given (worker, process, sequence). */
const idAt = (ms: number, low = 0n) => String((BigInt(ms - 1_420_070_400_000) << 22n) | low);

describe("accountCreatedAt (the fake-account check's creation time, in SQL)", () => {
  it("is the instant the previous numeric division gave, and the pure rule's, for edge and random snowflakes", async () => {
    const ids = [
      idAt(1_420_070_400_000),
      idAt(1_420_070_400_001, (1n << 22n) - 1n),
      idAt(Date.parse("2016-04-30T11:18:25.796Z")),
      idAt(Date.parse("2026-06-01T12:00:00.999Z"), 12345n),
      idAt(Date.parse("2083-12-31T23:59:59.999Z")),
      ...Array.from({ length: 200 }, (_, i) => idAt(1_420_070_400_000 + Math.floor(((i * 7919) % 200) * 1.05e10 + i * 997), BigInt(i * 4099) % (1n << 22n))),
    ];
    const rows = await withDb(async (db) =>
      (
        await db.execute<{ id: string; now: string; before: string }>(sql`
          select id, ${accountCreatedAt(sql`id`)} = to_timestamp(((id::bigint >> 22) + 1420070400000) / 1000.0) as same,
                 (extract(epoch from ${accountCreatedAt(sql`id`)}) * 1000)::bigint::text as ms
            from unnest(${`{${ids.join(",")}}`}::text[]) id`)
      ).rows as unknown as Array<{ id: string; same: boolean; ms: string }>,
    );
    expect(rows.filter((r) => !r.same)).toEqual([]);
    expect(rows.map((r) => Number(r.ms))).toEqual(ids.map(snowflakeTime));
  });
});
