/**
 * The fake Discord: a stateful node:http server speaking Discord's REST API
 * under /api/v10 (checked against Discord's OpenAPI spec), a gateway at
 * /gateway (WebSocket; every state change is dispatched to the connected bot)
 * and a control API under /_fake for tests and the simulator. Listens on
 * 127.0.0.1 only. As slow as Discord by default (simulator/behaviour.ts): REST
 * answers take 40–300 ms and read the state somewhere inside that time;
 * dispatches arrive 50–1,000 ms late, now and then seconds late, in order.
 *
 *   const discord = await startFakeDiscord();
 *   // DISCORD_API_BASE = discord.apiBase; drive it via discord.state or POST `${discord.origin}/_fake/...`
 *   await discord.close();
 */
import http, { STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { NO_LATENCY, parseBehaviour, type Behaviour, type Latency } from "./behaviour";
import { startDelivery } from "./delivery";
import { DiscordError, invalidJson, methodNotAllowed, missingAccess, routeNotFound, unauthorized } from "./errors";
import { formErrorFromSchema } from "./form-errors";
import { RateLimiter, type BucketConfig } from "./rate-limit";
import { RequestLog } from "./request-log";
import { matchRoute, type JsonResponse, type Route } from "./router";
import { commandRoutes } from "./routes/commands";
import { controlRoutes } from "./routes/control";
import { guildRoutes } from "./routes/guilds";
import { interactionRoutes } from "./routes/interactions";
import { inviteRoutes } from "./routes/invites";
import { membersSearchRoutes } from "./routes/members-search";
import { messageRoutes } from "./routes/messages";
import { requestBodyIssues } from "./spec-validation";
import type { UploadedFile } from "./router";
import { FakeDiscordState, type Dispatch, type FakeUser } from "./state";
import { attachGateway, GATEWAY_PATH, type Gateway } from "./gateway";
import { guildCreateJson, userJson } from "./objects";
import { gatewayRoutes } from "./routes/gateway";
import { consentPage, FakeOAuth } from "./oauth";

export { FakeDiscordState } from "./state";

export interface FakeDiscordOptions {
  port?: number;
  /** Rate-limit buckets per route, keyed "METHOD /template" (e.g. "POST /channels/{channel_id}/invites"). */
  buckets?: Record<string, BucketConfig>;
  /** The identity behind any bot token. */
  botUser?: Partial<FakeUser>;
  /** Clock for invite expiry and rate-limit windows. */
  now?: () => number;
  /** The gateway's HELLO heartbeat interval (Discord's is about 41 s). */
  heartbeatIntervalMs?: number;
  /** GET /gateway/bot's max_concurrency: shards that may IDENTIFY in the same 5 s (1 unless Discord raised it for a large bot). */
  maxConcurrency?: number;
  /**
   * Discord's timing for every guild (the keys of PATCH /_fake/behaviour):
   * realistic when left out, overridden key by key, or `false` for none.
   */
  latency?: Partial<Latency> | false;
  /** "refuse": members-search answers 403 code 20001 unless a guild's behaviour says otherwise. */
  memberSearch?: Behaviour["member_search"];
  /** Seeds the one PRNG behind latencies, stragglers and mixed joins, so a run can be replayed. */
  seed?: number;
  /** The application's OAuth2 client secret (default FAKE_CLIENT_SECRET). */
  clientSecret?: string;
}

export interface FakeDiscord {
  /** e.g. http://127.0.0.1:PORT/api/v10 */
  apiBase: string;
  /** e.g. http://127.0.0.1:PORT (control API at `${origin}/_fake/...`) */
  origin: string;
  state: FakeDiscordState;
  /** OAuth2: codes, tokens, bans; `${origin}/oauth2/authorize` is its consent page. */
  oauth: FakeOAuth;
  requests: RequestLog;
  limiter: RateLimiter;
  /** The gateway the relay connects to (URL from GET /gateway/bot). */
  gateway: Gateway;
  /** The PRNG's seed: pass it back as `seed` to replay this run's chance. */
  seed: number;
  close(): Promise<void>;
}

const API_PREFIX = "/api/v10";
const CONTROL_PREFIX = "/_fake";

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const now = options.now ?? Date.now;
  const behaviour = parseBehaviour({
    ...(options.latency === false ? NO_LATENCY : options.latency),
    ...(options.memberSearch ? { member_search: options.memberSearch } : {}),
  });
  const state = new FakeDiscordState({ botUser: options.botUser, behaviour, seed: options.seed }, now);
  const limiter = new RateLimiter(options.buckets, now);
  const requests = new RequestLog();
  const oauth = new FakeOAuth(state, options.clientSecret);
  let wsUrl = "";
  const apiRoutes: Route[] = [
    // `gateway` is attached below, once the HTTP server exists; no request arrives before.
    ...gatewayRoutes(() => gateway.gatewayBot()),
    ...inviteRoutes(state),
    ...guildRoutes(state),
    ...membersSearchRoutes(state),
    ...messageRoutes(state),
    ...interactionRoutes(state),
    ...commandRoutes(state),
    ...oauth.routes(),
  ];
  const fakeRoutes = controlRoutes(state, limiter, requests, oauth);
  const timing: ApiTiming = {
    now,
    // The guild a request concerns decides how slow it is.
    split: (params) => {
      const guildId = params.guild_id ?? state.channels.get(params.channel_id ?? "")?.guild_id ?? state.invites.get(params.code ?? "")?.guild_id;
      const total = state.random.between(state.behaviours.for(guildId).rest_latency_ms);
      const before = state.random.between([0, total]);
      return [before, total - before];
    },
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-discord");
    const method = req.method ?? "GET";
    const { raw, files } = await splitBody(req.headers["content-type"], await readBody(req));
    let response: JsonResponse;
    const oauthPath = url.pathname.slice(API_PREFIX.length);
    if (url.pathname.startsWith(`${API_PREFIX}/oauth2/token`) && (oauthPath === "/oauth2/token" || oauthPath === "/oauth2/token/revoke")) {
      // Form-encoded, answered with OAuth2's own error bodies: not the JSON API's handling.
      const form = new URLSearchParams(raw);
      const authorization = req.headers.authorization ?? "";
      response = method !== "POST" ? fromError(methodNotAllowed()) : oauthPath === "/oauth2/token" ? oauth.token(authorization, form) : oauth.revoke(authorization, form);
      requests.add({ method, path: oauthPath, route: oauthPath, query: {}, body: Object.fromEntries(form), status: response.status, time: new Date(now()).toISOString() });
    } else if (url.pathname === "/oauth2/authorize") {
      response = consent(method, method === "POST" ? new URLSearchParams(raw) : url.searchParams);
    } else if (url.pathname.startsWith(`${API_PREFIX}/`)) {
      const path = url.pathname.slice(API_PREFIX.length);
      response = await handleApi(apiRoutes, limiter, timing, requests, {
        method,
        path,
        query: url.searchParams,
        raw,
        files,
        authorization: req.headers.authorization ?? "",
        botRemoved: (guildId) => state.guilds.get(guildId)?.bot_absent === true,
      });
    } else if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      response = await handleControl(fakeRoutes, method, url.pathname.slice(CONTROL_PREFIX.length), url.searchParams, raw);
    } else {
      response = fromError(routeNotFound());
    }
    send(res, response);
  });

  /** The consent page (GET), and the member's answer to it (POST): a redirect back to the app. */
  const consent = (method: string, query: URLSearchParams): JsonResponse => {
    try {
      const request = oauth.authorizeRequest(query);
      if (method === "GET") {
        const user = state.accounts.newcomer(now());
        return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: consentPage(state, request, user, query) };
      }
      const user = { id: query.get("user_id") ?? "", username: query.get("username") ?? "" };
      if (!/^\d{17,20}$/.test(user.id) || user.username === "") throw new DiscordError(400, { message: "Invalid user", code: 0 });
      return { status: 302, headers: { Location: oauth.decide(request, user, query.get("decision") === "authorize") } };
    } catch (error) {
      return fromError(error);
    }
  };

  const gateway = attachGateway(server, () => wsUrl, {
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    maxConcurrency: options.maxConcurrency,
    botUser: () => userJson(state.botUser),
    guilds: () => [...state.guilds.values()].filter((g) => !g.bot_absent).map((g) => guildCreateJson(state, g)),
    now,
  });
  state.events.on("delivered", (event: Dispatch) => gateway.dispatch(event.t, event.d, event.happened_at));
  const stopDelivery = startDelivery(state);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;
  return {
    apiBase: `${origin}${API_PREFIX}`,
    origin,
    state,
    oauth,
    requests,
    limiter,
    gateway,
    seed: state.random.seed,
    close: async () => {
      stopDelivery();
      await gateway.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  raw: string;
  files: UploadedFile[];
  authorization: string;
  /** Whether the bot was removed from this guild. */
  botRemoved: (guildId: string) => boolean;
}
interface ApiTiming {
  now: () => number;
  /** A request's latency, split around the instant it is handled. */
  split: (params: Record<string, string>) => [before: number, after: number];
}
interface ApiAnswer {
  response: JsonResponse;
  route?: string;
  body: unknown;
}

/**
 * A routed request waits `before`, is handled (state read or changed at that
 * instant, and logged then with that time), then waits `after`: Discord's
 * snapshot sits somewhere inside its latency.
 */
async function handleApi(
  routes: Route[],
  limiter: RateLimiter,
  timing: ApiTiming,
  requests: RequestLog,
  request: ApiRequest,
): Promise<JsonResponse> {
  const match = matchRoute(routes, request.method, request.path);
  const [before, after] = match.route ? timing.split(match.params) : [0, 0];
  if (before > 0) await sleep(before);
  const { response, route, body }: ApiAnswer = match.route
    ? await answerApi(match.route, match.params, limiter, request)
    : { response: fromError(match.pathKnown ? methodNotAllowed() : routeNotFound()), body: request.raw === "" ? undefined : request.raw };
  requests.add({
    method: request.method,
    path: request.path,
    route: route ?? null,
    query: Object.fromEntries(request.query),
    body,
    status: response.status,
    time: new Date(timing.now()).toISOString(),
  });
  if (after > 0) await sleep(after);
  return response;
}

/** Discord's order: rate limit (headers on every answer), auth, body, then the handler. */
async function answerApi(
  route: Route,
  params: Record<string, string>,
  limiter: RateLimiter,
  request: ApiRequest,
): Promise<ApiAnswer> {
  const { method, path, query, raw, files, authorization, botRemoved } = request;
  let body: unknown = raw === "" ? undefined : raw; // logged as sent until parsed
  const verdict = limiter.check(method, path, `${method} ${route.template}`, params[route.major ?? ""] ?? "", authorization ?? "");
  const withHeaders = (r: JsonResponse): JsonResponse => ({ ...r, headers: { ...verdict.headers, ...r.headers } });
  const respond = (r: JsonResponse) => ({ response: withHeaders(r), route: route.template, body });

  if (verdict.kind === "edge-refused") {
    const { status, contentType, text } = verdict.answer;
    return respond({ status, raw: { contentType, text } });
  }
  if (verdict.kind === "failure") {
    return respond({ status: verdict.status, body: { message: `${verdict.status}: ${STATUS_CODES[verdict.status]}`, code: 0 } });
  }
  if (verdict.kind === "rate-limited") {
    // `code` is not in Discord's documented example, but the spec's RatelimitedResponse requires it.
    return respond({
      status: 429,
      body: { message: "You are being rate limited.", retry_after: Number(verdict.retryAfter.toFixed(3)), global: verdict.global, code: 0 },
    });
  }
  try {
    if (route.auth === "bot" && !/^Bot \S+/.test(authorization)) throw unauthorized();
    // A guild the bot was removed from: Discord answers every request about it with Missing Access.
    if (params.guild_id !== undefined && botRemoved(params.guild_id)) throw missingAccess();
    body = parseJson(raw);
    if (route.inSpec && body !== undefined) {
      const formError = formErrorFromSchema(requestBodyIssues(method, route.template, body));
      if (formError) throw formError;
    }
    return respond(await route.handler({ method, path, query, body, params, files, authorization }));
  } catch (error) {
    return respond(fromError(error));
  }
}

async function handleControl(routes: Route[], method: string, path: string, query: URLSearchParams, raw: string) {
  const match = matchRoute(routes, method, path);
  if (!match.route) return fromError(match.pathKnown ? methodNotAllowed() : routeNotFound());
  try {
    return await match.route.handler({ method, path, query, body: parseJson(raw), params: match.params, files: [] });
  } catch (error) {
    return fromError(error);
  }
}

function parseJson(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidJson();
  }
}

