/**
 * Turns JSON Schema violations into Discord's 400 "Invalid Form Body" (50035),
 * with Discord's field paths ("0.options.1.name") and error codes.
 */
import type { ErrorObject } from "./spec-validation";
import { invalidForm, type DiscordError, type FieldError } from "./errors";

function fieldError(e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { code: "BASE_TYPE_REQUIRED", message: "This field is required" };
    case "maximum":
      return { code: "NUMBER_TYPE_MAX", message: `int value should be less than or equal to ${p.limit}.` };
    case "minimum":
      return { code: "NUMBER_TYPE_MIN", message: `int value should be greater than or equal to ${p.limit}.` };
    case "maxLength":
      return { code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${p.limit} or fewer in length.` };
    case "minLength":
      return { code: "BASE_TYPE_MIN_LENGTH", message: `Must be ${p.limit} or more in length.` };
    case "maxItems":
      return { code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${p.limit} or fewer in length.` };
    case "enum":
    case "const":
      return { code: "BASE_TYPE_CHOICES", message: "Value must be one of the allowed choices." };
    case "type":
      return String(p.type).includes("integer")
        ? { code: "NUMBER_TYPE_COERCE", message: "Value is not int." }
        : { code: "BASE_TYPE_INVALID", message: `Must be of type ${String(p.type)}.` };
    default:
      return { code: "BASE_TYPE_INVALID", message: e.message ?? "Invalid value." };
  }
}

/** Field path of an error: the instance path, plus the missing property for "required". */
function fieldPath(e: ErrorObject): string {
  const base = e.instancePath.split("/").filter(Boolean).join(".");
  const missing = e.keyword === "required" ? String((e.params as { missingProperty: string }).missingProperty) : "";
  return [base, missing].filter(Boolean).join(".");
}

/**
 * One error per field (the first ajv reports); union keywords are skipped in
 * favour of the branch errors that explain them.
 */
export function formErrorFromSchema(issues: ErrorObject[]): DiscordError | undefined {
  const fields: Record<string, FieldError[]> = {};
  for (const issue of issues) {
    if (["oneOf", "anyOf", "allOf", "if"].includes(issue.keyword)) continue;
    fields[fieldPath(issue)] ??= [fieldError(issue)];
  }
  return issues.length > 0 ? invalidForm(Object.keys(fields).length ? fields : { "": [fieldError(issues[0]!)] }) : undefined;
}
