import { normalizeSourceName } from "../../sources/names";
import { fail, ok, type Outcome } from "../failures";
import { stringOption, type SubcommandCall } from "../options";

/** Reads and normalises the `source` option every /invite subcommand that names one uses. */
export function sourceNameOption(call: SubcommandCall): Outcome<string> {
  const raw = stringOption(call, "source");
  if (!raw.ok) return raw;
  const normalized = normalizeSourceName(raw.value);
  return normalized.ok ? ok(normalized.name) : fail({ kind: "invalid_source_name", problem: normalized.problem });
}

export const createdNote = (status: "existing" | "created" | "revived", name: string) =>
  status === "created" ? ` New source **${name}** created.` : status === "revived" ? ` Source **${name}** is active again.` : "";
