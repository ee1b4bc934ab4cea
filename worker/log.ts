/** Structured log lines: Workers Logs and `wrangler tail` index JSON fields. */
export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}) {
  const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
  console.error(JSON.stringify({ level: "error", msg: message, ...fields, err }));
}

export function logInfo(message: string, fields: Record<string, unknown> = {}) {
  console.log(JSON.stringify({ level: "info", msg: message, ...fields }));
}
