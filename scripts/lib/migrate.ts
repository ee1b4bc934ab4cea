import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { backfillSourceNameKeys } from "./backfill-source-keys";

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schema/migrations");

/** Applies the committed drizzle-kit migrations. The one runner for development, tests and deployment. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Concurrent runners (parallel test workers, two terminals) must not race.
    await client.query("select pg_advisory_lock(72616001)");
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    // Data the SQL migrations cannot compute, because its rule lives in JavaScript.
    await backfillSourceNameKeys(client);
  } finally {
    await client.end();
  }
}
