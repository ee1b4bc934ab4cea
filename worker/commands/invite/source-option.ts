import { normalizeSourceName, sourceNameKey } from "../../sources/names";
import type { SourceName } from "../../store/sources";
import { fail, ok, type Outcome } from "../failures";
import { stringOption, type SubcommandCall } from "../options";
import type { Messages } from "../../i18n/messages";

/** Reads the `source` option every /invite subcommand that names one uses: display name and key. */
export function sourceNameOption(call: SubcommandCall): Outcome<SourceName> {
  const raw = stringOption(call, "source");
  if (!raw.ok) return raw;
  const normalized = normalizeSourceName(raw.value);
  if (!normalized.ok) return fail({ kind: "invalid_source_name", problem: normalized.problem });
  return ok({ name: normalized.name, key: sourceNameKey(normalized.name) });
}

export const createdNote = (status: "existing" | "created" | "revived", name: string, m: Messages) =>
  status === "created" ? ` ${m.t("source.created", { name })}` : status === "revived" ? ` ${m.t("source.revived", { name })}` : "";
