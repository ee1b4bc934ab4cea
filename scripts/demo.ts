// npm run demo: a scripted scenario against the stack `npm start` runs with
// the Discord simulator. An admin labels invites with /invite create and
// /invite assign; members join through them back to back (paced, in bursts,
// via the vanity URL, through single-use invites); the demo waits for the
// Worker to record every join, then for Discord's member search to settle the
// ones the invite counts could not (unless the simulator refuses it), shows
// /invite stats and /invite recent, and scores the attribution against the
// simulator's truth. The last line is JSON.
import pg from "pg";
import type { JoinRecord } from "../simulator/state";
import { inviteCommand, opt, replyText, sendInteraction, type CommandOption, type ReplyData } from "./lib/interactions";
import { dataDir, readStackState } from "./lib/stack-state";
import { statsNotes } from "./lib/demo-notes";
import { scoreJoins, type RecordedJoin, type Step } from "./lib/demo-score";
import { joinWithDiscord } from "./lib/join-with-discord";
import { newInvitationCode } from "../worker/invitations/code";
import { waitUntil } from "./lib/wait";

const began = performance.now();
const say = (line = "") => process.stdout.write(`${line}\n`);
const stack = readStackState(dataDir());
if (!stack?.simulator) {
  say(stack ? "The running stack talks to real Discord: the demo needs the simulator (no DISCORD_BOT_TOKEN in .dev.vars)." : "No running stack found: start it with `npm start` first.");
  process.exit(1);
}
const sim = stack.simulator;
const { guild } = sim;
const PACE_MS = 1_000;

async function control<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.origin}/_fake${route}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const usernames = new Map<string, string>();
async function refreshUsernames(): Promise<void> {
  const members = await control<{ members: Array<{ user: { id: string; username: string } }> }>("GET", `/guilds/${guild.guildId}`);
  for (const m of members.members) usernames.set(m.user.id, m.user.username);
}

async function invite(sub: string, options: CommandOption[]): Promise<string> {
  const interaction = inviteCommand(sub, options, { applicationId: sim.applicationId, guildId: guild.guildId, channelId: guild.channelId, userId: guild.adminId });
  const reply = await sendInteraction(stack!.workerUrl, sim.interactionsPrivateKey, interaction, async (token) => {
    const messages = await control<ReplyData[]>("GET", `/webhooks/${token}`);
    return messages.at(-1) ?? null;
  });
  return replyText(reply, (id) => usernames.get(id) ?? id);
}

const codeIn = (text: string) => {
  const code = /discord\.gg\/([A-Za-z0-9-]+)/.exec(text)?.[1];
  if (!code) throw new Error(`no invite link in the reply: ${text}`);
  return code;
};

say(`Demo against the simulated guild ${guild.guildId} (Worker ${stack.workerUrl})\n`);
await refreshUsernames();
say("1. The admin labels invites");
const steps: Array<{ label: string; options: CommandOption[] }> = [
  { label: "Reddit Battlefield6", options: [] },
  { label: "YouTube trailer", options: [] },
  { label: "Direct from MAJ Klaver", options: [opt.int("max_uses", 1)] },
];
const codes: Record<string, string> = {};
for (const { label, options } of steps) {
  const text = await invite("create", [opt.str("source", label), ...options]);
  codes[label] = codeIn(text);
  say(`   /invite create source:"${label}"${options.length ? " max_uses:1" : ""}\n     → ${text}`);
}
const forum = guild.memberInvites[0]!;
// Made afresh each run: the guild outlives a run (npm start keeps it), and a single-use invite is spent by its join.
const { code: singleUse } = await control<{ code: string }>("POST", `/guilds/${guild.guildId}/invites`, { inviter_id: guild.adminId, max_uses: 1, max_age: 86_400 });
say(`   /invite assign code:${forum} source:"Old forum post"\n     → ${await invite("assign", [opt.str("code", forum), opt.str("source", "Old forum post")])}`);

