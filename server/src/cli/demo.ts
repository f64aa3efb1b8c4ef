import "reflect-metadata";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig } from "../config/config";
import type { Config } from "../config/config";
import { MailCatcher } from "../modules/email/mail-catcher";
import { createServer } from "../server";
import { secondImeiWriter } from "./demo/identifiers";
import { DEMO_ADMIN, DEMO_AGENTS, DEMO_PASSWORD } from "./demo/people";
import { demoStart, manualClock, seedDemo } from "./demo/seed";
import type { SeedResult } from "./demo/seed";

/**
 * `npm run demo`: Greydesk on its own SQLite file, data/demo.sqlite, recreated on every run and
 * filled with 60 days of made-up customers, handsets and tickets. The data goes in through the
 * HTTP API of a first server whose clock the seeding moves by hand; then the real server (system
 * clock, normal limits) serves the same file. Its email goes to a built-in catcher (a relay on
 * loopback that keeps what it gets in memory), so the demo's messages really go out and admins
 * read them in the Outbox page. PORT is honoured; SIGINT/SIGTERM stop it cleanly.
 */

const write = (text: string) => process.stdout.write(`${text}\n`);

function accounts(): string[] {
  const rows = [
    [DEMO_ADMIN.email, `${DEMO_ADMIN.name} (admin)`],
    ...DEMO_AGENTS.map((a) => [a.email, `${a.name} (${a.role})`]),
  ];
  const width = Math.max(...rows.map(([email]) => email.length));
  return rows.map(([email, who]) => `    ${email.padEnd(width)}  ${who}`);
}

function summary(result: SeedResult): string {
  const c = result.counts;
  const seconds = (result.durationMs / 1000).toFixed(1);
  return (
    `Seeded in ${seconds} s (${result.requests} API requests, ${result.signIns} sign-ins): ` +
    `${result.agents.length} agents, ${c.customers} customers, ${c.handsets} handsets ` +
    `(${c.dualSim} dual-SIM), ${c.tickets} tickets, ${c.replies} replies, ${c.notes} internal notes.`
  );
}

/** A percentage on one line while seeding, when stdout is a terminal. */
function progress(done: number, total: number): void {
  if (!process.stdout.isTTY) {
    return;
  }
  const percent = Math.floor((100 * done) / total);
  if (done === total) {
    process.stdout.write("\r\x1b[K");
  } else if (percent % 5 === 0 && Math.floor((100 * (done - 1)) / total) !== percent) {
    process.stdout.write(`\r  ${percent}%`);
  }
}

/** Removes the previous demo database and its WAL files; returns the ones that existed. */
function removeDatabase(file: string): string[] {
  const removed: string[] = [];
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(candidate)) {
      rmSync(candidate, { force: true });
      removed.push(candidate);
    }
  }
  return removed;
}

async function main(): Promise<void> {
  let base: Readonly<Config>;
  try {
    base = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  if (base.env === "production") {
    process.stderr.write(
      "npm run demo signs in with published passwords, so it does not run with NODE_ENV=production.\n",
    );
    process.exit(78);
  }

  const file = path.join(base.dataDir, "demo.sqlite");
  const admin = { email: DEMO_ADMIN.email, password: DEMO_PASSWORD };
  write("Greydesk demo: a desk full of made-up customers, handsets and tickets.");
  write("");
  write(`Demo accounts, all with the password ${DEMO_PASSWORD}`);
  write("(DEMO ONLY: this password is published; never use these accounts for real data):");
  for (const line of accounts()) {
    write(line);
  }
  write("");
  if (process.env.DATABASE_URL) {
    write(`DATABASE_URL is ignored: the demo always uses its own file, ${file}.`);
  }
  const removed = removeDatabase(file);
  write(
    removed.length > 0
      ? `Deleted the previous demo database: ${removed.join(", ")}.`
      : `No previous demo database at ${file}.`,
  );

  const database = { type: "sqlite" as const, path: file };
  const clock = manualClock(demoStart());
  const seeding = createServer(
    {
      ...base,
      port: 0,
      database,
      redisUrl: null,
      rateLimitPortal: 0,
      rateLimitPortalReplies: 0,
      bootstrapAdmin: admin,
      logLevel: "warn",
    },
    { clock, clientDir: null, host: "127.0.0.1" },
  );
  write(`Seeding ${file} through the HTTP API, with 60 days of history...`);
  const { address: seedAddress } = await seeding.start();
  let result: SeedResult;
  try {
    result = await seedDemo({
      url: `http://127.0.0.1:${seedAddress.port}`,
      clock,
      admin,
      recordSecondImei: secondImeiWriter(seeding.db, clock),
      onProgress: progress,
    });
  } finally {
    progress(1, 1);
    await seeding.stop();
  }
  write(summary(result));

  // The customers are made up (reserved example addresses): their mail never leaves the machine.
  if (process.env.SMTP_URL) {
    write("SMTP_URL is ignored: the demo's email goes to its built-in catcher.");
  }
  const catcher = new MailCatcher();
  await catcher.start();
  // Loopback only: the demo's password is published in the README.
  const server = createServer(
    {
      ...base,
      database,
      redisUrl: null,
      bootstrapAdmin: admin,
      mail: { ...base.mail, smtpUrl: catcher.url },
    },
    { host: "127.0.0.1", mail: { catcher } },
  );
  const { address } = await server.start();
  const url = `http://localhost:${address.port}`;
  const waiting = result.tickets.find((t) => t.status === "pending_customer" && t.messages >= 1);
  write("");
  write(`Greydesk demo listening on ${url}`);
  write(`  The agents' console: ${url}/  (sign in as one of:)`);
  for (const line of accounts()) {
    write(line);
  }
  write(`    password: ${DEMO_PASSWORD}`);
  write(`  The customer portal: ${url}/portal`);
  write(
    `  The demo's email, as delivered: ${url}/#/outbox  (admins; kept in memory while it runs)`,
  );
  if (waiting !== undefined) {
    write(`  ${waiting.number} as its customer sees it: ${url}/portal/t/${waiting.token}`);
  }
  write("Ctrl+C stops it. The next `npm run demo` starts again from fresh data.");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    write(`${signal}: stopping`);
    Promise.all([server.stop(), catcher.stop()]).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The Greydesk demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
