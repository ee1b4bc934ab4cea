import { describe, expect, it } from "vitest";
import { InvitationPage, MessagePage } from "../../worker/invitations/page/landing";

describe("landing page markup", () => {
  it.each([
    ["an invitation", () => InvitationPage({ view: { guildId: "1", guildName: "A <b>\"server\"</b>", guildIcon: null, inviterName: null, expiresAt: null }, action: "/i/x" })],
    ["a message", () => MessagePage({ kind: "unknown" })],
  ])("%s keeps its stylesheet as CSS, not HTML-escaped text", async (_, page) => {
    const html = String(await page());
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    expect(style).toContain('font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif');
    expect(style).not.toContain("&quot;");
  });

  it("still escapes what comes from outside", async () => {
    const html = String(await InvitationPage({ view: { guildId: "1", guildName: "</style><script>x</script>", guildIcon: null, inviterName: null, expiresAt: null }, action: "/i/x" }));
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;/style&gt;&lt;script&gt;");
  });
});
