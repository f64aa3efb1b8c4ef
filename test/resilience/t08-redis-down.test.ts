import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { io } from "socket.io-client";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { createTestDatabase } from "../support/databases";
import type { TestDatabase } from "../support/databases";
import { buildPortalTicket } from "../support/factories";
import { HttpClient } from "../support/http-client";
import type { HttpResult } from "../support/http-client";
import { sleep, waitUntil } from "../support/ports";
import { startServerProcess } from "../support/processes";
import type { ServerProcess } from "../support/processes";
import { startRedisInstance } from "../support/redis-instance";
import type { RedisInstance } from "../support/redis-instance";
import type { TestSocket } from "../support/sockets";
import { StatusCounts, report, stopOrKill } from "./fixtures";

/**
 * docs/SECURITY.md T08: two server processes on PostgreSQL and a private Redis (Socket.io's streams
 * adapter, shared rate limits and sign-in throttle). Redis is killed for about 10 s under load,
 * while agents' connections come and go: tickets are still opened (201), no process dies or
 * freezes, health says degraded, sign-in is refused with 503 (never let through unthrottled),
 * and once Redis is back an agent on node B hears tickets opened on node A within 10 s.
 */
const ADMIN = { email: "t08-admin@example.com", password: "t08-admin-password-long" };
const OUTAGE_MS = 10_000;
/** A live server answers this fast even under the test's load; longer means it is stuck. */
const ANSWER_MS = 5000;

/** A fresh database on the machine's PostgreSQL, whatever GREYDESK_TEST_DATABASE says. */
async function postgresDatabase(): Promise<TestDatabase> {
  const saved = process.env.GREYDESK_TEST_DATABASE;
  process.env.GREYDESK_TEST_DATABASE = "postgres";
  try {
    return await createTestDatabase();
  } finally {
    if (saved === undefined) {
      delete process.env.GREYDESK_TEST_DATABASE;
    } else {
      process.env.GREYDESK_TEST_DATABASE = saved;
    }
  }
}

const answer = (res: HttpResult) =>
  `${res.status} ${res.status === 0 ? (res.error ?? "") : JSON.stringify(res.body)}`;

