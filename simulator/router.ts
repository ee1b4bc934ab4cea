/**
 * A tiny path-template router. Templates use the spec's syntax
 * ("/guilds/{guild_id}/invites") so a matched route names its OpenAPI operation.
 */
export interface JsonResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON (Cloudflare's error pages), sent as is instead of `body`. */
  raw?: { contentType: string; text: string };
}

export interface RequestContext {
  method: string;
  /** Path relative to the mount point (e.g. without /api/v10). */
  path: string;
  query: URLSearchParams;
  body: unknown;
  params: Record<string, string>;
  /** Files of a multipart/form-data request (`files[n]` fields), in order. */
  files: UploadedFile[];
  /** The Authorization header, for routes that take more than a bot token (a user's Bearer token). */
  authorization?: string;
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  template: string;
  /** Bot endpoints need "Authorization: Bot <token>"; interaction webhooks need none. */
  auth: "bot" | "none";
  /** Documented in Discord's OpenAPI spec (members-search is not): request bodies are checked against it. */
  inSpec: boolean;
  /** The path parameter that splits rate-limit buckets (Discord's "major parameter"). */
  major?: string;
  handler: (ctx: RequestContext) => JsonResponse | Promise<JsonResponse>;
}

export type Match = { route: Route; params: Record<string, string> } | { route: undefined; pathKnown: boolean };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  let pathKnown = false;
  for (const route of routes) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    pathKnown = true;
    if (route.method === method) return { route, params };
  }
  return { route: undefined, pathKnown };
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    if (part.startsWith("{")) params[part.slice(1, -1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

export const json = (body: unknown, status = 200): JsonResponse => ({ status, body });
export const noContent = (): JsonResponse => ({ status: 204 });
