import { expect } from "chai";
import request from "supertest";
import WebSocket from "ws";
import { rooms } from "../../shared/contracts/realtime";
import type { PortalMessageDto } from "../../shared/contracts/http/portal";
import type { Database } from "../../server/src/db/database";
import { SessionRow } from "../../server/src/auth/session.entity";
import { buildAgent, signIn, signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { sleep, waitUntil } from "../support/ports";
import {
  closeAll,
  connectAs,
  connected,
  disconnected,
  expectNoEvent,
  socketFor,
  waitFor,
} from "../support/sockets";
import type { TestSocket } from "../support/sockets";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";

/** What the socket.io client keeps to ask for a recovery: its private session id and offset. */
function recoveryOf(socket: TestSocket): { pid: string; offset: string } {
  const state = socket as unknown as { _pid?: string; _lastOffset?: string };
  if (state._pid === undefined || state._lastOffset === undefined) {
    throw new Error("the socket has nothing to recover from yet");
  }
  return { pid: state._pid, offset: state._lastOffset };
}

/** Every event a socket receives, in order. */
function record(socket: TestSocket): [string, unknown][] {
  const seen: [string, unknown][] = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
}

async function portalTicket(t: TestServer, admin: SignedIn, subject = "No LTE on my phone") {
  const res = await request(t.url)
    .post("/api/portal/tickets")
    .send(buildPortalTicket({ subject }))
    .expect(201);
  const token = tokenOf(res.body.accessUrl as string);
  const list = await admin
    .get(`/api/tickets?q=${encodeURIComponent(res.body.ticket.number as string)}`)
    .expect(200);
  return { token, id: list.body.items[0].id as string };
}

/**
 * Cuts a socket's transport the way a dropped network does (no socket.io goodbye), and waits
 * until the server has noticed and kept its state for recovery.
 */
async function park(t: TestServer, socket: TestSocket): Promise<void> {
  const id = socket.id!;
  socket.io.engine.close();
  await waitUntil(
    "the server sees the drop",
    () => !t.server.realtime.io.sockets.sockets.has(id),
    3000,
    20,
  );
}

/** Reconnects the same client (so it sends its {pid, offset}) with another credential. */
async function comeBack(
  t: TestServer,
  socket: TestSocket,
  credential: { cookie?: string; ticketToken?: string },
): Promise<TestSocket> {
  socket.io.opts.extraHeaders = {
    Origin: t.url,
    ...(credential.cookie ? { Cookie: credential.cookie } : {}),
  };
  socket.auth = credential.ticketToken ? { ticketToken: credential.ticketToken } : {};
  socket.connect();
  return connected(socket);
}

function serverSocket(t: TestServer, socket: TestSocket) {
  const found = t.server.realtime.io.sockets.sockets.get(socket.id!);
  if (found === undefined) {
    throw new Error("no such socket on the server");
  }
  return found;
}

describe("realtime security (connection recovery, floods, session expiry)", () => {
  afterEach(() => closeAll());

  describe("T33 recovery-rooms-carryover", () => {
    let t: TestServer;
    let admin: SignedIn;
    before(async () => {
      t = await startTestServer();
      admin = await signedInAs(t, "admin", "Ada Admin");
    });
    after(async () => {
      await t.stop();
    });

    it("still recovers a dropped agent socket of the same, valid session, missed events included", async () => {
      const agent = await signedInAs(t);
      const { id } = await portalTicket(t, admin);
      const socket = await connectAs(t, agent);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await admin.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      await park(t, socket);
      await admin.post(`/api/tickets/${id}/messages`, { body: "missed note", internal: true });
      const seen = record(socket);
      await comeBack(t, socket, { cookie: agent.cookie });
      expect(socket.recovered).to.equal(true);
      await waitUntil("the missed note", () => JSON.stringify(seen).includes("missed note"), 2000);
      expect(serverSocket(t, socket).rooms.has(rooms.ticket(id))).to.equal(true);
    });

    it("drops a customer's recovery sessions when the link is replaced", async () => {
      const mine = await portalTicket(t, admin, "Revoked while away");
      const own = await portalTicket(t, admin, "The attacker's own ticket");
      // Two tabs on the same link, both cut off while the link is replaced.
      const thief = await connected(socketFor(t, { ticketToken: mine.token }));
      const owner = await connected(socketFor(t, { ticketToken: mine.token }));
      const heard = Promise.all([thief, owner].map((s) => waitFor(s, "ticket:message")));
      await admin.post(`/api/tickets/${mine.id}/messages`, { body: "hello" }).expect(201);
      await heard;
      await park(t, thief);
      await park(t, owner);

      const revoked = await request(t.url)
        .post(`/api/portal/tickets/${mine.token}/revoke`)
        .send({})
        .expect(200);
      const fresh = tokenOf(revoked.body.accessUrl as string);
      await admin
        .post(`/api/tickets/${mine.id}/messages`, { body: "sent after the revoke" })
        .expect(201);

      // With a valid link of another ticket: a fresh connection that hears nothing of the old one.
      const stolen = record(thief);
      const { pid } = recoveryOf(thief);
      const oldId = thief.id;
      await comeBack(t, thief, { ticketToken: own.token });
      expect(thief.recovered, "recovered with another ticket's link").to.equal(false);
      expect(serverSocket(t, thief).recovered).to.equal(false);
      expect(recoveryOf(thief).pid, "a fresh recovery id").to.not.equal(pid);
      expect(thief.id, "a fresh socket id").to.not.equal(oldId);
      expect([...serverSocket(t, thief).rooms].sort()).to.deep.equal(
        [thief.id!, rooms.ticketPublic(own.id)].sort(),
      );
      const inRoom = await t.server.realtime.io.in(rooms.ticketPublic(mine.id)).fetchSockets();
      expect(inRoom.map((s) => s.id)).to.not.include(thief.id);

      // With the new link: the customer again, but the revoked link's session is not restored.
      const replayed = record(owner);
      await comeBack(t, owner, { ticketToken: fresh });
      expect(owner.recovered, "recovered the revoked link's session").to.equal(false);
      const live = waitFor(owner, "ticket:message", (m) => (m as PortalMessageDto).body === "live");
      await admin.post(`/api/tickets/${mine.id}/messages`, { body: "live" }).expect(201);
      await live;
      await sleep(200);
      expect(JSON.stringify(stolen)).to.not.include("sent after the revoke");
      expect(JSON.stringify(stolen)).to.not.include("live");
      expect(JSON.stringify(replayed)).to.not.include("sent after the revoke");
    });

    it("drops a disabled agent's recovery: a portal link does not bring back notes or the queue", async () => {
      const agent = await buildAgent(t);
      const client = await signIn(t, agent);
      const { id } = await portalTicket(t, admin);
      const own = await portalTicket(t, admin, "A ticket of the agent's own");
      const socket = await connectAs(t, client);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await admin.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      await park(t, socket);

      await admin.patch(`/api/agents/${agent.id}`, { disabled: true }).expect(200);
      await admin.post(`/api/tickets/${id}/messages`, {
        body: "note after disabling",
        internal: true,
      });
      await portalTicket(t, admin, "Created after disabling");

      const seen = record(socket);
      await comeBack(t, socket, { ticketToken: own.token });
      expect(socket.recovered).to.equal(false);
      const remote = serverSocket(t, socket);
      expect([...remote.rooms].sort()).to.deep.equal(
        [socket.id!, rooms.ticketPublic(own.id)].sort(),
      );
      await admin.post(`/api/tickets/${id}/messages`, { body: "note later", internal: true });
      await portalTicket(t, admin, "Created later");
      await sleep(300);
      const text = JSON.stringify(seen);
      for (const secret of [
        "note after disabling",
        "Created after disabling",
        "note later",
        "Created later",
      ]) {
        expect(text).to.not.include(secret);
      }
    });

    it("drops an agent's recovery at sign-out: a new session starts fresh, nothing of the old one", async () => {
      const agent = await buildAgent(t);
      const before = await signIn(t, agent);
      const { id } = await portalTicket(t, admin);
      const socket = await connectAs(t, before);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await admin.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      await park(t, socket);

      await before.post("/api/auth/logout").expect(204);
      await admin.post(`/api/tickets/${id}/messages`, { body: "while signed out", internal: true });
      const after = await signIn(t, agent);
      const seen = record(socket);
      await comeBack(t, socket, { cookie: after.cookie });
      expect(socket.recovered).to.equal(false);
      expect(serverSocket(t, socket).rooms.has(rooms.ticket(id))).to.equal(false);
      await sleep(300);
      expect(JSON.stringify(seen)).to.not.include("while signed out");

      // And the signed-out cookie cannot recover it either.
      const other = await connectAs(t, after);
      const note = waitFor(other, "ticket:created");
      await portalTicket(t, admin);
      await note;
      await park(t, other);
      const refused = await comeBack(t, other, { cookie: before.cookie }).then(
        () => null,
        (error: Error) => error,
      );
      expect(refused?.message).to.equal("authentication_required");
    });

    it("drops an agent's recovery at a password reset: neither the old cookie nor a new session restores it", async () => {
      const agent = await buildAgent(t);
      const before = await signIn(t, agent);
      const { id } = await portalTicket(t, admin);
      const socket = await connectAs(t, before);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await admin.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      await park(t, socket);

      const password = "an entirely new passphrase";
      await admin.patch(`/api/agents/${agent.id}`, { password }).expect(200);
      await admin.post(`/api/tickets/${id}/messages`, { body: "after the reset", internal: true });
      const seen = record(socket);
      const refused = await comeBack(t, socket, { cookie: before.cookie }).then(
        () => null,
        (error: Error) => error,
      );
      expect(refused?.message).to.equal("authentication_required");
      const after = await signIn(t, { ...agent, password });
      await comeBack(t, socket, { cookie: after.cookie });
      expect(socket.recovered).to.equal(false);
      expect(serverSocket(t, socket).rooms.has(rooms.ticket(id))).to.equal(false);
      await sleep(300);
      expect(JSON.stringify(seen)).to.not.include("after the reset");
    });
  });

  describe("T33 recovery after the session expired", () => {
    let t: TestServer;
    let clock: MutableClock;
    before(async () => {
      clock = mutableClock();
      // The periodic expiry check is far off: only the handshake decides here.
      t = await startTestServer({}, { clock, sessionCheckMs: 3600_000 });
    });
    after(async () => {
      await t.stop();
    });

    it("drops an agent's recovery when the session expires while away: no notes, no queue", async () => {
      const agent = await signedInAs(t);
      const early = await signedInAs(t, "admin", "Ada Admin");
      const { id } = await portalTicket(t, early);
      const socket = await connectAs(t, agent);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await early.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      await park(t, socket);

      // Past the 12 h lifetime of every session signed in so far.
      clock.advance(12.5 * 3600_000);
      const admin = await signedInAs(t, "admin", "Ada Admin");
      await admin.post(`/api/tickets/${id}/messages`, { body: "after expiry", internal: true });
      const own = await portalTicket(t, admin, "A ticket of the agent's own");
      const seen = record(socket);
      const refused = await comeBack(t, socket, { cookie: agent.cookie }).then(
        () => null,
        (error: Error) => error,
      );
      expect(refused?.message).to.equal("authentication_required");

      await comeBack(t, socket, { ticketToken: own.token });
      expect(socket.recovered).to.equal(false);
      expect([...serverSocket(t, socket).rooms].sort()).to.deep.equal(
        [socket.id!, rooms.ticketPublic(own.id)].sort(),
      );
      await portalTicket(t, admin, "Created after expiry");
      await sleep(300);
      const text = JSON.stringify(seen);
      expect(text).to.not.include("after expiry");
      expect(text).to.not.include("Created after expiry");
    });
  });

  describe("T34 recovery-before-auth", () => {
    let t: TestServer;
    let admin: SignedIn;
    before(async () => {
      t = await startTestServer();
      admin = await signedInAs(t, "admin", "Ada Admin");
    });
    after(async () => {
      await t.stop();
    });

    /** A bare WebSocket speaking Engine.IO/Socket.io by hand: every frame it receives, in order. */
    function rawSocket(): Promise<{ ws: WebSocket; frames: string[] }> {
      const ws = new WebSocket(
        `${t.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
      );
      const frames: string[] = [];
      ws.on("message", (data: Buffer) => {
        const frame = data.toString("utf8");
        frames.push(frame);
        if (frame === "2") {
          ws.send("3");
        }
      });
      return new Promise((resolve, reject) => {
        ws.once("open", () => resolve({ ws, frames }));
        ws.once("error", reject);
      });
    }

    it("sends no missed event to a raw WebSocket with a pid but no cookie and no token", async () => {
      const client = await signedInAs(t);
      const { id } = await portalTicket(t, admin);
      const socket = await connectAs(t, client);
      await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const first = waitFor(socket, "ticket:message");
      await admin.post(`/api/tickets/${id}/messages`, { body: "first", internal: true });
      await first;
      const { pid, offset } = recoveryOf(socket);
      await park(t, socket);
      await admin.post(`/api/tickets/${id}/messages`, { body: "an internal note", internal: true });
      await portalTicket(t, admin, "A new ticket for the queue");

      const { ws, frames } = await rawSocket();
      await waitUntil("the Engine.IO open packet", () => frames.length > 0, 2000, 10);
      expect(frames[0].startsWith("0")).to.equal(true);
      ws.send(`40${JSON.stringify({ pid, offset })}`);
      await waitUntil("the connect error", () => frames.some((f) => f.startsWith("44")), 2000, 10);
      await sleep(300);
      ws.close();
      const error = frames.findIndex((f) => f.startsWith("44"));
      expect(JSON.parse(frames[error].slice(2))).to.deep.include({
        message: "authentication_required",
      });
      expect(
        frames.filter((f) => f.startsWith("42")),
        "event frames",
      ).to.deep.equal([]);
    });
  });

  describe("T38 socket-event-flood", () => {
    let t: TestServer;
    let admin: SignedIn;
    before(async () => {
      t = await startTestServer();
      admin = await signedInAs(t, "admin", "Ada Admin");
    });
    after(async () => {
      await t.stop();
    });

    /** Counts the server's database reads from now on (until stop()). */
    function countReads(db: Database): { count: number; stop(): void } {
      const original = db.read.bind(db);
      const counter = {
        count: 0,
        stop: () => {
          // The counting read was set on the instance; the class's own shows through again.
          Reflect.deleteProperty(db, "read");
        },
      };
      db.read = (fn) => {
        counter.count += 1;
        return original(fn);
      };
      return counter;
    }

    it("answers a flood of 20,000 ticket:watch with rate_limited, then cuts it off; the database and /api/health do not notice", async function () {
      this.timeout(60_000);
      const { id, token } = await portalTicket(t, admin);
      const flooder = await connected(socketFor(t, { ticketToken: token }));
      const gone = disconnected(flooder, 30_000);
      const reads = countReads(t.server.db);
      const codes = new Map<string, number>();
      try {
        for (let i = 0; i < 20_000; i++) {
          flooder.emit("ticket:watch", { ticketId: id }, (result) => {
            const code = result.ok ? "ok" : result.error.code;
            codes.set(code, (codes.get(code) ?? 0) + 1);
          });
        }
        const health = await request(t.url).get("/api/health").expect(200);
        expect(health.body.database).to.equal("ok");
        expect(await gone).to.equal("io server disconnect");
        await sleep(200);
      } finally {
        reads.stop();
      }
      expect(codes.get("rate_limited") ?? 0, JSON.stringify([...codes])).to.be.above(0);
      expect(codes.get("ok") ?? 0, JSON.stringify([...codes])).to.be.below(100);
      expect(reads.count, "database reads during the flood").to.be.below(50);
      await request(t.url).get("/api/health").expect(200);
    });

    it("does not read the database again for a ticket the agent already watches", async () => {
      const { id } = await portalTicket(t, admin);
      const socket = await connectAs(t, await signedInAs(t));
      const reads = countReads(t.server.db);
      try {
        for (let i = 0; i < 20; i++) {
          const ack = await socket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
          expect(ack.ok).to.equal(true);
        }
      } finally {
        reads.stop();
      }
      expect(reads.count).to.be.at.most(2);
    });

    it("turns 5,000 typing toggles from one agent into a bounded number of presence events", async function () {
      this.timeout(60_000);
      const { id } = await portalTicket(t, admin);
      const watcher = await connectAs(t, await signedInAs(t, "agent", "Wendy Watcher"));
      const typist = await connectAs(t, await signedInAs(t, "agent", "Tom Typist"));
      await watcher.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const both = waitFor(watcher, "presence:viewers", (p) => p.viewers.length === 2);
      await typist.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      await both;
      await sleep(400);
      let presence = 0;
      watcher.on("presence:viewers", () => (presence += 1));
      for (let i = 0; i < 5000; i++) {
        typist.emit("ticket:typing", { ticketId: id, typing: i % 2 === 0 });
      }
      await sleep(1500);
      expect(presence, "presence events at the other watcher").to.be.at.most(20);
      await request(t.url).get("/api/health").expect(200);
    });

    it("coalesces typing within the event budget: the latest state arrives, not every toggle", async () => {
      const { id } = await portalTicket(t, admin);
      const watcher = await connectAs(t, await signedInAs(t, "agent", "Wendy Watcher"));
      const typist = await signedInAs(t, "agent", "Tom Typist");
      const typistSocket = await connectAs(t, typist);
      await watcher.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const both = waitFor(watcher, "presence:viewers", (p) => p.viewers.length === 2);
      await typistSocket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      await both;
      await sleep(400);
      const events: { typing: boolean }[] = [];
      watcher.on("presence:viewers", (p) => {
        const viewer = p.viewers.find((v) => v.userId === typist.agent.id);
        events.push({ typing: viewer?.typing ?? false });
      });
      // 29 toggles, ending on "typing": well within what a socket may send at once.
      for (let i = 0; i < 29; i++) {
        typistSocket.emit("ticket:typing", { ticketId: id, typing: i % 2 === 0 });
      }
      await waitUntil("the latest state", () => events.at(-1)?.typing === true, 3000);
      await sleep(600);
      expect(events.length, JSON.stringify(events)).to.be.at.most(3);
      expect(events.at(-1)).to.deep.equal({ typing: true });
      expect(typistSocket.connected).to.equal(true);
    });
  });

  describe("T39 socket-outlives-session", () => {
    let t: TestServer;
    let clock: MutableClock;
    before(async () => {
      clock = mutableClock();
      t = await startTestServer({}, { clock, sessionCheckMs: 50 });
    });
    after(async () => {
      await t.stop();
    });

    it("disconnects an agent's socket when the session reaches its absolute lifetime", async () => {
      const client = await signedInAs(t);
      const socket = await connectAs(t, client);
      clock.advance(11 * 3600_000);
      await sleep(300);
      expect(socket.connected, "still within 12 h").to.equal(true);
      const gone = disconnected(socket, 3000);
      clock.advance(1.5 * 3600_000);
      expect(await gone).to.equal("io server disconnect");
      const refused = await connected(socketFor(t, { cookie: client.cookie })).then(
        () => null,
        (error: Error) => error,
      );
      expect(refused?.message).to.equal("authentication_required");
    });

    it("disconnects an agent's socket when the session's idle expiry passes", async () => {
      const client = await signedInAs(t);
      const socket = await connectAs(t, client);
      // Signed in after the clock moved on in the test above, so its own lifetime is fresh.
      const stays = await connectAs(t, await signedInAs(t));
      await sleep(300);
      expect(socket.connected).to.equal(true);
      const gone = disconnected(socket, 3000);
      // Idle expiry is the row's expiresAt, which each request pushes back: as if the last request
      // was more than 2 h ago. (The session store compares it with the wall clock, as express-session
      // stamps it, so here the row is moved rather than the clock.)
      await t.server.db.dataSource
        .getRepository(SessionRow)
        .update({ agentId: client.agent.id }, { expiresAt: new Date(Date.now() - 1000) });
      expect(await gone).to.equal("io server disconnect");
      const created = waitFor(stays, "ticket:created");
      await request(t.url).post("/api/portal/tickets").send(buildPortalTicket()).expect(201);
      await created;
      expect(stays.connected).to.equal(true);
    });
  });

  describe("T39 pruned sessions", () => {
    let t: TestServer;
    let admin: SignedIn;
    before(async () => {
      // The periodic check is far off: only the prune can end these sockets here.
      t = await startTestServer({}, { sessionCheckMs: 3600_000 });
      admin = await signedInAs(t, "admin", "Ada Admin");
    });
    after(async () => {
      await t.stop();
    });

    it("disconnects the sockets of the sessions a prune removes, and no others", async () => {
      const client = await signedInAs(t);
      const socket = await connectAs(t, client);
      const stays = await connectAs(t, admin);
      await t.server.db.dataSource
        .getRepository(SessionRow)
        .update({ agentId: client.agent.id }, { expiresAt: new Date(Date.now() - 1000) });
      const gone = disconnected(socket, 2000);
      expect(await t.server.auth.store.prune()).to.be.at.least(1);
      expect(await gone).to.equal("io server disconnect");
      const missed = expectNoEvent(socket, "ticket:created", 300);
      const created = waitFor(stays, "ticket:created");
      await request(t.url).post("/api/portal/tickets").send(buildPortalTicket()).expect(201);
      await Promise.all([missed, created]);
    });
  });
});
