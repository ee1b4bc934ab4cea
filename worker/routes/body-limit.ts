import { bodyLimit } from "hono/body-limit";

/**
 * Refuses a body over `maxBytes` with 413 before the handler reads it: at once
 * by its Content-Length, or as it streams in without one. It runs before any
 * signature check, which needs the whole body in memory.
 */
export const limitBody = (maxBytes: number) =>
  bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: `body over ${maxBytes} bytes` }, 413) });
