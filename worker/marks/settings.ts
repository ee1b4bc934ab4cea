import { MARKS_CHOICES } from "../commands/definitions";
import { fail, ok, type Outcome } from "../commands/failures";
import type { SubcommandCall } from "../commands/options";
import type { Messages } from "../i18n/messages";

/** `/invite settings marks:keep|remove`: whether to remove the bot's marks; undefined when left out. */
export function readMarksOption(call: SubcommandCall): Outcome<boolean | undefined> {
  if (!call.options.has("marks")) return ok(undefined);
  const value = call.options.get("marks");
  if (!MARKS_CHOICES.some((c) => c === value)) return fail({ kind: "invalid_option", option: "marks", expected: { key: "expected.keep_or_remove" } });
  return ok(value === "remove");
}

/** The setting in force, as `/invite settings` shows it. */
export const marksEmbed = (removeMarks: boolean, m: Messages) => ({
  title: m.t("marks_settings.title"),
  description: removeMarks ? m.t("marks_settings.remove") : m.t("marks_settings.keep"),
});
