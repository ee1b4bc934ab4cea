/** The API requests the fake received, so tests can assert what the bot asked Discord. */
export interface LoggedRequest {
  method: string;
  /** Path under /api/v10. */
  path: string;
  /** The matched route template (e.g. "/guilds/{guild_id}/invites"), if any. */
  route: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** When the fake handled it: the instant its answer reflects, somewhere inside its latency. */
  time: string;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  list(filter: { path_prefix?: string | null; method?: string | null } = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (!filter.path_prefix || e.path.startsWith(filter.path_prefix)) &&
        (!filter.method || e.method === filter.method.toUpperCase()),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
