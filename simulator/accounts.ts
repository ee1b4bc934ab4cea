/**
 * Simulated users with account ages like a real server's joiners: most
 * accounts are months or years old, a few were made days before joining
 * (what the bot flags as a new account, `fake_account_age_days`, 7 by
 * default). The age is in the user id, a snowflake minted at the account's
 * creation, as on Discord.
 */
import { snowflake } from "./ids";
import { Random } from "./random";
import type { UserInput } from "./state";

const DAY_MS = 86_400_000;
/** The share of accounts made days before their first join. */
export const YOUNG_SHARE = 0.08;
const YOUNG_DAYS = [1, 6] as const;
const OLD_DAYS = [60, 6 * 365] as const;

/**
 * A uniform draw in [0, 1) to an account age in days: YOUNG_SHARE of them 1–6
 * days, the rest 60 days to 6 years, log-uniform (as many a month old as a year).
 */
export function accountAgeDays(draw: number): number {
  if (draw < YOUNG_SHARE) return YOUNG_DAYS[0] + (draw / YOUNG_SHARE) * (YOUNG_DAYS[1] - YOUNG_DAYS[0]);
  const u = (draw - YOUNG_SHARE) / (1 - YOUNG_SHARE);
  return OLD_DAYS[0] * (OLD_DAYS[1] / OLD_DAYS[0]) ** u;
}

const ADJECTIVES = ["brave", "quiet", "rapid", "lucky", "sly", "bold", "calm", "eager", "fuzzy", "grand", "happy", "jolly"];
const NOUNS = ["otter", "falcon", "badger", "lynx", "heron", "panda", "raven", "tiger", "gecko", "moose", "koala", "viper"];

/** A stable, readable username for the n-th simulated user. */
export function simulatedUsername(n: number, prefix = ""): string {
  return `${prefix}${ADJECTIVES[n % ADJECTIVES.length]}_${NOUNS[Math.floor(n / ADJECTIVES.length) % NOUNS.length]}${n}`;
}

/**
 * Mints the simulator's users. Ages come from their own seeded sequence, not
 * the simulator's shared one: REST latencies draw from that in whatever order
 * the bot's requests arrive, so ages drawn there would not replay per seed.
 */
export class Accounts {
  private readonly ages: Random;

  constructor(
    seed: number,
    /** Newcomers named so far (kept across restarts, so names stay unique). */
    public newcomers = 0,
  ) {
    this.ages = new Random(seed);
  }

  /** The id of an account made some realistic time before `at`. */
  userId(at: number): string {
    return snowflake(Math.round(at - accountAgeDays(this.ages.next()) * DAY_MS));
  }

  /** A new user about to join at `at`, named new_…. */
  newcomer(at: number): UserInput {
    return { id: this.userId(at), username: simulatedUsername(this.newcomers++, "new_") };
  }
}
