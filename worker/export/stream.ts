import { sql } from "drizzle-orm";
import { openDb, type Db, type DbHandle } from "../db";
import { exportQuery, type CountScope } from "../inviters/store";
import { csvRow, EXPORT_COLUMNS } from "./csv";

/** Rows per FETCH: what the export holds in memory at once, whatever the guild's size. */
export const EXPORT_BATCH = 2_000;
/**
 * The first FETCH of a large guild's export waits for Postgres to join and sort
 * every row (seconds for a million), so export connections get this statement timeout.
 */
const EXPORT_STATEMENT_MS = 60_000;

/** A connection for one export, with the export's statement timeout. */
export function openExportDb(env: { DATABASE_URL: string; DATABASE_WS_PROXY?: string }): DbHandle {
  return openDb(env, { statementMs: EXPORT_STATEMENT_MS });
}

interface ExportRow {
  member: string;
  member_name: string | null;
  joined_at: string;
  left_at: string | null;
  source: string | null;
  code: string | null;
  method: string;
  inviter: string | null;
  inviter_name: string | null;
  fake: string | null;
  [key: string]: unknown;
}

const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The guild's joins as CSV, read through a server-side cursor a batch at a
 * time. Each batch waits until the reader took the previous one (the stream's
 * backpressure), so memory stays at one batch for a million rows. `done`
 * settles when the cursor's transaction has ended.
 */
export function exportCsv(db: Db, scope: CountScope): { stream: ReadableStream<Uint8Array>; done: Promise<void> } {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const done = db
    .transaction(async (tx) => {
      await tx.execute(sql`declare join_export no scroll cursor for ${exportQuery(scope)}`);
      await writer.write(encoder.encode(csvRow(EXPORT_COLUMNS)));
      for (;;) {
        const batch = await tx.execute<ExportRow>(sql.raw(`fetch ${EXPORT_BATCH} from join_export`));
        if (batch.rows.length === 0) break;
        const text = batch.rows
          .map((r) => csvRow([r.member, r.member_name, iso(r.joined_at), iso(r.left_at), r.source, r.code, r.method, r.inviter, r.inviter_name, r.fake]))
          .join("");
        await writer.write(encoder.encode(text));
      }
    })
    .then(
      () => writer.close(),
      (error: unknown) => writer.abort(error),
    );
  return { stream: readable, done };
}
