import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { DatabaseConfig } from "../../server/src/config/config";

/** The PostgreSQL server the suite uses when GREYDESK_TEST_DATABASE=postgres. */
export const POSTGRES_ADMIN_URL =
  process.env.GREYDESK_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function testDatabaseKind(): "sqlite" | "postgres" {
  return process.env.GREYDESK_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test server: in-memory SQLite, or a new PostgreSQL database
 * created for it and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === "sqlite") {
    return { config: { type: "sqlite", path: ":memory:" }, drop: () => Promise.resolve() };
  }
  const name = `greydesk_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { type: "postgres", url: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
