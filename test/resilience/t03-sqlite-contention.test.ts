import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import { STATUS_TRANSITIONS } from "../../shared/domain/status";
import type { TicketStatus } from "../../shared/domain/enums";
import type { TicketDetail } from "../../server/src/modules/tickets/tickets.service";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { createLogger } from "../../server/src/logging/logger";
import { buildAgent } from "../support/agents";
import type { TestAgent } from "../support/agents";
import { buildEmail, buildPortalTicket } from "../support/factories";
import { HttpClient, quantile } from "../support/http-client";
import type { HttpResult } from "../support/http-client";
import { openSqliteFile } from "../support/sqlite-file";
import { sleep } from "../support/ports";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";
import { StatusCounts, report } from "./fixtures";

/**
 * docs/SECURITY.md T03: 50 concurrent writers x 200 operations (open, reply, change status, assign,
 * with read-then-write paths) on one server over a SQLite file in WAL mode; then a second process
 * holding the file's write lock. Busy is a 503 with Retry-After or a wait, never a 500, never
 * "database is locked"; everything acknowledged is there afterwards.
 */
const WRITERS = 50;
const OPS = 200;
const LOCKED = /database is locked|SQLITE_BUSY/i;

/** Statuses a writer moves its tickets through (never closed: a closed ticket takes nothing). */
const TARGETS: TicketStatus[] = [
  "open",
  "pending_customer",
  "pending_internal",
  "pending_distributor",
  "resolved",
];

interface Owned {
  id: string;
  /** The status the writer last set, when it set one. */
  status: TicketStatus | null;
  /** The assignee the writer last set (undefined: never). */
  assigneeId: string | null | undefined;
}

/**
 * A second process on the same file (the sqlite3 driver in its own Node process): it takes the
 * write lock with BEGIN IMMEDIATE, writes, holds the lock for `holdMs`, then commits.
 */
