/**
 * Checks JSON against Discord's official OpenAPI spec (the committed extract
 * in openapi-subset.json; OpenAPI 3.1, i.e. JSON Schema draft 2020-12).
 *
 * Exports (each returns a list of human-readable errors; empty = valid):
 *
 *   validateRequestBody(method, openapiPath, body): string[]
 *     e.g. validateRequestBody("put", "/applications/{application_id}/commands", commands)
 *     checks a request body (application/json) as Discord would receive it.
 *
 *   validateResponse(method, openapiPath, status, body): string[]
 *     checks a response body against the schema for that status (exact code,
 *     else "4XX"-style range, else "default").
 *
 *   validateComponent(schemaName, value): string[]
 *     checks a value against components.schemas[schemaName], e.g. "GuildMemberResponse".
 *
 * `openapiPath` is the spec's path template (e.g. "/invites/{code}"), `method`
 * is case-insensitive. An operation absent from the subset throws: add it to
 * served-operations.ts and run `npx tsx scripts/refresh-openapi.ts`.
 *
 * Request bodies get Discord's documented leniency (int-parseable strings pass
 * for integer fields); responses are checked strictly. Node only: ajv compiles
 * validators with `new Function`, which workerd forbids.
 */
import Ajv2020Import from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormatsImport from "ajv-formats";
import subset from "./openapi-subset.json" with { type: "json" };

// ajv and ajv-formats are CommonJS; under ESM their default export is the module object.
const Ajv2020 = (Ajv2020Import as unknown as { default?: typeof Ajv2020Import }).default ?? Ajv2020Import;
const addFormats = (addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ?? addFormatsImport;

const DOC_ID = "discord-openapi-subset";
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function newAjv() {
  // strict: false because the spec carries OpenAPI-only keywords (x-discord-union, etc.).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv, ["date-time", "uri"]);
  ajv.addFormat("snowflake", /^(0|[1-9][0-9]*)$/);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat("nonce", /^.{0,25}$/);
  return ajv;
}

/**
 * Discord's spec README: "Our API accepts strings for int fields if they are parseable
 * as ints" (e.g. default_member_permissions is an integer in the spec, a string in the
 * docs). Requests are therefore checked against a copy where every integer also admits
 * an int-parseable string (limited to the allowed values when the integer is an enum).
 */
function acceptIntegerStrings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(acceptIntegerStrings);
  if (!node || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, acceptIntegerStrings(v)])) as Record<string, unknown>;
  const types = ([] as unknown[]).concat(copy.type ?? []);
  if (!types.includes("integer")) return copy;
  const allowed = (copy.enum as unknown[] | undefined) ?? ("const" in copy ? [copy.const] : undefined);
  const asString = allowed ? { type: "string", enum: allowed.map(String) } : { type: "string", pattern: "^-?[0-9]+$" };
  return { anyOf: [copy, asString] };
}

// Responses are what the fake itself sends: checked strictly. Requests get Discord's leniency.
const responseAjv = newAjv();
responseAjv.addSchema(subset as object, DOC_ID);
const requestAjv = newAjv();
requestAjv.addSchema(acceptIntegerStrings(subset) as object, DOC_ID);

const compiled = new Map<string, ValidateFunction>();

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

function validatorFor(ajv: typeof responseAjv, ref: string): ValidateFunction {
  const key = `${ajv === requestAjv ? "request" : "response"} ${ref}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile({ $ref: `${DOC_ID}#/${ref}` });
    compiled.set(key, fn);
  }
  return fn;
}

function operation(method: string, openapiPath: string): Record<string, unknown> {
  const paths = subset.paths as Record<string, Record<string, unknown>>;
  const op = paths[openapiPath]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method.toUpperCase()} ${openapiPath} is not in openapi-subset.json`);
  return op as Record<string, unknown>;
}

function check(ajv: typeof responseAjv, ref: string, value: unknown): ErrorObject[] {
  const fn = validatorFor(ajv, ref);
  return fn(value) ? [] : [...(fn.errors ?? [])];
}

const run = (ref: string, value: unknown): string[] => formatErrors(check(responseAjv, ref, value));

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

export type { ErrorObject };

export function validateRequestBody(method: string, openapiPath: string, body: unknown): string[] {
  const op = operation(method, openapiPath);
  const content = (op.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
  if (!content?.["application/json"]) return [`${method.toUpperCase()} ${openapiPath} takes no JSON body`];
  return formatErrors(requestBodyIssues(method, openapiPath, body));
}

/** The raw ajv errors behind validateRequestBody, for the fake to turn into Discord's form errors. */
export function requestBodyIssues(method: string, openapiPath: string, body: unknown): ErrorObject[] {
  const op = operation(method, openapiPath);
  if (!(op.requestBody as { content?: Record<string, unknown> } | undefined)?.content?.["application/json"]) return [];
  return check(requestAjv, pointer("paths", openapiPath, method.toLowerCase(), "requestBody", "content", "application/json", "schema"), body);
}

export function validateResponse(method: string, openapiPath: string, status: number, body: unknown): string[] {
  const op = operation(method, openapiPath);
  const responses = op.responses as Record<string, unknown>;
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
  if (!key) return [`status ${status} is not a documented response of ${method.toUpperCase()} ${openapiPath}`];
  let response = responses[key] as { $ref?: string; content?: Record<string, unknown> };
  let base = pointer("paths", openapiPath, method.toLowerCase(), "responses", key);
  if (response.$ref) {
    base = response.$ref.slice(2);
    const [, kind, name] = base.split("/");
    response = (subset.components as Record<string, Record<string, typeof response>>)[kind!]![name!]!;
  }
  if (!response.content?.["application/json"]) {
    return body === undefined || body === null || body === "" ? [] : [`status ${status} has no body in the spec`];
  }
  return run(`${base}/${pointer("content", "application/json", "schema")}`, body);
}

export function validateComponent(schemaName: string, value: unknown): string[] {
  if (!(schemaName in subset.components.schemas)) throw new Error(`No schema ${schemaName} in openapi-subset.json`);
  return run(pointer("components", "schemas", schemaName), value);
}
