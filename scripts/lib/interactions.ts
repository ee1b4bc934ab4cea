/**
 * Discord's side of HTTP interactions, for driving the local stack from Node:
 * an Ed25519 key pair, `/invite …` payloads shaped as Discord sends them,
 * signed delivery to the Worker, and the reply as text an admin would read.
 */
import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { snowflake } from "../../simulator/ids";
import { inviteInteraction, type CommandOption } from "../../simulator/interaction-payload";

export function generateInteractionKeys(): { publicKeyHex: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // The raw 32-byte key is the tail of its SPKI encoding; Discord shows it as hex.
  const spki = publicKey.export({ type: "spki", format: "der" });
  return {
    publicKeyHex: spki.subarray(spki.length - 32).toString("hex"),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

export { opt, type CommandOption } from "../../simulator/interaction-payload";

export interface InteractionContext {
  applicationId: string;
  guildId: string;
  channelId: string;
  userId: string;
}

/** An APPLICATION_COMMAND for `/invite <sub> …` from a member with Manage Server. */
export function inviteCommand(sub: string, options: CommandOption[], ctx: InteractionContext) {
  return inviteInteraction(sub, options, { ...ctx, id: snowflake() });
}

export interface ReplyData {
  content?: string;
  embeds?: Array<{ title?: string; description?: string }>;
}

/**
 * POSTs a signed interaction. A deferred answer (type 5) is finished by the
 * Worker editing @original on Discord, so `deferred` is asked for that message.
 */
export async function sendInteraction(
  workerUrl: string,
  privateKeyPem: string,
  interaction: ReturnType<typeof inviteCommand>,
  deferred: (token: string) => Promise<ReplyData | null>,
): Promise<ReplyData> {
  const body = JSON.stringify(interaction);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), createPrivateKey(privateKeyPem)).toString("hex");
  const response = await fetch(`${workerUrl}/interactions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp },
    body,
  });
  if (!response.ok) throw new Error(`POST /interactions answered ${response.status}: ${await response.text()}`);
  const reply = (await response.json()) as { type: number; data?: ReplyData };
  if (reply.type !== 5) return reply.data ?? {};
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const edited = await deferred(interaction.token);
    if (edited) return edited;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the deferred reply to /invite ${interaction.data.options[0]!.name} never arrived`);
}

/** Discord's rendering, roughly, for a terminal: markdown dropped, mentions and timestamps resolved. */
export function replyText(reply: ReplyData, username: (id: string) => string, now = Date.now()): string {
  const parts = [reply.content, ...(reply.embeds ?? []).flatMap((e) => [e.title, e.description])].filter(Boolean) as string[];
  return parts
    .join("\n")
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${username(id)}`)
    .replace(/<t:(\d+):R>/g, (_, unix: string) => ago(Number(unix) * 1000, now))
    .replace(/\*\*|`/g, "")
    .replace(/\\([\\*_~`|>#[\]()-])/g, "$1");
}

function ago(at: number, now: number): string {
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 0) return `in ${-seconds} s`;
  if (seconds < 90) return `${seconds} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}