say("\n2. Members join (through the simulator's gateway → relay → Worker)");
const schedule: Step[] = [
  { scenario: "paced", invite: codes["Reddit Battlefield6"]!, count: 4, pace_ms: PACE_MS },
  { scenario: "paced", invite: codes["YouTube trailer"]!, count: 3, pace_ms: PACE_MS },
  { scenario: "paced", invite: "vanity", count: 3, pace_ms: PACE_MS },
  { scenario: "paced", invite: forum, count: 2, pace_ms: PACE_MS },
  { scenario: "single-use", invite: codes["Direct from MAJ Klaver"]!, count: 1 },
  { scenario: "single-use", invite: singleUse, count: 1 },
  { scenario: "burst", invite: codes["Reddit Battlefield6"]!, count: 12 },
  { scenario: "burst", invite: "vanity", count: 6 },
  { scenario: "burst", invite: codes["YouTube trailer"]!, count: 8 },
];
// Back to back, as members arrive: joins through different codes between two of the
// Worker's looks are ambiguous to the invite counts, and Discord's member search settles them.
const played: Array<JoinRecord & { scenario: string }> = [];
const db = new pg.Client({ connectionString: stack.databaseUrl });
await db.connect();
// Three friends sign in with "Join with Discord" during the first burst: the bot adds them itself,
// so their joins are exact and spend their invitations, whoever else joins in the same second.
const JOIN_WITH_DISCORD = 3;
const invitationCodes = Array.from({ length: JOIN_WITH_DISCORD }, () => newInvitationCode());
for (const code of invitationCodes) {
  await db.query("insert into invitations (guild_id, code, inviter_id, expires_at) values ($1, $2, $3, now() + interval '7 days')", [guild.guildId, code, guild.adminId]);
}
const burstAt = schedule.findIndex((s) => s.scenario === "burst");
let signedIn: string[] = [];
for (const [index, step] of schedule.entries()) {
  const friends = index === burstAt ? Promise.all(invitationCodes.map((code) => joinWithDiscord(stack.workerUrl, sim.origin, code))) : null;
  const { joins } = await control<{ joins: JoinRecord[] }>("POST", `/guilds/${guild.guildId}/play`, step);
  played.push(...joins.map((j) => ({ ...j, scenario: step.scenario })));
  const how = step.count === 1 ? "1 join" : step.pace_ms ? `${step.count} joins, ${step.pace_ms} ms apart` : `a burst of ${step.count}`;
  say(`   ${step.scenario.padEnd(10)} ${how} via ${step.invite === "vanity" ? `the vanity URL (${guild.vanityCode})` : step.invite}`);
  if (friends) {
    signedIn = (await friends).filter((a) => a.status === 303).map((a) => a.userId);
    say(`   join with discord: during that burst, ${signedIn.length} of ${JOIN_WITH_DISCORD} friends signed in and the bot added them`);
  }
}
const joins = await control<JoinRecord[]>("GET", `/guilds/${guild.guildId}/joins`);
played.push(...joins.filter((j) => signedIn.includes(j.user_id)).map((j) => ({ ...j, scenario: "join with discord" })));

say("\n3. Waiting for the Worker to record every join, then for member search to settle the ambiguous ones…");
const playedAt = performance.now();
const userIds = played.map((j) => j.user_id);
let recorded: RecordedJoin[] = [];
const count = (method: string) => recorded.filter((r) => r.method === method).length;
const afterLastJoin = () => `${((performance.now() - playedAt) / 1000).toFixed(1)} s after the last join`;
/** Polls the recorded joins until `done`; says what never came. */
async function waitFor(what: string, done: () => boolean): Promise<boolean> {
  return waitUntil(what, 60_000, async () => {
    const result = await db.query<RecordedJoin>(
      `select j.user_id, j.invite_code, j.method, s.name as source
         from invite_joins j left join invite_sources s on s.id = j.source_id
        where j.guild_id = $1 and j.user_id = any($2)`,
      [guild.guildId, userIds],
    );
    recorded = result.rows;
    return done();
  }, 500).then(
    () => true,
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      say(`   ${message} (${recorded.length} of ${userIds.length} recorded, ${count("unresolved")} unresolved)`);
      return false;
    },
  );
}
if (await waitFor(`the Worker to record all ${userIds.length} joins`, () => recorded.length >= userIds.length)) {
  say(`   all ${userIds.length} joins recorded ${afterLastJoin()}`);
}
const search = (await control<{ member_search: string }>("GET", `/guilds/${guild.guildId}/behaviour`)).member_search;
if (search === "refuse") {
  const ambiguous = count("unresolved");
  say(ambiguous === 0
    ? "   none was ambiguous: the invite counts decided every join"
    : `   ${ambiguous} were ambiguous, and the simulator refuses member search (SIM_MEMBER_SEARCH=refuse): they stay unresolved`);
  // Otherwise the Worker looks unresolved joins up in Discord's member search right after writing them.
} else if (await waitFor("member search's verdicts on the ambiguous joins", () => recorded.length >= userIds.length && count("unresolved") === 0)) {
  const settled = count("exact");
  say(settled === 0 ? "   none was ambiguous: the invite counts decided every join" : `   member search had settled the ${settled} ambiguous ones ${afterLastJoin()}`);
}
const spent = await db.query<{ n: number }>("select count(*)::int as n from invitations where code = any($1) and spent_at is not null and invited_id = any($2)", [invitationCodes, signedIn]);
say(`   ${spent.rows[0]!.n} of ${signedIn.length} invitations used with Join with Discord are spent, each by the member who signed in`);
await db.end();
await refreshUsernames();

say("\n4. What the admin sees\n");
const stats = await invite("stats", []);
say(indent(stats));
for (const note of statsNotes(stats)) say(`   (${note})`);
say();
say(indent(await invite("recent", [opt.int("limit", 15)])));

const score = scoreJoins(played, recorded);
say("\n5. Attribution against the simulator's truth\n");
say(score.table);
say(
  `\n   ${score.totals.by_mark} of ${score.totals.correct} correct verdicts came from the invites' marks (the role Discord gave on accept); ${score.totals.by_diff} from the invite counts alone (diff, vanity); ${score.totals.by_member_search} from Discord's member search (exact); ${score.totals.by_join_with_discord} were the bot's own adds (Join with Discord, oauth).`,
);
say(`\n${JSON.stringify({ ...score.totals, duration_s: Number(((performance.now() - began) / 1000).toFixed(1)) })}`);

function indent(text: string): string {
  return text.split("\n").map((line) => `   ${line}`).join("\n");
}