function holdWriteLock(
  file: string,
  holdMs: number,
): { locked: Promise<void>; done: Promise<void> } {
  const script = `
    const sqlite3 = require("sqlite3");
    const db = new sqlite3.Database(process.argv[1]);
    db.configure("busyTimeout", 30000);
    db.serialize(() => {
      db.run("BEGIN IMMEDIATE", (e) => { if (e) { console.error(e.message); process.exit(2); } });
      db.run('UPDATE "counters" SET "value" = "value" WHERE "name" = \\'ticket_number\\'', (e) => {
        if (e) { console.error(e.message); process.exit(3); }
        console.log("locked");
        setTimeout(() => db.run("COMMIT", (c) => {
          if (c) { console.error(c.message); process.exit(4); }
          db.close(() => { console.log("released"); process.exit(0); });
        }), Number(process.argv[2]));
      });
    });`;
  const child = spawn(process.execPath, ["-e", script, file, String(holdMs)], {
    cwd: path.resolve(__dirname, "../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const done = new Promise<void>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}: ${out}`)),
    ),
  );
  const locked = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes("locked")) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
    done.catch((error: unknown) => {
      clearInterval(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
  return { locked, done };
}

describe("T03 SQLite contention (one server, one file, WAL)", () => {
  let dir: string;
  let t: TestServer;
  const logs: string[] = [];
  let agents: TestAgent[];
  let clients: HttpClient[];
  const pool: string[] = [];

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-t03-"));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    t = await startTestServer(
      { database: { type: "sqlite", path: path.join(dir, "greydesk.sqlite") } },
      { logger: createLogger("warn", sink) },
    );
    agents = [];
    for (let i = 0; i < 10; i++) {
      agents.push(await buildAgent(t, "agent", `Contention Agent ${i}`));
    }
    clients = [];
    for (let w = 0; w < WRITERS; w++) {
      const client = new HttpClient(t.url);
      const agent = agents[w % agents.length];
      const login = await client.signIn(agent.email, agent.password);
      expect(login.status, JSON.stringify(login.body)).to.equal(200);
      clients.push(client);
    }
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${WRITERS} writers x ${OPS} operations: no 500, no "database is locked", nothing lost`, async function () {
    this.timeout(10 * 60_000);
    const statuses = new StatusCounts();
    const writeMs: number[] = [];
    const bodies: string[] = [];
    const createdIds: string[] = [];
    const portalNumbers: string[] = [];
    const replies: { ticketId: string; eventId: string; body: string }[] = [];
    const owned: Owned[][] = Array.from({ length: WRITERS }, () => []);
    let conflicts = 0;

    const write = (res: HttpResult) => {
      statuses.add(res);
      writeMs.push(res.ms);
      if (typeof res.body === "object" && res.body !== null) {
        bodies.push(JSON.stringify(res.body).slice(0, 500));
      }
      return res;
    };
    const read = (res: HttpResult) => {
      statuses.add(res);
      return res;
    };

    async function create(w: number, http: HttpClient): Promise<void> {
      if (randomInt(2) === 0) {
        // The portal: the answer has the number; the id comes from the queue (read, then write).
        const res = write(await http.post("/api/portal/tickets", buildPortalTicket()));
        if (res.status !== 201) {
          return;
        }
        const number = (res.body as { ticket: { number: string } }).ticket.number;
        portalNumbers.push(number);
        const found = read(await http.get(`/api/tickets?q=${encodeURIComponent(number)}`));
        const id = (found.body as { items?: TicketDto[] }).items?.[0]?.id;
        if (found.status === 200 && id !== undefined) {
          owned[w].push({ id, status: null, assigneeId: undefined });
          pool.push(id);
        }
        return;
      }
      const res = write(
        await http.post("/api/tickets", {
          customer: { email: buildEmail(), name: `Walk-in ${w}` },
          category: "network",
          subject: `Counter ticket ${randomBytes(4).toString("hex")}`,
          description: "Customer at the counter: no LTE.",
        }),
      );
      if (res.status === 201) {
        const id = (res.body as { ticket: TicketDto }).ticket.id;
        createdIds.push(id);
        owned[w].push({ id, status: null, assigneeId: undefined });
        pool.push(id);
      }
    }

    async function reply(http: HttpClient): Promise<void> {
      const ticketId = pool[randomInt(pool.length)];
      // Read, then write with the reply guard: someone else's write since is a 409, not a loss.
      const detail = read(await http.get(`/api/tickets/${ticketId}`));
      if (detail.status !== 200) {
        return;
      }
      const events = (detail.body as TicketDetail).events;
      const body = `Checked the APN settings ${randomBytes(4).toString("hex")}`;
      const internal = randomInt(3) === 0;
      const res = write(
        await http.post(`/api/tickets/${ticketId}/messages`, {
          body,
          internal,
          lastSeenSeq: events[events.length - 1].seq,
        }),
      );
      if (res.status === 201) {
        replies.push({ ticketId, eventId: (res.body as { event: { id: string } }).event.id, body });
      } else if (res.status === 409) {
        conflicts += 1;
      }
    }

    async function changeStatus(mine: Owned, http: HttpClient): Promise<void> {
      const detail = read(await http.get(`/api/tickets/${mine.id}`));
      if (detail.status !== 200) {
        return;
      }
      const current = (detail.body as TicketDetail).ticket.status;
      const choices = TARGETS.filter(
        (to) => to !== current && STATUS_TRANSITIONS[current].includes(to),
      );
      const to = choices[randomInt(choices.length)];
      const res = write(await http.patch(`/api/tickets/${mine.id}`, { status: to }));
      if (res.status === 200) {
        mine.status = to;
      } else if (res.status === 409) {
        conflicts += 1;
      }
    }

    async function assign(mine: Owned, http: HttpClient): Promise<void> {
      const to = randomInt(5) === 0 ? null : agents[randomInt(agents.length)].id;
      const res = write(await http.patch(`/api/tickets/${mine.id}`, { assigneeId: to }));
      if (res.status === 200) {
        mine.assigneeId = to;
      }
    }

    async function writer(w: number): Promise<void> {
      const http = clients[w];
      for (let op = 0; op < OPS; op++) {
        const mine = owned[w];
        const dice = op === 0 || mine.length === 0 ? 0 : randomInt(100);
        if (dice < 20) {
          await create(w, http);
        } else if (dice < 50) {
          await reply(http);
        } else if (dice < 75) {
          await changeStatus(mine[randomInt(mine.length)], http);
        } else {
          await assign(mine[randomInt(mine.length)], http);
        }
      }
    }

    const started = Date.now();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const seconds = (Date.now() - started) / 1000;

    report("T03", {
      writers: WRITERS,
      ops: WRITERS * OPS,
      seconds,
      writesPerSecond: writeMs.length / seconds,
      writeP50ms: quantile(writeMs, 0.5),
      writeP99ms: quantile(writeMs, 0.99),
      writeMaxMs: Math.max(...writeMs),
      conflicts409: conflicts,
    });
    report("T03", { statuses: statuses.toString() });

    expect(
      statuses.unexpected((key) => ["200", "201", "409", "503"].includes(key)),
      statuses.toString(),
    ).to.deep.equal([]);
    expect(bodies.filter((body) => LOCKED.test(body))).to.deep.equal([]);
    expect(
      logs.filter((line) => LOCKED.test(line) || line.includes("unhandled error")),
    ).to.deep.equal([]);

    // Everything acknowledged is there.
    const db = t.server.db.dataSource;
    const [{ n: ticketCount }] = await db.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM "tickets"`,
    );
    expect(Number(ticketCount)).to.equal(createdIds.length + portalNumbers.length);
    for (const id of createdIds) {
      expect((await db.query(`SELECT "id" FROM "tickets" WHERE "id" = ?`, [id])).length).to.equal(
        1,
      );
    }
    for (const number of portalNumbers) {
      const rows = await db.query(`SELECT "id" FROM "tickets" WHERE "number" = ?`, [
        Number(number.replace(/\D/g, "")),
      ]);
      expect(rows, number).to.have.length(1);
    }
    const stored = new Map<string, { ticketId: string; body: string }>(
      (
        await db.query<{ id: string; ticketId: string; body: string }[]>(
          `SELECT "id", "ticketId", "body" FROM "ticket_events"`,
        )
      ).map((row) => [row.id, { ticketId: row.ticketId, body: row.body }]),
    );
    for (const r of replies) {
      expect(stored.get(r.eventId), r.eventId).to.deep.equal({
        ticketId: r.ticketId,
        body: r.body,
      });
    }
    const http = clients[0];
    for (const mine of owned.flat()) {
      const res = await http.get(`/api/tickets/${mine.id}`);
      expect(res.status).to.equal(200);
      const ticket = (res.body as TicketDetail).ticket;
      if (mine.status !== null) {
        expect(ticket.status, mine.id).to.equal(mine.status);
      }
      if (mine.assigneeId !== undefined) {
        expect(ticket.assignee?.id ?? null, mine.id).to.equal(mine.assigneeId);
      }
    }
  });

  it("a second process holding the write lock: 503 with Retry-After or success, never 500", async function () {
    this.timeout(3 * 60_000);
    const file = path.join(dir, "greydesk.sqlite");
    const statuses = new StatusCounts();
    const missingRetryAfter: number[] = [];
    const slowest: number[] = [];
    let stop = false;
    const load = async (w: number) => {
      const http = clients[w];
      while (!stop) {
        const ticketId = pool[randomInt(pool.length)];
        const res =
          randomInt(2) === 0
            ? await http.post("/api/portal/tickets", buildPortalTicket())
            : await http.post(`/api/tickets/${ticketId}/messages`, {
                body: "While the importer runs",
                internal: true,
              });
        statuses.add(res);
        slowest.push(res.ms);
        if (res.status === 503 && !res.headers?.get("retry-after")) {
          missingRetryAfter.push(res.status);
        }
        if (res.status === 503) {
          await sleep(Number(res.headers?.get("retry-after") ?? 1) * 100);
        }
      }
    };
    const loaders = Array.from({ length: 10 }, (_, w) => load(w));
    const phases: Record<string, string> = {};
    try {
      // Longer than busy_timeout (5 s): writes queued behind it must fail cleanly (503).
      let holder = holdWriteLock(file, 7000);
      await holder.locked;
      await holder.done;
      phases.hold7s = statuses.toString();
      // Shorter than busy_timeout: writes wait and succeed.
      holder = holdWriteLock(file, 1500);
      await holder.locked;
      await holder.done;
      await sleep(1500);
    } finally {
      stop = true;
      await Promise.all(loaders);
    }
    // And the server writes normally once the other process is gone.
    const after = await clients[0].post("/api/portal/tickets", buildPortalTicket());
    expect(after.status).to.equal(201);
    const check = await openSqliteFile(file);
    try {
      const integrity = await check.all<{ integrity_check: string }>("PRAGMA integrity_check");
      expect(integrity.map((row) => row.integrity_check)).to.deep.equal(["ok"]);
    } finally {
      await check.close();
    }

    report("T03", {
      secondProcess: statuses.toString(),
      after7sHold: phases.hold7s,
      maxMs: Math.max(...slowest),
    });
    expect(
      statuses.unexpected((key) => ["201", "503"].includes(key)),
      statuses.toString(),
    ).to.deep.equal([]);
    expect(statuses.get("503"), "a 7 s lock must surface as 503 somewhere").to.be.greaterThan(0);
    expect(missingRetryAfter, "503 without Retry-After").to.deep.equal([]);
    expect(Math.max(...slowest), "no request hangs").to.be.below(30_000);
    expect(
      logs.filter((line) => LOCKED.test(line) || line.includes("unhandled error")),
    ).to.deep.equal([]);
  });
});
