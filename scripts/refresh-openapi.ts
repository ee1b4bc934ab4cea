/**
 * Copies from Discord's official OpenAPI spec the operations the fake Discord
 * serves, plus every component they reference (transitively), into
 * simulator/openapi-subset.json. The project never reads ../shared at
 * run or test time (a user's clone has none), so the subset is committed.
 *
 *   npx tsx scripts/refresh-openapi.ts [path-to-full-spec]
 *
 * Default spec path: ../shared/discord-openapi.json relative to the repo root.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVED_OPERATIONS } from "../simulator/served-operations";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const specPath = path.resolve(repoRoot, process.argv[2] ?? "../shared/discord-openapi.json");
const outPath = path.join(repoRoot, "simulator/openapi-subset.json");

const spec = JSON.parse(fs.readFileSync(specPath, "utf8")) as JsonObject;
const info = spec.info as JsonObject;
const license = info.license as JsonObject | undefined;
if (license?.identifier !== "MIT" && license?.name !== "MIT") {
  throw new Error(`Spec license is no longer MIT (${JSON.stringify(license)}): review before copying it`);
}

const specPaths = spec.paths as Record<string, JsonObject>;
const paths: Record<string, JsonObject> = {};
for (const { method, path: p } of SERVED_OPERATIONS) {
  const item = specPaths[p];
  const op = item?.[method];
  if (!item || !op) throw new Error(`Spec has no ${method.toUpperCase()} ${p}`);
  paths[p] ??= item.parameters ? { parameters: item.parameters } : {};
  paths[p][method] = op;
}

// Resolve "#/components/<kind>/<name>" references until no new one appears.
const components: Record<string, JsonObject> = {};
const pending: Json[] = [paths];
const seen = new Set<string>();
while (pending.length > 0) {
  const node = pending.pop();
  if (Array.isArray(node)) pending.push(...node);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (seen.has(value)) continue;
        seen.add(value);
        const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(value);
        if (!match) throw new Error(`Unsupported $ref ${value}`);
        const [, kind, name] = match as unknown as [string, string, string];
        const target = ((spec.components as JsonObject)[kind] as JsonObject | undefined)?.[name];
        if (target === undefined) throw new Error(`Dangling $ref ${value}`);
        (components[kind] ??= {})[name] = target;
        pending.push(target);
      } else pending.push(value);
    }
  }
}
// Security requirements name schemes rather than $ref them.
components.securitySchemes = (spec.components as JsonObject).securitySchemes as JsonObject;

const sortKeys = (o: Record<string, JsonObject>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const subset = {
  openapi: spec.openapi,
  info,
  "x-license-notice": [
    "The OpenAPI data in this file is an extract of Discord's official OpenAPI specification",
    "(https://github.com/discord/discord-api-spec; its info.license: MIT), licensed as follows:",
    "",
    "MIT License",
    "",
    "Copyright (c) Discord Inc.",
    "",
    'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:',
    "",
    "The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.",
    "",
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
  ].join("\n"),
  "x-generated-by": "scripts/refresh-openapi.ts (do not edit by hand)",
  servers: spec.servers,
  paths: sortKeys(paths),
  components: Object.fromEntries(
    Object.entries(components)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, entries]) => [kind, sortKeys(entries as Record<string, JsonObject>)]),
  ),
};

fs.writeFileSync(outPath, JSON.stringify(subset, null, 2) + "\n");
const schemaCount = Object.keys(components.schemas ?? {}).length;
console.log(`Wrote ${path.relative(repoRoot, outPath)}: ${SERVED_OPERATIONS.length} operations, ${schemaCount} schemas`);
