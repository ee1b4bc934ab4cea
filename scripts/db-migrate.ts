// npm run db:migrate: applies migrations to DATABASE_URL, or to the local
// development database under .data/ when DATABASE_URL is not set.
import { startLocalPostgres } from "./lib/local-postgres";
import { DEV_POSTGRES_DIR } from "./lib/local-stack-paths";
import { runMigrations } from "./lib/migrate";

const url = process.env.DATABASE_URL;
if (url) {
  await runMigrations(url);
  console.log("migrations applied to DATABASE_URL");
} else {
  const local = await startLocalPostgres({ dataDir: DEV_POSTGRES_DIR, persistent: true });
  try {
    await runMigrations(local.url);
    console.log(`migrations applied to the local database in ${DEV_POSTGRES_DIR}`);
  } finally {
    await local.stop();
  }
}
