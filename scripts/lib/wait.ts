/** Polls `check` until it answers true; throws (naming `what`) after `timeoutMs`. A throwing check ends the wait at once. */
export async function waitUntil(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
