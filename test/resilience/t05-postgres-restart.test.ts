import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Client } from "pg";
import { HttpClient, quantile } from "../support/http-client";
import type { HttpResult } from "../support/http-client";
import { startPgInstance } from "../support/pg-instance";
import type { PgInstance } from "../support/pg-instance";
import { sleep } from "../support/ports";
import { startServerProcess } from "../support/processes";
import type { ServerProcess } from "../support/processes";
import { buildPortalTicket } from "../support/factories";
import { StatusCounts, report, stopOrKill } from "./fixtures";

/**
 * docs/SECURITY.md T05: under load, the PostgreSQL server is stopped hard (`pg_ctl stop -m immediate`)
 * for about 10 s and started again. Greydesk (one real process, never restarted) answers 503 with
 * Retry-After meanwhile, never 500 and never hangs, is back to 201 within 10 s of the database,
 * and has lost no acknowledged ticket.
 */
const CLIENTS = 8;
const OUTAGE_MS = 10_000;

interface Sample {
  start: number;
  end: number;
  res: HttpResult;
}

describe("T05 PostgreSQL restart under load (own cluster, real server process)", () => {
  let pg: PgInstance;
  let dbUrl: string;
  let dir: string;
  let server: ServerProcess | null = null;

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-t05-"));
    pg = await startPgInstance();
    dbUrl = await pg.createDatabase("greydesk");
    server = await startServerProcess(
      {
        DATABASE_URL: dbUrl,
        GREYDESK_DATA_DIR: dir,
        SESSION_SECRET: "t05-postgres-restart-secret-0123456789",
      },
      120_000,
    );
  });
  after(async () => {
    await stopOrKill(server);
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 (not 500, no hang) while PostgreSQL is down and recovers without a restart", async function () {
    this.timeout(4 * 60_000);
    const base = server!.url;
    const samples: Sample[] = [];
    const acked: { number: string; subject: string }[] = [];
    let stop = false;

    const client = async () => {
      const http = new HttpClient(base);
      while (!stop) {
        const body = buildPortalTicket();
        const start = Date.now();
        const res = await http.post("/api/portal/tickets", body, { timeoutMs: 35_000 });
        samples.push({ start, end: Date.now(), res });
        if (res.status === 201) {
          acked.push({
            number: (res.body as { ticket: { number: string } }).ticket.number,
            subject: body.subject,
          });
        } else {
          await sleep(res.status === 503 ? 200 : 100);
        }
      }
    };

    const loaders = Array.from({ length: CLIENTS }, () => client());
    let downAt = 0;
    let upAt = 0;
    const health: Record<string, unknown> = {};
    try {
      await sleep(3000);
      downAt = Date.now();
      await pg.stopImmediate();
      await sleep(OUTAGE_MS / 2);
      const during = await new HttpClient(base).get("/api/health", { timeoutMs: 35_000 });
      health.during = `${during.status} ${JSON.stringify(during.body)}`;
      await sleep(OUTAGE_MS / 2);
      await pg.start();
      upAt = Date.now();
      // Load goes on until the first success after the restart, and a while longer.
      const deadline = upAt + 40_000;
      while (!samples.some((s) => s.start >= upAt && s.res.status === 201)) {
        if (Date.now() > deadline) {
          break;
        }
        await sleep(100);
      }
      await sleep(3000);
    } finally {
      stop = true;
      await Promise.all(loaders);
    }
    const after = await new HttpClient(base).get("/api/health");
    health.after = `${after.status} ${JSON.stringify(after.body)}`;

    const statuses = new StatusCounts();
    for (const s of samples) {
      statuses.add(s.res);
    }
    const firstBack = samples
      .filter((s) => s.start >= upAt && s.res.status === 201)
      .sort((a, b) => a.end - b.end)[0];
    const recoveryMs = firstBack === undefined ? Number.POSITIVE_INFINITY : firstBack.end - upAt;
    const outage = samples.filter((s) => s.end >= downAt && s.start <= upAt);
    const failedAfterBack = samples.filter(
      (s) => firstBack !== undefined && s.start > firstBack.end && s.res.status !== 201,
    ).length;
    report("T05", {
      requests: samples.length,
      acked: acked.length,
      duringOutage: outage.length,
      outageSeconds: (upAt - downAt) / 1000,
      recoveryMs,
      failedAfterRecovery: failedAfterBack,
      outageP99ms: quantile(
        outage.map((s) => s.res.ms),
        0.99,
      ),
      maxMs: Math.max(...samples.map((s) => s.res.ms)),
    });
    report("T05", { statuses: statuses.toString(), healthDuring: health.during });

    expect(server!.child.exitCode, `the server process died:\n${server!.output()}`).to.equal(null);
    expect(
      statuses.unexpected((key) => key === "201" || key === "503"),
      `${statuses.toString()}\n${server!.output().slice(-3000)}`,
    ).to.deep.equal([]);
    expect(statuses.get("503"), "the outage is seen as 503").to.be.greaterThan(0);
    expect(
      samples.filter((s) => s.res.status === 503 && !s.res.headers?.get("retry-after")),
    ).to.deep.equal([]);
    expect(Math.max(...samples.map((s) => s.res.ms)), "no request hangs 30 s").to.be.below(30_000);
    expect(recoveryMs, "back within 10 s of the database").to.be.at.most(10_000);
    expect(health.during).to.match(/^503 .*"database":"down"/);
    expect(health.after).to.match(/^200 .*"database":"ok"/);

    // Every acknowledged ticket is in the database.
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ number: number; subject: string }>(
        `SELECT "number", "subject" FROM "tickets"`,
      );
      const stored = new Map(rows.map((row) => [Number(row.number), row.subject]));
      const lost = acked.filter(
        (t) => stored.get(Number(t.number.replace(/\D/g, ""))) !== t.subject,
      );
      expect(lost, "acknowledged tickets missing").to.deep.equal([]);
    } finally {
      await db.end();
    }
  });
});
