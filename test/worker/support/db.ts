import { env } from "cloudflare:test";
import { openDb, type Db } from "../../../worker/db";

/** Runs `fn` with a database handle from the Worker's own module, closing it afterwards. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const { db, close } = openDb(env);
  try {
    return await fn(db);
  } finally {
    await close();
  }
}
