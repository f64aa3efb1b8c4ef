import { expect } from "chai";
import request from "supertest";
import { TICKET_STATUSES } from "../../shared/domain/enums";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("reply guard, closed tickets and status counts", () => {
  let t: TestServer;
  let sam: SignedIn;
  let kim: SignedIn;
  before(async () => {
    t = await startTestServer();
    sam = await signedInAs(t, "agent", "Sam Support");
    kim = await signedInAs(t, "agent", "Kim Knowles");
  });
  after(async () => {
    await t.stop();
  });

  async function open() {
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket())
      .expect(201);
    const list = await sam.get(`/api/tickets?q=${res.body.ticket.number as string}`).expect(200);
    return { id: list.body.items[0].id as string, token: tokenOf(res.body.accessUrl as string) };
  }
  const lastSeq = async (id: string) => {
    const detail = await sam.get(`/api/tickets/${id}`).expect(200);
    const events = detail.body.events as { seq: number }[];
    return events[events.length - 1].seq;
  };

  describe("the reply guard (lastSeenSeq)", () => {
    it("stops a reply when another agent wrote since, naming them, and posts nothing", async () => {
      const { id } = await open();
      const seen = await lastSeq(id);
      await kim.post(`/api/tickets/${id}/messages`, { body: "I'll take this one" }).expect(201);
      const res = await sam
        .post(`/api/tickets/${id}/messages`, { body: "Hi, try this", lastSeenSeq: seen })
        .expect(409);
      expect(res.body.error.code).to.equal("conflict");
      expect(res.body.error.message).to.include("Kim Knowles");
      expect(res.body.error.details[0].path).to.equal("lastSeenSeq");
      const detail = await sam.get(`/api/tickets/${id}`).expect(200);
      expect(JSON.stringify(detail.body.events)).to.not.include("Hi, try this");
    });

    it("stops a reply when the customer wrote since, and an internal note by another agent counts too", async () => {
      const { id, token } = await open();
      let seen = await lastSeq(id);
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .send({ body: "Any news?" })
        .expect(201);
      const customer = await sam
        .post(`/api/tickets/${id}/messages`, { body: "Working on it", lastSeenSeq: seen })
        .expect(409);
      expect(customer.body.error.message).to.match(/wrote on this ticket/);
      seen = await lastSeq(id);
      await kim
        .post(`/api/tickets/${id}/messages`, { body: "FYI: batch 7 unit", internal: true })
        .expect(201);
      await sam
        .post(`/api/tickets/${id}/messages`, { body: "Now?", lastSeenSeq: seen })
        .expect(409);
    });

    it("lets the reply through when nothing new arrived, when only the agent wrote, or without the guard", async () => {
      const { id } = await open();
      const seen = await lastSeq(id);
      await sam
        .post(`/api/tickets/${id}/messages`, { body: "First", internal: true, lastSeenSeq: seen })
        .expect(201);
      await sam
        .post(`/api/tickets/${id}/messages`, { body: "Second", lastSeenSeq: seen })
        .expect(201);
      await kim.post(`/api/tickets/${id}/messages`, { body: "Third" }).expect(201);
      await sam.post(`/api/tickets/${id}/messages`, { body: "Send anyway" }).expect(201);
    });

    it("refuses a lastSeenSeq that is not a whole number", async () => {
      const { id } = await open();
      for (const lastSeenSeq of [-1, 1.5, "3.5", "x", null]) {
        const res = await sam
          .post(`/api/tickets/${id}/messages`, { body: "x", lastSeenSeq })
          .expect(400);
        expect(res.body.error.details[0].path).to.equal("lastSeenSeq");
      }
    });
  });

  describe("closed tickets", () => {
    it("refuses every change to a closed ticket with 409, and writes nothing", async () => {
      const { id } = await open();
      await sam.patch(`/api/tickets/${id}`, { status: "closed" }).expect(200);
      const before = (await sam.get(`/api/tickets/${id}`).expect(200)).body;
      for (const change of [
        { priority: "urgent" },
        { category: "billing" },
        { assigneeId: kim.agent.id },
        { status: "open" },
      ]) {
        const res = await sam.patch(`/api/tickets/${id}`, change).expect(409);
        expect(res.body.error.code).to.equal("conflict");
      }
      await sam.post(`/api/tickets/${id}/messages`, { body: "late" }).expect(409);
      expect((await sam.get(`/api/tickets/${id}`).expect(200)).body).to.deep.equal(before);
    });
  });

  describe("GET /api/tickets/counts", () => {
    it("counts tickets per status, every status present", async () => {
      const before = (await sam.get("/api/tickets/counts").expect(200)).body.counts as Record<
        string,
        number
      >;
      expect(Object.keys(before).sort()).to.deep.equal([...TICKET_STATUSES].sort());
      const { id } = await open();
      await open();
      await sam.patch(`/api/tickets/${id}`, { status: "pending_customer" }).expect(200);
      const after = (await sam.get("/api/tickets/counts").expect(200)).body.counts as Record<
        string,
        number
      >;
      expect(after.new).to.equal(before.new + 1);
      expect(after.pending_customer).to.equal(before.pending_customer + 1);
      await request(t.url).get("/api/tickets/counts").expect(401);
    });
  });
});
