import { expect } from "chai";
import request from "supertest";
import { buildPortalTicket } from "../support/factories";
import { createTestDatabase } from "../support/databases";
import type { TestDatabase } from "../support/databases";
import { startServerProcess } from "../support/processes";
import type { ServerProcess } from "../support/processes";
import { closeAll, connected, disconnected, waitFor } from "../support/sockets";
import type { TestSocket } from "../support/sockets";
import { createClient } from "redis";
import { io } from "socket.io-client";

const REDIS_URL = process.env.GREYDESK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN = { email: "scale-admin@example.com", password: "scale-admin-password" };

function socketTo(url: string, cookie: string): TestSocket {
  return io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { Cookie: cookie, Origin: url },
  });
}

async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const http = request.agent(url);
  const csrf = await http.get("/api/auth/csrf").expect(200);
  const login = await http
    .post("/api/auth/login")
    .set("X-CSRF-Token", csrf.body.token as string)
    .send(ADMIN)
    .expect(200);
  const cookie = ([] as string[])
    .concat(login.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, csrf: login.body.csrfToken as string };
}

describe("two server processes on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: TestSocket[] = [];

  before(async () => {
    // Earlier runs' sign-in counts live on in the shared Redis: start from none.
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: "greydesk:login:*", COUNT: 1000 })) {
      if (keys.length > 0) {
        await redis.del(keys);
      }
    }
    await redis.close();
    database = await createTestDatabase();
    if (database.config.type !== "postgres") {
      throw new Error("needs PostgreSQL");
    }
    const env = {
      DATABASE_URL: database.config.url,
      REDIS_URL,
      SESSION_SECRET: "scale-test-secret-shared-by-both-processes",
      GREYDESK_ADMIN_EMAIL: ADMIN.email,
      GREYDESK_ADMIN_PASSWORD: ADMIN.password,
    };
    // One after the other: the first runs the migrations.
    a = await startServerProcess(env);
    b = await startServerProcess(env);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.disconnect();
    }
    closeAll();
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it("reports Redis in its health", async () => {
    const health = await request(a.url).get("/api/health").expect(200);
    expect(health.body).to.deep.equal({ status: "ok", database: "ok", redis: "ok" });
  });

  it("lets an agent connected to one process hear a ticket created through the other", async () => {
    const agent = await signIn(a.url);
    // The session signed in on A is valid on B: sessions live in the shared database.
    const socket = await connected(socketTo(b.url, agent.cookie));
    sockets.push(socket);
    const body = buildPortalTicket({ subject: `Cross-node ${Date.now()}` });
    const heard = waitFor(
      socket,
      "ticket:created",
      (ticket) => ticket.subject === body.subject,
      5000,
    );
    await request(a.url).post("/api/portal/tickets").send(body).expect(201);
    expect((await heard).subject).to.equal(body.subject);
  });

  it("disconnects the agent's socket on one process when they log out on the other", async () => {
    const agent = await signIn(a.url);
    const onB = await connected(socketTo(b.url, agent.cookie));
    sockets.push(onB);
    const gone = disconnected(onB, 5000);
    await request(a.url)
      .post("/api/auth/logout")
      .set("Cookie", agent.cookie)
      .set("X-CSRF-Token", agent.csrf)
      .expect(204);
    expect(await gone).to.equal("io server disconnect");
    await request(b.url).get("/api/auth/me").set("Cookie", agent.cookie).expect(401);
  });

  it("shares the sign-in throttle between processes", async () => {
    const victim = `victim-${Date.now()}@example.com`;
    const tries = async (url: string) => {
      const http = request.agent(url);
      const csrf = await http.get("/api/auth/csrf");
      return http
        .post("/api/auth/login")
        .set("X-CSRF-Token", csrf.body.token as string)
        .send({ email: victim, password: "guess" });
    };
    for (let i = 0; i < 5; i++) {
      expect((await tries(i % 2 === 0 ? a.url : b.url)).status).to.equal(401);
    }
    expect((await tries(b.url)).status).to.equal(429);
    expect((await tries(a.url)).status).to.equal(429);
  });
});
