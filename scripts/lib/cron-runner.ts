/**
 * Fires cron triggers on their schedule, as Cloudflare does for a deployed
 * Worker (wrangler dev runs none by itself): at the start of each UTC minute,
 * every expression that matches it. A firing that fails is reported and the
 * schedule goes on.
 */
import { cronMatches, type Cron } from "./cron-schedule";

const MINUTE_MS = 60_000;

export interface CronRunner {
  stop(): void;
}

/** `fire(expression, scheduledTime)` for each cron in each minute it matches, from the next minute on. */
export function runCrons(crons: Cron[], fire: (expression: string, scheduledTime: number) => Promise<void>, onError: (expression: string, error: unknown) => void): CronRunner {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (minute: number) => {
    timer = setTimeout(() => {
      for (const cron of crons) {
        if (cronMatches(cron, new Date(minute))) fire(cron.expression, minute).catch((error: unknown) => onError(cron.expression, error));
      }
      // A timer may fire a little early or, after a suspended machine, late: never the same minute twice, no catching up.
      schedule(Math.max(minute, Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS) + MINUTE_MS);
    }, Math.max(0, minute - Date.now()));
  };
  schedule(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  return { stop: () => clearTimeout(timer) };
}

/** wrangler dev's endpoint for a cron trigger (`--test-scheduled`), with Cloudflare's scheduledTime. */
export async function fireScheduled(workerUrl: string, expression: string, scheduledTime: number): Promise<void> {
  const response = await fetch(`${workerUrl}/__scheduled?cron=${encodeURIComponent(expression)}&time=${scheduledTime}`);
  if (!response.ok) throw new Error(`GET /__scheduled answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}
