import { describe, expect, it } from "vitest";
import { forgetReport } from "../../worker/format/forget";
import { english } from "../../worker/i18n/messages";

const U = "200000000000000001";

describe("forgetReport", () => {
  it.each([
    ["nothing kept", {}, "**Removed:** nothing else: I kept no joins, invitations or bonuses of theirs."],
    ["one join", { "invite_joins.user_id": 1 }, "**Removed:** 1 join row (where they came from)."],
    ["counts in the plural, zero left out", { "invite_joins.user_id": 2, "exact_checks.user_id": 0, "inviter_bonuses.user_id": 3 }, "**Removed:** 2 join rows (where they came from); 3 invite-count bonuses given to them."],
    ["an invitation they spent", { "invitations.invited_id": 1 }, "**Removed:** them from 1 invitation they joined with."],
  ])("%s", (_label, erased, removed) => {
    const report = forgetReport(U, erased, english());
    expect(report).toContain(`Forgot <@${U}> in this server.`);
    expect(report).toContain(removed);
    expect(report).toContain("**Kept:** the join counts in `/invite stats`, as anonymous numbers");
  });
});
