/**
 * The Discord REST operations the fake serves, as the official OpenAPI spec
 * names them. scripts/refresh-openapi.ts copies exactly these (and what they
 * reference) into openapi-subset.json; spec-validation.ts checks against it.
 */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export const SERVED_OPERATIONS: ReadonlyArray<{ method: HttpMethod; path: string }> = [
  { method: "get", path: "/gateway/bot" },
  { method: "get", path: "/guilds/{guild_id}/invites" },
  { method: "post", path: "/channels/{channel_id}/invites" },
  { method: "get", path: "/invites/{code}" },
  { method: "delete", path: "/invites/{code}" },
  { method: "get", path: "/guilds/{guild_id}" },
  { method: "get", path: "/guilds/{guild_id}/channels" },
  { method: "get", path: "/guilds/{guild_id}/members" },
  { method: "get", path: "/guilds/{guild_id}/members/{user_id}" },
  { method: "put", path: "/guilds/{guild_id}/members/{user_id}" },
  { method: "get", path: "/users/@me" },
  { method: "get", path: "/guilds/{guild_id}/vanity-url" },
  { method: "get", path: "/guilds/{guild_id}/roles" },
  { method: "post", path: "/guilds/{guild_id}/roles" },
  { method: "delete", path: "/guilds/{guild_id}/roles/{role_id}" },
  { method: "patch", path: "/guilds/{guild_id}/members/{user_id}" },
  { method: "put", path: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}" },
  { method: "delete", path: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}" },
  { method: "post", path: "/users/@me/channels" },
  { method: "get", path: "/channels/{channel_id}" },
  { method: "get", path: "/channels/{channel_id}/messages" },
  { method: "post", path: "/channels/{channel_id}/messages" },
  { method: "patch", path: "/channels/{channel_id}/messages/{message_id}" },
  { method: "post", path: "/webhooks/{webhook_id}/{webhook_token}" },
  { method: "get", path: "/webhooks/{webhook_id}/{webhook_token}/messages/@original" },
  { method: "patch", path: "/webhooks/{webhook_id}/{webhook_token}/messages/@original" },
  { method: "post", path: "/interactions/{interaction_id}/{interaction_token}/callback" },
  { method: "get", path: "/applications/{application_id}/commands" },
  { method: "put", path: "/applications/{application_id}/commands" },
  { method: "get", path: "/applications/{application_id}/guilds/{guild_id}/commands" },
  { method: "put", path: "/applications/{application_id}/guilds/{guild_id}/commands" },
];
