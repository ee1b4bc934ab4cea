import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * User-facing English belongs in locales/en-US.json: a literal in worker/ that
 * reads like a sentence is a reply someone forgot to move. Logs, errors never
 * shown, SQL, audit-log reasons and the entries below are not user-facing.
 */
const ROOT = join(import.meta.dirname, "../../worker");

/**
 * Calls whose string arguments are for operators (logs, thrown errors), Discord's
 * audit log (an invite's or role's `reason`) or storage (SQL), never shown to a member.
 */
const NOT_SHOWN_CALLS = new Set(["logError", "logInfo", "Error", "create", "delete", "exec"]);

/** Machine-to-machine endpoints: the relay's API and the health probe answer programs, in English. */
const NOT_USER_FACING = [/^relay\//, /^routes\/(relay|health)\.ts$/];

/** Literals that look like sentences but are not text (file: literal). */
const ALLOWED = new Set<string>(["charts/fonts.ts: Inter, 'Noto Sans JP', 'Noto Sans KR', 'Noto Sans SC'"]);

/** Text that reads as a sentence: three words, and a capital start or a closing stop. */
const looksLikeSentence = (text: string) => {
  const words = text.replace(/\$\{[^}]*\}/g, " ").trim();
  if (!/[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}/.test(words)) return false;
  return /^[A-Z][a-z]/.test(words) || /[a-z][.!?]$/.test(words) || /[a-z]{2,} [a-z]{2,} [a-z]{2,} [a-z]{2,}/.test(words);
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

function calleeName(node: ts.Node): string | null {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = node.expression;
    if (ts.isIdentifier(callee)) return callee.text;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  }
  return null;
}

/** Inside a call that never reaches a reader, a tagged template (SQL), or an import. */
function notShown(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const name = calleeName(n);
    if (name !== null && NOT_SHOWN_CALLS.has(name)) return true;
    if (ts.isTaggedTemplateExpression(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return true;
  }
  return false;
}

export function englishLiterals(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = node.getText(file).slice(1, -1);
    else if (ts.isJsxText(node)) text = node.text.trim();
    if (text !== null && looksLikeSentence(text) && !notShown(node) && !ALLOWED.has(`${relative(ROOT, path)}: ${text}`)) found.push(text);
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("user-facing English lives in locales/en-US.json", () => {
  const scanned = files(ROOT).filter((f) => !NOT_USER_FACING.some((pattern) => pattern.test(relative(ROOT, f))));
  it.each(scanned.map((f) => [relative(ROOT, f), f]))("%s has no English sentence", (_, path) => {
    expect(englishLiterals(path, readFileSync(path, "utf8"))).toEqual([]);
  });

  it.each([
    ["a reply", 'const r = { content: "Something went wrong on my side." };', 1],
    ["a template reply", "const r = `Retired ${name}: deleted ${n} invites.`;", 1],
    ["JSX text", "const p = <p>This invitation does not expire.</p>;", 1],
    ["a log line", 'logError("could not post to the join log", error);', 0],
    ["SQL", "const q = sql`select count(*) from invite_joins where guild_id = ${id}`;", 0],
    ["a catalog key", 'm.t("failure.not_in_guild");', 0],
    ["a custom_id", "const id = `raid:list:${alertId}:${page}:${from}`;", 0],
  ])("the scan finds %s", (_, source, count) => {
    expect(englishLiterals("probe.tsx", source)).toHaveLength(count);
  });
});
