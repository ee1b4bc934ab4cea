// The seeded join scenario bench/attribution replays: what happens and when,
// generated up front so every run (and both bots) meets the same world.

export interface ScenarioInvite {
  code: string;
  source: string;
  maxUses: number;
  /** Seconds; 0 never expires. */
  maxAge: number;
}

export type Segment = "paced" | "viral" | "spread";

export type Action =
  | { kind: "join"; at: number; userId: string; via: { invite: string } | { vanity: true }; segment: Segment }
  | { kind: "create"; at: number; invite: ScenarioInvite }
  | { kind: "delete"; at: number; code: string };

export interface Scenario {
  initial: ScenarioInvite[];
  actions: Action[];
  joins: number;
  sources: string[];
}

export interface ScenarioOptions {
  seed: number;
  minJoins: number;
  invites: number;
}

const SOURCES = ["Reddit", "Twitter", "YouTube", "TikTok", "Newsletter", "Partner A", "Partner B", "Website", "Forum", "Podcast", "Staff", "Events"];
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** mulberry32: small, fast and good enough for a reproducible scenario. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

/**
 * Time is compressed: bursts (up to 30 joins within a second) follow each other
 * after a short pause and paced joins come a few hundred ms apart, so 1,000+
 * joins take about a minute and a half.
 * Paced joins that close are, to a Durable Object coalescing for 750 ms, small
 * bursts: recall_by_segment in the output shows what that costs.
 */
export function generateScenario(options: ScenarioOptions): Scenario {
  const rand = prng(options.seed);
  const live = new Map<string, ScenarioInvite & { uses: number }>();
  const codes = new Set<string>();
  const actions: Action[] = [];
  let at = 0;
  let joins = 0;

  const newInvite = (): ScenarioInvite => {
    let code: string;
    do code = Array.from({ length: rand.int(8, 10) }, () => rand.pick([...ALPHANUMERIC])).join("");
    while (codes.has(code));
    codes.add(code);
    const kind = rand.next();
    // A fifth single-use (one per invited person), a fifth limited, the rest unlimited.
    const maxUses = kind < 0.2 ? 1 : kind < 0.4 ? rand.int(3, 25) : 0;
    return { code, source: rand.pick(SOURCES), maxUses, maxAge: rand.pick([0, 0, 86400, 604800]) };
  };
  const addLive = (invite: ScenarioInvite) => live.set(invite.code, { ...invite, uses: 0 });
  const initial = Array.from({ length: options.invites }, newInvite);
  initial.forEach(addLive);

  const join = (via: { invite: string } | { vanity: true }, segment: Segment) => {
    actions.push({ kind: "join", at, userId: String(800_000_000_000_000_000n + BigInt(joins)), via, segment });
    joins += 1;
    if ("invite" in via) {
      const invite = live.get(via.invite)!;
      invite.uses += 1;
      if (invite.maxUses > 0 && invite.uses >= invite.maxUses) live.delete(via.invite); // Discord deletes used-up invites
    }
  };
  const anyInvite = () => rand.pick([...live.keys()]);
  const singleUse = () => [...live.values()].find((i) => i.maxUses === 1)?.code;
  const unlimited = () => rand.pick([...live.values()].filter((i) => i.maxUses === 0).map((i) => i.code));

  while (joins < options.minJoins) {
    // Churn between segments: admins make new invites and revoke old ones.
    if (rand.next() < 0.5) {
      const invite = newInvite();
      addLive(invite);
      actions.push({ kind: "create", at, invite });
    }
    if (rand.next() < 0.3 && live.size > 30) {
      const code = anyInvite();
      live.delete(code);
      actions.push({ kind: "delete", at, code });
    }
    at += 100;

    const segment = rand.next();
    const burstMs = rand.int(300, 1000);
    if (segment < 0.45) {
      // A post goes viral: up to 30 joins within a second, most on its invite.
      const viral = unlimited();
      const size = rand.int(10, 30);
      for (let i = 0; i < size; i++) {
        join(rand.next() < 0.85 ? { invite: viral } : rand.next() < 0.3 ? { vanity: true } : { invite: anyInvite() }, "viral");
        at += Math.floor(burstMs / size);
      }
    } else if (segment < 0.65) {
      // Several campaigns at once: a burst spread over a few invites.
      const spread = Array.from({ length: rand.int(2, 5) }, anyInvite);
      const size = rand.int(5, 15);
      for (let i = 0; i < size; i++) {
        const code = rand.pick(spread);
        join(live.has(code) ? { invite: code } : { invite: anyInvite() }, "spread");
        at += Math.floor(burstMs / size);
      }
    } else {
      // Paced joins: single-use invitations, the vanity URL, any invite.
      const size = rand.int(5, 12);
      for (let i = 0; i < size; i++) {
        const r = rand.next();
        const single = r < 0.25 ? singleUse() : undefined;
        join(single ? { invite: single } : r < 0.4 ? { vanity: true } : { invite: anyInvite() }, "paced");
        at += rand.int(150, 400);
      }
    }
    at += 300;
  }
  return { initial, actions, joins, sources: SOURCES };
}
