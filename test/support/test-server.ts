import type { Config } from "../../server/src/config/config";
import { createServer } from "../../server/src/server";
import type { GreydeskServer, ServerOptions } from "../../server/src/server";
import type { Clock } from "../../server/src/clock";
import { createTestDatabase } from "./databases";
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";

export interface TestServer {
  server: GreydeskServer;
  url: string;
  stop(): Promise<void>;
}

/** A fixed clock for tests that care about dates. */
export function fixedClock(iso: string): Clock {
  const now = new Date(iso);
  return { now: () => new Date(now), today: () => iso.slice(0, 10) };
}

/**
 * Boots a real Greydesk on port 0 with a fresh database (SQLite in memory, or a new PostgreSQL
 * database when GREYDESK_TEST_DATABASE=postgres). The config is a literal: tests never touch
 * process.env.
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "greydesk-test-"));
  const config: Config = {
    env: "test",
    port: 0,
    database: database.config,
    redisUrl: null,
    sessionSecret: "test-secret-that-is-long-enough-0123456789",
    rateLimitPortal: 0,
    rateLimitPortalReplies: 60,
    bootstrapAdmin: null,
    dataDir,
    logLevel: "silent",
    trustProxy: 0,
    // Links go to where the server listens: the url below.
    publicUrl: null,
    // No relay: messages wait in the outbox unless a test gives one.
    mail: {
      smtpUrl: null,
      from: { name: "Greydesk", address: "support@desk.test" },
      inbound: null,
      imapUrl: null,
      leaseMs: 120_000,
    },
    metricsToken: null,
    backup: null,
    attachmentRetentionDays: null,
    ...overrides,
  };
  const server = createServer(config, { clientDir: null, host: "127.0.0.1", ...options });
  try {
    await server.start();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    server,
    url: `http://127.0.0.1:${server.address().port}`,
    async stop() {
      await server.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock tests move forward by hand. */
export interface MutableClock extends Clock {
  advance(ms: number): void;
}

export function mutableClock(start = new Date()): MutableClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    today: () => new Date(now).toISOString().slice(0, 10),
    advance: (ms) => {
      now += ms;
    },
  };
}
