import { expect } from "chai";
import request from "supertest";
import type {
  AssignmentNoticeDto,
  AssignmentStatusDto,
} from "../../shared/contracts/http/assignment";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { closeAll, connectAs, expectNoEvent, waitFor } from "../support/sockets";
import type { TestSocket } from "../support/sockets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";
import { eventsOf, openPortalTicket } from "../support/tickets";

/** Collects every `ticket:assigned` a socket hears. */
function noticesOf(socket: TestSocket): AssignmentNoticeDto[] {
  const heard: AssignmentNoticeDto[] = [];
  socket.on("ticket:assigned", (notice) => heard.push(notice));
  return heard;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error("timed out");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("assignment: to me, to another agent, round-robin among agents online", () => {
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    closeAll();
    await t.stop();
  });

  it("shares 100 tickets fairly among the 3 agents online, none to the one offline", async function () {
    this.timeout(60_000);
    const online = [
      await signedInAs(t, "agent", "Ana Online"),
      await signedInAs(t, "agent", "Bo Online"),
      await signedInAs(t, "agent", "Cy Online"),
    ];
    const offline = await signedInAs(t, "agent", "Dee Offline");
    const sockets = await Promise.all(online.map((client) => connectAs(t, client)));
    const heard = sockets.map(noticesOf);

    const status = (await offline.get("/api/assignment").expect(200)).body as AssignmentStatusDto;
    expect(status.autoAssignNew).to.equal(false);
    expect(status.online.map((agent) => agent.name)).to.deep.equal([
      "Ana Online",
      "Bo Online",
      "Cy Online",
    ]);

    const order: string[] = [];
    for (let i = 0; i < 100; i++) {
      const ticket = await openPortalTicket(t);
      // The one asking need not be online: the rotation is among those who are.
      const res = await offline.post(`/api/tickets/${ticket.id}/auto-assign`).expect(200);
      order.push((res.body.ticket as TicketDto).assignee!.id);
    }
    const counts = new Map<string, number>();
    order.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
    expect([...counts.keys()].sort()).to.deep.equal(online.map((c) => c.agent.id).sort());
    expect([...counts.values()].sort()).to.deep.equal([33, 33, 34]);
    expect(counts.has(offline.agent.id)).to.equal(false);
    // A strict rotation: every three in a row go to three different agents.
    for (let i = 2; i < order.length; i++) {
      expect(new Set(order.slice(i - 2, i + 1)).size, `tickets ${i - 2}..${i}`).to.equal(3);
    }

    // Each assignee heard about exactly their own tickets, live.
    await until(() => heard.reduce((sum, list) => sum + list.length, 0) === 100);
    online.forEach((client, index) => {
      expect(heard[index]).to.have.length(counts.get(client.agent.id)!);
      for (const notice of heard[index]) {
        expect(notice).to.deep.include({
          roundRobin: true,
          by: { id: offline.agent.id, name: "Dee Offline" },
        });
      }
    });
    const stored = await t.server.db.dataSource
      .getRepository(Ticket)
      .find({ select: { assigneeId: true } });
    expect(stored.filter((row) => row.assigneeId === null)).to.have.length(0);
  });

  it("stays fair when the assignments come all at once", async () => {
    const online = [
      await signedInAs(t, "agent", "Ana Online"),
      await signedInAs(t, "agent", "Bo Online"),
      await signedInAs(t, "agent", "Cy Online"),
    ];
    await Promise.all(online.map((client) => connectAs(t, client)));
    const tickets = [];
    for (let i = 0; i < 30; i++) {
      tickets.push(await openPortalTicket(t));
    }
    const answers = await Promise.all(
      tickets.map((ticket, i) =>
        online[i % 3].post(`/api/tickets/${ticket.id}/auto-assign`).expect(200),
      ),
    );
    const counts = new Map<string, number>();
    for (const res of answers) {
      const id = (res.body.ticket as TicketDto).assignee!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.values()]).to.deep.equal([10, 10, 10]);
  });

  it("audits a round-robin assignment, and refuses one when nobody is online (409)", async () => {
    const agent = await signedInAs(t, "agent", "Solo Agent");
    const ticket = await openPortalTicket(t);
    const nobody = await agent.post(`/api/tickets/${ticket.id}/auto-assign`);
    expect(nobody.status).to.equal(409);
    expect(nobody.body.error.message).to.match(/no agent is online/i);
    await connectAs(t, agent);
    await agent.post(`/api/tickets/${ticket.id}/auto-assign`).expect(200);
    const event = (await eventsOf(t, ticket.id)).find((e) => e.type === "assignee_changed")!;
    expect(event).to.deep.include({ actorType: "agent", actorId: agent.agent.id, public: false });
    expect(event.changes).to.deep.equal([
      { field: "assigneeId", from: null, to: agent.agent.id },
      { field: "method", from: null, to: "round_robin" },
    ]);
    const missing = await agent.post(
      `/api/tickets/0b0d3a0e-9d3c-4c71-8a8e-2c9f6f3e4a11/auto-assign`,
    );
    expect(missing.status).to.equal(404);
    const anonymous = await request(t.url).post(`/api/tickets/${ticket.id}/auto-assign`);
    expect(anonymous.status).to.equal(401);
  });

  it("assigns new tickets round-robin while an admin has the switch on", async () => {
    const admin = await signedInAs(t, "admin", "Ada Admin");
    const agent = await signedInAs(t, "agent", "Pat Online");
    const socket = await connectAs(t, agent);
    const refused = await agent.http
      .put("/api/assignment")
      .set("X-CSRF-Token", agent.csrf)
      .send({ autoAssignNew: true });
    expect(refused.status).to.equal(403);
    const invalid = await admin.http
      .put("/api/assignment")
      .set("X-CSRF-Token", admin.csrf)
      .send({ autoAssignNew: "yes" });
    expect(invalid.status).to.equal(400);
    const on = await admin.http
      .put("/api/assignment")
      .set("X-CSRF-Token", admin.csrf)
      .send({ autoAssignNew: true })
      .expect(200);
    expect((on.body as AssignmentStatusDto).autoAssignNew).to.equal(true);

    const notice = waitFor(socket, "ticket:assigned");
    const ticket = await openPortalTicket(t);
    expect(await notice).to.deep.include({
      ticketId: ticket.id,
      number: ticket.number,
      by: null,
      roundRobin: true,
    });
    const event = (await eventsOf(t, ticket.id)).find((e) => e.type === "assignee_changed")!;
    expect(event).to.deep.include({ actorType: "system", actorId: null });

    await admin.http
      .put("/api/assignment")
      .set("X-CSRF-Token", admin.csrf)
      .send({ autoAssignNew: false })
      .expect(200);
    const quiet = expectNoEvent(socket, "ticket:assigned", 400);
    const later = await openPortalTicket(t);
    await quiet;
    expect(
      (await t.server.db.dataSource.getRepository(Ticket).findOneByOrFail({ id: later.id }))
        .assigneeId,
    ).to.equal(null);
  });

  it("tells an agent live when someone assigns them a ticket, and only them", async () => {
    const lead: SignedIn = await signedInAs(t, "agent", "Lee Lead");
    const target = await signedInAs(t, "agent", "Tia Target");
    const bystander = await signedInAs(t, "agent", "Bea Bystander");
    const targetSocket = await connectAs(t, target);
    const bystanderSocket = await connectAs(t, bystander);
    const ticket = await openPortalTicket(t);

    const notice = waitFor(targetSocket, "ticket:assigned");
    const updated = waitFor(bystanderSocket, "ticket:updated", (dto) => dto.id === ticket.id);
    const quiet = expectNoEvent(bystanderSocket, "ticket:assigned", 500);
    await lead.patch(`/api/tickets/${ticket.id}`, { assigneeId: target.agent.id }).expect(200);
    expect(await notice).to.deep.equal({
      ticketId: ticket.id,
      number: ticket.number,
      subject: "Stuck on 3G since I got it",
      by: { id: lead.agent.id, name: "Lee Lead" },
      roundRobin: false,
    });
    expect((await updated).assignee).to.deep.equal({ id: target.agent.id, name: "Tia Target" });
    await quiet;

    // Taking it oneself is heard too, on one's own sockets (another tab).
    const mine = waitFor(bystanderSocket, "ticket:assigned");
    await bystander
      .patch(`/api/tickets/${ticket.id}`, { assigneeId: bystander.agent.id })
      .expect(200);
    expect((await mine).by).to.deep.equal({ id: bystander.agent.id, name: "Bea Bystander" });
  });
});
