import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { fuzzCases, toRequest } from "../../bench/lib/signature-fuzz";

describe("signature fuzz through the real route (a sample; the full 10,000 run in Node)", () => {
  it("answers every authentic request and refuses every forged one with 401", async () => {
    const privateKey = await crypto.subtle.importKey("jwk", inject("discordPrivateKeyJwk") as unknown as JsonWebKey, { name: "Ed25519" }, false, ["sign"]);
    const other = (await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"])) as CryptoKeyPair;
    const cases = await fuzzCases(300, { privateKey, otherKey: other.privateKey }, Math.floor(Date.now() / 1000), 7);
    const wrong: string[] = [];
    for (const fuzz of cases) {
      const response = await exports.default.fetch(toRequest(fuzz));
      await response.body?.cancel();
      const accepted = response.status !== 401;
      if (accepted !== fuzz.authentic) wrong.push(`${fuzz.kind}: ${response.status}`);
      if (fuzz.authentic) expect(response.status).toBe(200);
    }
    expect(wrong).toEqual([]);
    expect(cases.filter((c) => c.authentic).length).toBeGreaterThan(10);
  });
});
