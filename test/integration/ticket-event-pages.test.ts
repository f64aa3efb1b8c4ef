import { expect } from "chai";
import request from "supertest";
import type { PortalMessageDto } from "../../shared/contracts/http/portal";
import type { TicketEventDto } from "../../shared/contracts/http/tickets";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { eventsOf, openPortalTicket, ticketRow } from "../support/tickets";
import type { OpenedTicket } from "../support/tickets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const LONG = "y".repeat(19_900);

/**
 * T37 (see docs/SECURITY.md), its other half: a ticket's history has no upper bound (a thousand long
 * replies), so neither the console nor the portal ever gets it whole. The detail carries the
 * latest 50 events and a cursor; older pages come on demand.
 */
describe("T37 a ticket's events come in pages (console and portal)", () => {
  let t: TestServer;
  let agent: SignedIn;
  let ticket: OpenedTicket;
  /** Every event of the ticket, in story order, as stored. */
  let written: { id: string; public: boolean }[];

  before(async function () {
    this.timeout(120_000);
    t = await startTestServer();
    agent = await signedInAs(t, "agent", "Pat Pager");
    ticket = await openPortalTicket(t);
    // 130 entries after the opening: replies (public) and notes (internal), long ones among them.
    for (let i = 0; i < 130; i++) {
      const internal = i % 3 === 2;
      await agent
        .post(`/api/tickets/${ticket.id}/messages`, {
          body: `${internal ? "note" : "reply"} ${i} ${i % 10 === 0 ? LONG : ""}`,
          internal,
        })
        .expect(201);
    }
    written = (await eventsOf(t, ticket.id)).map((event) => ({
      id: event.id,
      public: event.public,
    }));
  });
  after(async () => {
    await t.stop();
  });

  it("gives agents the latest 50 events with a cursor, and the rest page by page", async () => {
    const detail = await agent.get(`/api/tickets/${ticket.id}`).expect(200);
    const events = detail.body.events as TicketEventDto[];
    expect(events).to.have.length(50);
    const seqs = events.map((event) => event.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    // The newest event is the last one shown, as before.
    const { lastEventSeq } = await ticketRow(t, ticket.id);
    expect(seqs[seqs.length - 1]).to.equal(lastEventSeq);
    expect(detail.body.earlierCursor).to.equal(events[0].id);
    // The body is bounded by the page, however long the history: 130 long entries are not sent.
    expect(JSON.stringify(detail.body).length).to.be.lessThan(400_000);

    // Walking the pages gives the whole history once each, in order: 1 + 130 events (the first
    // public reply also moved the ticket from new to open: one more).
    expect(written).to.have.length(132);
    const walked: TicketEventDto[] = [...events];
    let cursor = detail.body.earlierCursor as string | null;
    while (cursor !== null) {
      const page = await agent.get(`/api/tickets/${ticket.id}/events?before=${cursor}`).expect(200);
      walked.unshift(...(page.body.events as TicketEventDto[]));
      cursor = page.body.earlierCursor as string | null;
    }
    expect(walked.map((event) => event.id)).to.deep.equal(written.map((event) => event.id));
    const older = await agent
      .get(`/api/tickets/${ticket.id}/events?before=${detail.body.earlierCursor as string}`)
      .expect(200);
    expect(older.body.events).to.have.length(50);
    expect((older.body.events as TicketEventDto[])[49].seq).to.equal(seqs[0] - 1);
    // Without a cursor: the latest page, as in the detail.
    const latest = await agent.get(`/api/tickets/${ticket.id}/events`).expect(200);
    expect((latest.body.events as TicketEventDto[]).map((e) => e.id)).to.deep.equal(
      events.map((e) => e.id),
    );
  });

  it("gives the customer the latest 50 public messages, then older ones, never a note", async () => {
    const view = await request(t.url).get(`/api/portal/tickets/${ticket.token}`).expect(200);
    const messages = view.body.messages as PortalMessageDto[];
    expect(messages).to.have.length(50);
    const seen: PortalMessageDto[] = [...messages];
    let cursor = view.body.earlierCursor as string | null;
    expect(cursor).to.equal(messages[0].id);
    while (cursor !== null) {
      const page = await request(t.url)
        .get(`/api/portal/tickets/${ticket.token}/messages?before=${cursor}`)
        .expect(200);
      seen.unshift(...(page.body.messages as PortalMessageDto[]));
      cursor = page.body.earlierCursor as string | null;
    }
    // The opening and the 87 public replies (a third of the 130 were notes), in order.
    const texts = seen.map((message) => message.body);
    expect(seen).to.have.length(88);
    expect(texts.some((text) => text.startsWith("note"))).to.equal(false);
    const replies = texts.slice(1).map((text) => Number(text.split(" ")[1]));
    expect(replies).to.deep.equal([...replies].sort((a, b) => a - b));
    const publicIds = new Set(written.filter((e) => e.public).map((e) => e.id));
    expect(seen.every((message) => publicIds.has(message.id))).to.equal(true);
  });

  it("refuses cursors that are not this reader's: malformed, another ticket's, a note", async () => {
    const other = await openPortalTicket(t);
    const otherDetail = await agent.get(`/api/tickets/${other.id}`).expect(200);
    const foreign = (otherDetail.body.events as TicketEventDto[])[0].id;
    for (const bad of ["1", "not-a-uuid", foreign]) {
      const res = await agent.get(`/api/tickets/${ticket.id}/events?before=${bad}`).expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
      expect(res.body.error.details[0].path).to.equal("query.before");
      await request(t.url)
        .get(`/api/portal/tickets/${ticket.token}/messages?before=${bad}`)
        .expect(400);
    }
    const note = written.find((event) => !event.public)!.id;
    // An agent may page from a note; the customer may not even name one.
    await agent.get(`/api/tickets/${ticket.id}/events?before=${note}`).expect(200);
    const refused = await request(t.url)
      .get(`/api/portal/tickets/${ticket.token}/messages?before=${note}`)
      .expect(400);
    expect(JSON.stringify(refused.body)).to.not.include("note");
  });

  it("answers 404 for an unknown ticket or link and 401 without a session", async () => {
    await agent.get("/api/tickets/3f1c1e52-6a89-4c2e-9a34-5b8a2a0f7d11/events").expect(404);
    await request(t.url).get(`/api/tickets/${ticket.id}/events`).expect(401);
    await request(t.url)
      .get(`/api/portal/tickets/${"Q".repeat(43)}/messages`)
      .expect(404);
  });

  it("says there is nothing earlier when the history fits one page", async () => {
    const small = await openPortalTicket(t);
    const detail = await agent.get(`/api/tickets/${small.id}`).expect(200);
    expect(detail.body.events).to.have.length(1);
    expect(detail.body.earlierCursor).to.equal(null);
    const view = await request(t.url).get(`/api/portal/tickets/${small.token}`).expect(200);
    expect(view.body.earlierCursor).to.equal(null);
  });
});
