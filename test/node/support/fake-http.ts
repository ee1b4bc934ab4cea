import type { FakeDiscord } from "../../../simulator/server";

/** A bot's JSON request to the fake Discord: its status and parsed body. */
async function call(method: string, url: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { Authorization: "Bot t", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Discord's API on the fake (`/api/v10…`), and its test controls (`/_fake…`). */
export const fakeApi = (target: FakeDiscord, method: string, path: string, body?: unknown) => call(method, `${target.apiBase}${path}`, body);
export const fakeControl = (target: FakeDiscord, method: string, path: string, body?: unknown) => call(method, `${target.origin}/_fake${path}`, body);
