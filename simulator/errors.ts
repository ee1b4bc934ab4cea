/**
 * Discord's error bodies. Handlers throw DiscordError; the server turns it into
 * the response, so every failure path answers with Discord's exact JSON.
 */
export class DiscordError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string; code: number; errors?: FormErrors },
  ) {
    super(body.message);
  }
}

/** Discord's nested form errors: { field: { _errors: [{ code, message }] } }, nesting by path. */
export type FormErrors = { [key: string]: FormErrors | FieldError[] };
export interface FieldError {
  code: string;
  message: string;
}

const error = (status: number, code: number, message: string) => new DiscordError(status, { message, code });

export const unauthorized = () => error(401, 0, "401: Unauthorized");
export const routeNotFound = () => error(404, 0, "404: Not Found");
export const methodNotAllowed = () => error(405, 0, "405: Method Not Allowed");
export const unknownChannel = () => error(404, 10003, "Unknown Channel");
export const unknownGuild = () => error(404, 10004, "Unknown Guild");
export const unknownInvite = () => error(404, 10006, "Unknown Invite");
export const unknownMember = () => error(404, 10007, "Unknown Member");
export const unknownMessage = () => error(404, 10008, "Unknown Message");
export const unknownRole = () => error(404, 10011, "Unknown Role");
export const unknownUser = () => error(404, 10013, "Unknown User");
/** What Discord answers a bot on endpoints kept for users, such as members-search when it refuses. */
export const botsCannotUseEndpoint = () => error(403, 20001, "Bots cannot use this endpoint");
export const maxRoles = () => error(400, 30005, "Maximum number of guild roles reached (250)");
export const maxInvites = () => error(400, 30016, "Maximum number of invites reached (1000)");
export const missingAccess = () => error(403, 50001, "Missing Access");
export const cannotSendInNonText = () => error(400, 50008, "Cannot send messages in a non-text channel");
export const missingPermissions = () => error(403, 50013, "Missing Permissions");
export const entityTooLarge = () => error(413, 40005, "Request entity too large");
export const emptyMessage = () => error(400, 50006, "Cannot send an empty message");
export const cannotMessageUser = () => error(403, 50007, "Cannot send messages to this user");
export const cannotEditOthersMessage = () => error(403, 50005, "Cannot edit a message authored by another user");
export const invalidJson = () => error(400, 50109, "The request body contains invalid JSON.");

/** 400 "Invalid Form Body" (50035). `fields` maps a path such as "0.options.1.name" to its errors. */
export function invalidForm(fields: Record<string, FieldError[]>): DiscordError {
  const errors: FormErrors = {};
  for (const [path, fieldErrors] of Object.entries(fields)) {
    let node = errors;
    for (const key of path.split(".").filter(Boolean)) node = (node[key] ??= {}) as FormErrors;
    node._errors = fieldErrors;
  }
  return new DiscordError(400, { message: "Invalid Form Body", code: 50035, errors });
}

/** The field errors Discord gives for integers out of range. */
export const numberTooBig = (max: number): FieldError => ({
  code: "NUMBER_TYPE_MAX",
  message: `int value should be less than or equal to ${max}.`,
});
export const numberTooSmall = (min: number): FieldError => ({
  code: "NUMBER_TYPE_MIN",
  message: `int value should be greater than or equal to ${min}.`,
});
export const notAnInteger = (): FieldError => ({ code: "NUMBER_TYPE_COERCE", message: "Value is not int." });
export const unknownRoleField = (id: string): FieldError => ({ code: "INVALID_ROLE", message: `Role ${id} does not exist.` });
