/**
 * "Join with Discord" as a friend does it, against a stack with the simulator:
 * the invitation page's button, the simulator's consent page answered at once
 * (Authorize), and the Worker's callback. Returns who was added, and the callback's status.
 */
export async function joinWithDiscord(workerUrl: string, simulatorOrigin: string, invitationCode: string): Promise<{ userId: string; status: number }> {
  const button = await fetch(`${workerUrl}/i/${invitationCode}/discord`, { method: "POST", redirect: "manual" });
  const authorizeUrl = button.headers.get("location");
  const cookie = /^join_flow=[^;]+/.exec(button.headers.get("set-cookie") ?? "")?.[0];
  if (button.status !== 303 || !authorizeUrl || !cookie) throw new Error(`Join with Discord button answered ${button.status}`);
  const consent = await fetch(`${simulatorOrigin}/_fake/oauth2/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: authorizeUrl, decision: "authorize" }),
  });
  if (!consent.ok) throw new Error(`the simulator's consent page answered ${consent.status}: ${await consent.text()}`);
  const { location, user_id: userId } = (await consent.json()) as { location: string; user_id: string };
  // Discord sends the browser to the callback on PUBLIC_URL: the same Worker, reached here by its local address.
  const back = new URL(location);
  const callback = await fetch(`${workerUrl}${back.pathname}${back.search}`, { headers: { Cookie: cookie }, redirect: "manual" });
  await callback.body?.cancel();
  return { userId, status: callback.status };
}
