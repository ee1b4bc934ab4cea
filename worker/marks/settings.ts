import type { CommandContext } from "../commands/context";
import { MARKS_CHOICES } from "../commands/definitions";
import { fail, ok, type Outcome } from "../commands/failures";

/** `/invite settings marks:keep|remove`: whether to remove the bot's marks; undefined when left out. */
export function readMarksOption(ctx: CommandContext): Outcome<boolean | undefined> {
  if (!ctx.call.options.has("marks")) return ok(undefined);
  const value = ctx.call.options.get("marks");
  if (!MARKS_CHOICES.some((c) => c === value)) return fail({ kind: "invalid_option", option: "marks", expected: "keep or remove" });
  return ok(value === "remove");
}

/** The setting in force, as `/invite settings` shows it. */
export const marksEmbed = (removeMarks: boolean) => ({
  title: "Marks",
  description: removeMarks
    ? "**remove**: once a join is named, I take the marks I made off the member (roles you chose stay)."
    : "**keep**: members keep the mark their invite gave them.",
});
