import { describe, expect, it } from "vitest";
import { signatureFuzz } from "../../bench/lib/signature-fuzz";

describe("signature fuzz (the Worker's verifier, in Node)", () => {
  it("accepts all 1,000-odd authentic requests of 10,000 and not one forged one", async () => {
    const result = await signatureFuzz(10_000);
    expect(result.tried).toBe(10_000);
    expect(result.forged_accepted_by_kind).toEqual({});
    expect(result.accepted_forged).toBe(0);
    expect(result.rejected_authentic).toBe(0);
  });
});
