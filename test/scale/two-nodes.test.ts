import { expect } from "chai";
import request from "supertest";
import WebSocket from "ws";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { createTestDatabase } from "../support/databases";
import type { TestDatabase } from "../support/databases";
import { startServerProcess } from "../support/processes";
import type { ServerProcess } from "../support/processes";
import { sleep, waitUntil } from "../support/ports";
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

/** What a socket.io client keeps to ask for a recovery: its private session id and offset. */
interface Recovery {
  pid: string;
  offset: string;
}

function recoveryOf(socket: TestSocket): Recovery {
  const state = socket as unknown as { _pid?: string; _lastOffset?: string };
  if (state._pid === undefined || state._lastOffset === undefined) {
    throw new Error("the socket has nothing to recover from yet");
  }
  return { pid: state._pid, offset: state._lastOffset };
}

/**
 * A client that asks `url` to recover `recovery` (as the same browser would after its
 * connection dropped and a load balancer sent it elsewhere), with `credential`.
 */
function resumeOn(
  url: string,
  recovery: Recovery,
  credential: { cookie?: string; ticketToken?: string },
): TestSocket {
  const socket: TestSocket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    extraHeaders: { ...(credential.cookie ? { Cookie: credential.cookie } : {}), Origin: url },
    auth: credential.ticketToken ? { ticketToken: credential.ticketToken } : {},
  });
  Object.assign(socket, { _pid: recovery.pid, _lastOffset: recovery.offset });
  socket.connect();
  return socket;
}

/** Every event a socket receives, in order. */
function record(socket: TestSocket): [string, unknown][] {
  const seen: [string, unknown][] = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
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
    expect(health.body).to.deep.equal({
      status: "ok",
      database: "ok",
      redis: "ok",
      mail: { relay: "not_configured", backlog: 0, failed: 0 },
    });
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

  describe("connection-state recovery through Redis (T33, T34)", () => {
    let redis: ReturnType<typeof createClient>;
    before(async () => {
      redis = createClient({ url: REDIS_URL });
      await redis.connect();
    });
    after(async () => {
      await redis.close();
    });

    async function openTicket(agent: { cookie: string }) {
      const body = buildPortalTicket({ subject: `Recovery ${Date.now()}` });
      const res = await request(a.url).post("/api/portal/tickets").send(body).expect(201);
      const list = await request(a.url)
        .get(`/api/tickets?q=${encodeURIComponent(res.body.ticket.number as string)}`)
        .set("Cookie", agent.cookie)
        .expect(200);
      return { id: list.body.items[0].id as string, token: tokenOf(res.body.accessUrl as string) };
    }

    function note(agent: { cookie: string; csrf: string }, id: string, body: string) {
      return request(a.url)
        .post(`/api/tickets/${id}/messages`)
        .set("Cookie", agent.cookie)
        .set("X-CSRF-Token", agent.csrf)
        .send({ body, internal: true })
        .expect(201);
    }

    /**
     * An agent's socket on A watching a ticket, cut off the way a dropped network does; resolves
     * once A has kept its state in Redis, with what the client would recover it with.
     */
    async function parkedWatcher(agent: { cookie: string; csrf: string }, id: string) {
      const socket = await connected(socketTo(a.url, agent.cookie));
      sockets.push(socket);
      await socket.timeout(5000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message", () => true, 5000);
      await note(agent, id, "first");
      await first;
      const recovery = recoveryOf(socket);
      socket.io.engine.close();
      await waitUntil(
        "A keeps the session in Redis",
        async () => (await redis.exists(`sio:session:${recovery.pid}`)) === 1,
        5000,
        20,
      );
      return recovery;
    }

    it("recovers a dropped socket on the other process for the same session, missed note included", async () => {
      const agent = await signIn(a.url);
      const { id } = await openTicket(agent);
      const recovery = await parkedWatcher(agent, id);
      await note(agent, id, "missed across processes");
      const socket = resumeOn(b.url, recovery, { cookie: agent.cookie });
      sockets.push(socket);
      const seen = record(socket);
      await connected(socket);
      expect(socket.recovered).to.equal(true);
      await waitUntil(
        "the missed note",
        () => JSON.stringify(seen).includes("missed across processes"),
        5000,
      );
    });

    it("gives another credential a fresh connection on the other process: no note, no queue", async () => {
      const agent = await signIn(a.url);
      const { id } = await openTicket(agent);
      const own = await openTicket(agent);
      const recovery = await parkedWatcher(agent, id);
      await note(agent, id, "a note the customer must not hear");
      const socket = resumeOn(b.url, recovery, { ticketToken: own.token });
      sockets.push(socket);
      const seen = record(socket);
      await connected(socket);
      expect(socket.recovered).to.equal(false);
      await note(agent, id, "a later note");
      await request(a.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket({ subject: "Created while the customer listens" }))
        .expect(201);
      await sleep(1000);
      const text = JSON.stringify(seen);
      for (const secret of [
        "must not hear",
        "a later note",
        "Created while the customer listens",
      ]) {
        expect(text).to.not.include(secret);
      }
    });

    it("sends a raw recovery packet without credentials no event before its auth error", async () => {
      const agent = await signIn(a.url);
      const { id } = await openTicket(agent);
      const { pid, offset } = await parkedWatcher(agent, id);
      await note(agent, id, "an internal note");
      const ws = new WebSocket(
        `${b.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
      );
      const frames: string[] = [];
      ws.on("message", (data: Buffer) => frames.push(data.toString("utf8")));
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      await waitUntil("the Engine.IO open packet", () => frames.length > 0, 5000, 10);
      ws.send(`40${JSON.stringify({ pid, offset })}`);
      await waitUntil("the connect error", () => frames.some((f) => f.startsWith("44")), 5000, 10);
      await sleep(300);
      ws.close();
      const error = frames.find((f) => f.startsWith("44"))!;
      expect(JSON.parse(error.slice(2))).to.deep.include({ message: "authentication_required" });
      expect(
        frames.filter((f) => f.startsWith("42")),
        "event frames",
      ).to.deep.equal([]);
    });
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
