import { expect } from "chai";
import request from "supertest";
import { rooms } from "../../shared/contracts/realtime";
import type { PortalMessageDto } from "../../shared/contracts/http/portal";
import type { TicketEventDto } from "../../shared/contracts/http/tickets";
import { buildAgent, signIn, signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket, tokenOf } from "../support/factories";
import {
  closeAll,
  connectAs,
  connected,
  disconnected,
  expectNoEvent,
  socketFor,
  waitFor,
} from "../support/sockets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("realtime (Socket.io on the same port)", () => {
  let t: TestServer;
  let admin: SignedIn;
  before(async () => {
    t = await startTestServer();
    admin = await signedInAs(t, "admin", "Ada Admin");
  });
  afterEach(() => closeAll());
  after(async () => {
    await t.stop();
  });

  async function portalTicket(subject = "No LTE on my phone") {
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket({ subject }))
      .expect(201);
    const token = tokenOf(res.body.accessUrl as string);
    const list = await admin
      .get(`/api/tickets?q=${encodeURIComponent(res.body.ticket.number as string)}`)
      .expect(200);
    return { token, id: list.body.items[0].id as string, number: res.body.ticket.number as string };
  }

  describe("handshake", () => {
    it("refuses a socket without a session", async () => {
      const error = await connected(socketFor(t)).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).to.equal("authentication_required");
    });

    it("refuses the cookie of a session that logged out", async () => {
      const client = await signedInAs(t);
      await client.post("/api/auth/logout").expect(204);
      const error = await connected(socketFor(t, { cookie: client.cookie })).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).to.equal("authentication_required");
    });

    it("refuses a foreign Origin even with a valid session", async () => {
      const client = await signedInAs(t);
      const error = await connected(
        socketFor(t, { cookie: client.cookie, origin: "https://evil.example" }),
      ).then(
        () => null,
        (e: Error) => e,
      );
      expect(error).to.be.instanceOf(Error);
    });

    it("refuses an unknown ticket token, and accepts a real one", async () => {
      const bad = await connected(socketFor(t, { ticketToken: "A".repeat(43) })).then(
        () => null,
        (e: Error) => e,
      );
      expect(bad?.message).to.equal("not_found");
      const { token } = await portalTicket();
      await connected(socketFor(t, { ticketToken: token }));
    });

    it("puts an agent in the agents, user and session rooms, and nowhere else", async () => {
      const client = await signedInAs(t);
      const socket = await connectAs(t, client);
      const [remote] = await t.server.realtime.io.in(rooms.user(client.agent.id)).fetchSockets();
      expect(remote?.id).to.equal(socket.id);
      expect([...remote.rooms].filter((room) => room !== socket.id).sort()).to.have.length(3);
      expect(remote.rooms.has(rooms.agents)).to.equal(true);
    });
  });

  describe("ticket facts", () => {
    it("tells every agent about a new ticket and its changes, in the list's shape", async () => {
      const a = await connectAs(t, await signedInAs(t));
      const b = await connectAs(t, admin);
      const createdA = waitFor(a, "ticket:created", (ticket) => ticket.subject === "Fresh ticket");
      const createdB = waitFor(b, "ticket:created", (ticket) => ticket.subject === "Fresh ticket");
      const { id } = await portalTicket("Fresh ticket");
      const [seenA, seenB] = await Promise.all([createdA, createdB]);
      expect(seenA.id).to.equal(id);
      expect(seenA).to.deep.equal(seenB);
      const api = await admin.get(`/api/tickets/${id}`).expect(200);
      expect(seenA).to.deep.equal({ ...api.body.ticket, updatedAt: seenA.updatedAt });

      const updated = waitFor(
        a,
        "ticket:updated",
        (ticket) => ticket.id === id && ticket.priority === "urgent",
      );
      await admin.patch(`/api/tickets/${id}`, { priority: "urgent" }).expect(200);
      expect((await updated).priority).to.equal("urgent");
    });

    it("sends a ticket's messages and notes to the agents watching it, and not to the others", async () => {
      const { id } = await portalTicket();
      const watcher = await connectAs(t, await signedInAs(t));
      const bystander = await connectAs(t, await signedInAs(t));
      const ack = await watcher.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      expect(ack).to.deep.equal({ ok: true, data: { ticketId: id } });

      const reply = waitFor(
        watcher,
        "ticket:message",
        (m) => (m as TicketEventDto).type === "message",
      );
      const silence = expectNoEvent(bystander, "ticket:message", 500);
      await admin
        .post(`/api/tickets/${id}/messages`, { body: "Try Settings > Mobile network" })
        .expect(201);
      const event = (await reply) as TicketEventDto;
      expect(event).to.include({
        ticketId: id,
        type: "message",
        public: true,
        body: "Try Settings > Mobile network",
      });
      expect(event.actor).to.include({ type: "agent", name: "Ada Admin" });

      const note = waitFor(watcher, "ticket:message", (m) => (m as TicketEventDto).type === "note");
      await admin
        .post(`/api/tickets/${id}/messages`, { body: "Probably a China ROM", internal: true })
        .expect(201);
      expect(await note).to.include({ public: false, body: "Probably a China ROM" });
      await silence;
    });
  });

  describe("customer sockets", () => {
    it("hear their ticket's public replies, never a note nor another ticket's events", async () => {
      const mine = await portalTicket("Mine");
      const other = await portalTicket("Someone else's");
      const customer = await connected(socketFor(t, { ticketToken: mine.token }));
      const received: unknown[] = [];
      customer.onAny((event: string, payload: unknown) => received.push([event, payload]));

      const reply = waitFor(customer, "ticket:message");
      await admin
        .post(`/api/tickets/${mine.id}/messages`, { body: "internal only", internal: true })
        .expect(201);
      await admin
        .post(`/api/tickets/${other.id}/messages`, { body: "for the other customer" })
        .expect(201);
      await admin.post(`/api/tickets/${mine.id}/messages`, { body: "Public answer" }).expect(201);
      const message = (await reply) as PortalMessageDto;
      expect(message).to.include({ from: "agent", authorName: "Ada Admin", body: "Public answer" });
      expect(message).to.not.have.property("actor");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const text = JSON.stringify(received);
      expect(text).to.not.include("internal only");
      expect(text).to.not.include("for the other customer");
      expect(text).to.not.include("ticket:created");
      expect(text).to.not.include("ticket:updated");
    });

    it("cannot watch another ticket: not_found, not in its rooms, hears no canary", async () => {
      const mine = await portalTicket();
      const other = await portalTicket();
      const customer = await connected(socketFor(t, { ticketToken: mine.token }));
      const ack = await customer.timeout(2000).emitWithAck("ticket:watch", { ticketId: other.id });
      expect(ack).to.deep.include({ ok: false });
      expect(ack.ok === false && ack.error.code).to.equal("not_found");
      const inRoom = await t.server.realtime.io.in(rooms.ticket(other.id)).fetchSockets();
      expect(inRoom.map((s) => s.id)).to.not.include(customer.id);
      const canary = expectNoEvent(customer, "ticket:message", 500);
      await admin.post(`/api/tickets/${other.id}/messages`, { body: "canary" }).expect(201);
      await canary;
    });
  });

  describe("client events", () => {
    it("answers garbage payloads with an error ack and stays up", async () => {
      const socket = await connectAs(t, admin);
      for (const payload of [
        null,
        42,
        "x",
        [],
        { ticketId: 5 },
        { ticketId: "not-a-uuid" },
        { ticketId: { $ne: 1 } },
      ]) {
        const ack = await socket.timeout(2000).emitWithAck("ticket:watch", payload as never);
        expect(ack.ok, JSON.stringify(payload)).to.equal(false);
        expect(ack.ok === false && ack.error.code).to.equal("validation_failed");
      }
      socket.emit("ticket:typing", { ticketId: "nope", typing: "yes" } as never);
      socket.emit("ticket:unwatch", undefined as never);
      (socket.emit as (...args: unknown[]) => void)("ticket:watch", { ticketId: "x" });
      (socket.emit as (...args: unknown[]) => void)("no:such-event", { a: 1 });
      const ack = await socket.timeout(2000).emitWithAck("ticket:watch", {
        ticketId: "3f1c1e52-6a89-4c2e-9a34-5b8a2a0f7d11",
      });
      expect(ack.ok === false && ack.error.code).to.equal("not_found");
      await request(t.url).get("/api/health").expect(200);
    });

    it("closes a connection that sends more than the message limit, and only that one", async () => {
      const big = await connectAs(t, admin);
      const other = await connectAs(t, admin);
      const closed = disconnected(big);
      (big.emit as (...args: unknown[]) => void)("ticket:watch", {
        ticketId: "x".repeat(20 * 1024),
      });
      expect(await closed).to.be.a("string");
      const { id } = await portalTicket();
      const ack = await other.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      expect(ack.ok).to.equal(true);
    });

    it("shows two agents on a ticket to each other, typing included", async () => {
      const { id } = await portalTicket();
      const sam = await signedInAs(t, "agent", "Sam Support");
      const kim = await signedInAs(t, "agent", "Kim Knowles");
      const samSocket = await connectAs(t, sam);
      const kimSocket = await connectAs(t, kim);
      await samSocket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const both = waitFor(
        samSocket,
        "presence:viewers",
        (p) => p.ticketId === id && p.viewers.length === 2,
      );
      await kimSocket.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      expect((await both).viewers.map((v) => v.name)).to.deep.equal(["Kim Knowles", "Sam Support"]);

      const typing = waitFor(samSocket, "presence:viewers", (p) => p.viewers.some((v) => v.typing));
      kimSocket.emit("ticket:typing", { ticketId: id, typing: true });
      expect((await typing).viewers).to.deep.include({
        userId: kim.agent.id,
        name: "Kim Knowles",
        typing: true,
      });

      const stopped = waitFor(samSocket, "presence:viewers", (p) =>
        p.viewers.every((v) => !v.typing),
      );
      kimSocket.emit("ticket:typing", { ticketId: id, typing: false });
      await stopped;

      const left = waitFor(samSocket, "presence:viewers", (p) => p.viewers.length === 1);
      kimSocket.disconnect();
      expect((await left).viewers[0].name).to.equal("Sam Support");
    });

    it("ignores typing on a ticket the agent does not watch", async () => {
      const { id } = await portalTicket();
      const watcher = await connectAs(t, await signedInAs(t));
      await watcher.timeout(2000).emitWithAck("ticket:watch", { ticketId: id });
      const stranger = await connectAs(t, await signedInAs(t));
      const none = expectNoEvent(watcher, "presence:viewers", 400);
      stranger.emit("ticket:typing", { ticketId: id, typing: true });
      await none;
    });
  });

  describe("revocation", () => {
    it("disconnects an agent's sockets at logout, and the old cookie cannot reconnect", async () => {
      const client = await signedInAs(t);
      const socket = await connectAs(t, client);
      const gone = disconnected(socket, 1000);
      await client.post("/api/auth/logout").expect(204);
      expect(await gone).to.equal("io server disconnect");
      const again = await connected(socketFor(t, { cookie: client.cookie })).then(
        () => null,
        (e: Error) => e,
      );
      expect(again?.message).to.equal("authentication_required");
    });

    it("disconnects every socket of an agent who is disabled, and of one whose password is reset", async () => {
      const disabled = await buildAgent(t);
      const socketsA = await Promise.all(
        [signIn(t, disabled), signIn(t, disabled)].map(async (p) => connectAs(t, await p)),
      );
      const goneA = Promise.all(socketsA.map((s) => disconnected(s, 1000)));
      await admin.patch(`/api/agents/${disabled.id}`, { disabled: true }).expect(200);
      await goneA;

      const reset = await buildAgent(t);
      const socketB = await connectAs(t, await signIn(t, reset));
      const goneB = disconnected(socketB, 1000);
      await admin
        .patch(`/api/agents/${reset.id}`, { password: "an entirely new passphrase" })
        .expect(200);
      await goneB;
    });

    it("keeps other agents connected when one logs out", async () => {
      const leaving = await signedInAs(t);
      const staying = await connectAs(t, await signedInAs(t));
      await connectAs(t, leaving);
      await leaving.post("/api/auth/logout").expect(204);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(staying.connected).to.equal(true);
    });
  });
});
