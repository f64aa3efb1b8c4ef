import "reflect-metadata";
import { ConfigError, parseConfig } from "../config/config";
import { Database } from "../db/database";
import { runCommand } from "./run-command";

/**
 * `npm run migrate`: applies pending migrations to the database DATABASE_URL names, and nothing
 * else (before a rolling deploy, or after a restore). Exit codes: 0 done, 1 failed, 78 bad
 * configuration.
 */
export async function main(): Promise<number> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    throw error;
  }
  const db = new Database(config.database);
  await db.open();
  try {
    const applied = await db.dataSource.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS "n" FROM "migrations"`,
    );
    process.stdout.write(`Database is up to date: ${Number(applied[0]?.n ?? 0)} migrations.\n`);
    return 0;
  } finally {
    await db.close();
  }
}

runCommand(module, main, "Migration failed");
