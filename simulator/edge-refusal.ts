/**
 * Discord's Cloudflare edge refusing the bot's address for a while
 * (discord-api-docs #7137, #7146): every API request, whatever its route,
 * gets Cloudflare's HTML page for error 1015, or a bare 429 with no JSON body
 * and no rate-limit headers. Turned on from the control API.
 */
export const EDGE_REFUSAL_MODES = ["html_1015", "bare_429"] as const;
export type EdgeRefusalMode = (typeof EDGE_REFUSAL_MODES)[number];

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** The page's substance as Cloudflare serves it (trimmed of its styles and scripts). */
const PAGE_1015 = `<!DOCTYPE html>
<html lang="en-US"><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>
<body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">
<h1><span class="cf-error-type" data-translate="error">Error</span> <span class="cf-error-code">1015</span></h1>
<h2 class="cf-subheadline" data-translate="error_desc">You are being rate limited</h2>
<p>The owner of this website (discord.com) has banned you temporarily from accessing this website.</p>
</div></div></body></html>`;

export class EdgeRefusal {
  private until = 0;
  private mode: EdgeRefusalMode = "html_1015";
  private pathPrefix = "";

  constructor(private readonly now: () => number) {}

  /**
   * Refuses every request for `seconds` from now (0 ends it). Discord's edge spares
   * no route; `pathPrefix` narrows it for tests that share one simulator.
   */
  start(mode: EdgeRefusalMode, seconds: number, pathPrefix = ""): void {
    this.mode = mode;
    this.until = this.now() + seconds * 1000;
    this.pathPrefix = pathPrefix;
  }

  /** The refusal a request gets now, or null when the edge lets it through. */
  answer(path: string): RawAnswer | null {
    if (this.now() >= this.until || !path.startsWith(this.pathPrefix)) return null;
    return this.mode === "html_1015"
      ? { status: 429, contentType: "text/html; charset=UTF-8", text: PAGE_1015 }
      : { status: 429, contentType: "text/plain", text: "" };
  }
}
