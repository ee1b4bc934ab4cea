import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./local-stack-paths";

/**
 * Reads `.dev.vars` (KEY=VALUE lines, # comments, optional quotes) as wrangler
 * does, keeping only non-empty values: an empty line copied from the example
 * means "not configured".
 */
export function readDevVars(file = path.join(ROOT, ".dev.vars")): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const value = match[2]!.replace(/^(["'])(.*)\1$/, "$2");
    if (value) vars[match[1]!] = value;
  }
  return vars;
}