describe("T08 Redis down, scaled out (two processes, PostgreSQL, private Redis)", () => {
  let redis: RedisInstance;
  let database: TestDatabase;
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: TestSocket[] = [];

  before(async function () {
    this.timeout(180_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-t08-"));
    redis = await startRedisInstance();
    database = await postgresDatabase();
    if (database.config.type !== "postgres") {
      throw new Error("T08 needs PostgreSQL");
    }
    const env = {
      DATABASE_URL: database.config.url,
      REDIS_URL: redis.url,
      GREYDESK_DATA_DIR: dir,
      SESSION_SECRET: "t08-redis-down-secret-shared-by-both",
      GREYDESK_ADMIN_EMAIL: ADMIN.email,
      GREYDESK_ADMIN_PASSWORD: ADMIN.password,
      // The portal limit on, so its Redis store is in the path and must let requests pass.
      RATE_LIMIT_PORTAL: "1000000",
    };
    // One after the other: the first runs the migrations.
    a = await startServerProcess(env, 120_000);
    b = await startServerProcess(env, 120_000);
  });
  after(async function () {
    this.timeout(60_000);
    for (const socket of sockets) {
      socket.disconnect();
    }
    await Promise.all([stopOrKill(a), stopOrKill(b)]);
    await redis?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps opening tickets, says degraded, refuses sign-in with 503, and converges after", async function () {
    this.timeout(4 * 60_000);
    const agent = new HttpClient(a.url);
    expect((await agent.signIn(ADMIN.email, ADMIN.password)).status).to.equal(200);
    // The console's sockets, reconnecting by themselves: one watches on B, others come and go.
    const connectTo = (url: string) => {
      const socket: TestSocket = io(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 1000,
        extraHeaders: { Cookie: agent.cookieHeader, Origin: url },
      });
      sockets.push(socket);
      return socket;
    };
    const onB = connectTo(b.url);
    const heard: TicketDto[] = [];
    onB.on("ticket:created", (ticket) => heard.push(ticket));
    const flappers = [connectTo(a.url), connectTo(b.url)];
    await waitUntil("sockets connected", () => sockets.every((s) => s.connected), 10_000);

    const crossNode = async (timeoutMs: number) => {
      const subject = `Cross-node ${randomBytes(4).toString("hex")}`;
      const res = await new HttpClient(a.url).post(
        "/api/portal/tickets",
        buildPortalTicket({ subject }),
        { timeoutMs: ANSWER_MS },
      );
      expect(res.status, answer(res)).to.equal(201);
      return waitUntil("B hears A", () => heard.some((t) => t.subject === subject), timeoutMs);
    };
    await crossNode(10_000);

    // Load on both nodes all along.
    const statuses = new StatusCounts();
    const failures: string[] = [];
    let stop = false;
    const load = async (url: string) => {
      const http = new HttpClient(url);
      while (!stop) {
        const res = await http.post("/api/portal/tickets", buildPortalTicket(), {
          timeoutMs: 15_000,
        });
        statuses.add(res);
        if (res.status !== 201 && failures.length < 5) {
          failures.push(`${url}: ${answer(res)}`);
        }
        await sleep(50);
      }
    };
    const loaders = [a.url, a.url, b.url, b.url].map((url) => load(url));
    const outage: Record<string, string> = {};
    let backMs = Number.NaN;
    let healthOkMs = Number.NaN;
    try {
      await sleep(2000);
      const downAt = Date.now();
      await redis.stop("SIGKILL");
      await sleep(1000);
      // Agents' connections drop and come back while Redis is away.
      for (const socket of flappers) {
        socket.io.engine.close();
      }

      for (const [name, node] of [
        ["a", a],
        ["b", b],
      ] as const) {
        // Health says degraded (it may take a moment to notice), answering promptly.
        const http = new HttpClient(node.url);
        let last = "";
        await waitUntil(
          `health degraded on ${name}`,
          async () => {
            const res = await http.get("/api/health", { timeoutMs: ANSWER_MS });
            last = answer(res);
            return last.includes('"redis":"down"') || res.status === 0;
          },
          5000,
        ).catch(() => undefined);
        outage[`health_${name}`] = last;
        // Sign-in with the right password: refused with 503.
        const login = await new HttpClient(node.url).signIn(ADMIN.email, ADMIN.password, ANSWER_MS);
        outage[`login_${name}`] =
          `${login.status} ${login.headers?.get("retry-after") ?? login.error ?? "-"}`;
      }
      await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));

      await redis.start();
      const upAt = Date.now();
      // Tickets opened on A reach the agent on B again: one a second until B hears one.
      while (Number.isNaN(backMs) && Date.now() - upAt < 30_000) {
        try {
          await crossNode(1000);
          backMs = Date.now() - upAt;
        } catch {
          // Not yet: the next ticket.
        }
      }
      await waitUntil(
        "health ok again",
        async () => {
          const [ha, hb] = await Promise.all([
            new HttpClient(a.url).get("/api/health", { timeoutMs: ANSWER_MS }),
            new HttpClient(b.url).get("/api/health", { timeoutMs: ANSWER_MS }),
          ]);
          const ok = (res: HttpResult) => (res.body as { status?: string }).status === "ok";
          return ok(ha) && ok(hb);
        },
        15_000,
      )
        .then(() => (healthOkMs = Date.now() - upAt))
        .catch(() => undefined);
    } finally {
      stop = true;
      await Promise.all(loaders);
    }

    report("T08", {
      statuses: statuses.toString(),
      crossNodeBackMs: backMs,
      healthOkAfterMs: healthOkMs,
    });
    report("T08", outage);

    expect(a.child.exitCode, `node A died:\n${a.output().slice(-3000)}`).to.equal(null);
    expect(b.child.exitCode, `node B died:\n${b.output().slice(-3000)}`).to.equal(null);
    for (const name of ["a", "b"]) {
      expect(
        outage[`health_${name}`],
        `health on ${name} while Redis is down ("0 timeout": the process stopped answering)`,
      ).to.match(
        // The mail part counts the outbox (no relay here): the tickets opened so far wait in it.
        /^200 \{"status":"degraded","database":"ok","redis":"down","mail":\{"relay":"not_configured","backlog":\d+,"failed":0\}\}$/,
      );
      expect(outage[`login_${name}`], `sign-in on ${name} while Redis is down`).to.match(
        /^503 \d+$/,
      );
    }
    expect(
      statuses.unexpected((key) => key === "201"),
      failures.join("\n"),
    ).to.deep.equal([]);
    expect(backMs, "B hears A within 10 s of Redis returning (NaN: never)").to.be.at.most(10_000);
    // And sign-in works again.
    const again = await new HttpClient(b.url).signIn(ADMIN.email, ADMIN.password, ANSWER_MS);
    expect(again.status, answer(again)).to.equal(200);
  });
});