function fromError(error: unknown): JsonResponse {
  if (error instanceof DiscordError) return { status: error.status, body: error.body };
  console.error("fake-discord: handler failed", error);
  return { status: 500, body: { message: "500: Internal Server Error", code: 0 } };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * A JSON body as text, or Discord's multipart form: the JSON in `payload_json`
 * and each `files[n]` as an upload. A form that cannot be read is a 400 (50109), as its JSON would be.
 */
async function splitBody(contentType: string | undefined, body: Buffer): Promise<{ raw: string; files: UploadedFile[] }> {
  if (!contentType?.startsWith("multipart/form-data")) return { raw: body.toString("utf8"), files: [] };
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return { raw: "{", files: [] };
  }
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") continue;
    files.push({ field, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
  }
  const payload = form.get("payload_json");
  return { raw: typeof payload === "string" ? payload : "", files };
}

function send(res: http.ServerResponse, response: JsonResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  // A page (the consent screen) comes with its own Content-Type.
  if (typeof response.body === "string" && headers["Content-Type"]) {
    res.writeHead(response.status, headers).end(response.body);
    return;
  }
  if (response.raw) {
    res.writeHead(response.status, { ...headers, "Content-Type": response.raw.contentType }).end(response.raw.text);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  headers["Content-Type"] = "application/json";
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}
