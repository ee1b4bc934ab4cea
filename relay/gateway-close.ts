import { CloseCodes } from "@discordjs/ws";
import { GatewayCloseCodes } from "discord-api-types/v10";
import type { LogFields, LogLevel } from "./log.ts";

/** The code the relay closes with when it stops: any but 1000/1001 leaves the session resumable on Discord's side. */
export const SHUTDOWN_CLOSE_CODE = CloseCodes.Resuming;

const WEBSOCKET_MEANINGS: Record<number, string> = {
  1000: "normal closure",
  1001: "going away",
  1006: "connection lost without a close frame",
  [CloseCodes.Resuming]: "closed by the relay to resume",
};

/** What a close code means, in words: Discord's gateway codes by their documented names. */
export function closeCodeMeaning(code: number): string {
  const name = (GatewayCloseCodes as Record<number, string | undefined>)[code];
  if (name) return name.replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase();
  return WEBSOCKET_MEANINGS[code] ?? "unknown code";
}

/**
 * How a gateway close is logged. The relay's own close on stop is expected
 * (info): a warning there would teach operators to ignore the warnings that
 * matter, those of a close nobody asked for.
 */
export function gatewayCloseLog(code: number, stopping: boolean): { level: Extract<LogLevel, "info" | "warn">; msg: string; fields: LogFields } {
  if (stopping && code === SHUTDOWN_CLOSE_CODE) {
    return { level: "info", msg: "gateway connection closed for shutdown; the session stays resumable", fields: { code } };
  }
  return { level: "warn", msg: "gateway closed", fields: { code, meaning: closeCodeMeaning(code) } };
}
