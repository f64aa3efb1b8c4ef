import { expect } from "chai";
import request from "supertest";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { HandsetIdentifier } from "../../server/src/modules/handsets/handset-identifier.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { hashLinkToken } from "../../server/src/modules/tickets/link-tokens";
import { buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("portal API", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  const em = () => t.server.db.dataSource.manager;

  async function open(overrides: Parameters<typeof buildPortalTicket>[0] = {}) {
    const body = buildPortalTicket(overrides);
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    return { body, res, token: tokenOf(res.body.accessUrl as string) };
  }

  describe("POST /api/portal/tickets", () => {
    it("opens a ticket with its customer, handset and first event in the database", async () => {
      const body = buildPortalTicket({
        email: "Mixed.Case@Example.COM",
        imei: "35-209900-176148-1",
        brand: "Xiaomi",
      });
      const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);

      expect(res.body.ticket).to.include({
        subject: body.subject,
        category: "network",
        status: "new",
      });
      expect(res.body.ticket.number).to.match(/^GD-\d{4,}$/);
      expect(res.body.accessUrl).to.match(/\/portal\/t\/[A-Za-z0-9_-]{43}$/);
      expect(res.body.ticket).to.not.have.property("id");

      const token = tokenOf(res.body.accessUrl as string);
      const ticket = await em()
        .getRepository(Ticket)
        .createQueryBuilder("t")
        .addSelect("t.accessTokenHash")
        .where("t.number = :n", { n: Number(String(res.body.ticket.number).slice(3)) })
        .getOneOrFail();
      expect(ticket.accessTokenHash).to.equal(hashLinkToken(token));
      expect(ticket.accessTokenHash).to.not.include(token);
      expect(ticket).to.include({
        status: "new",
        priority: "normal",
        channel: "portal",
        lastEventSeq: 1,
        assigneeId: null,
      });
      expect(ticket.id).to.match(/^[0-9a-f-]{36}$/);

      const customer = await em()
        .getRepository(Customer)
        .findOneByOrFail({ id: ticket.customerId });
      expect(customer).to.include({ email: "mixed.case@example.com", name: body.name });

      const identifier = await em()
        .getRepository(HandsetIdentifier)
        .findOneByOrFail({ kind: "imei", value: "352099001761481" });
      expect(identifier).to.include({ handsetId: ticket.handsetId, slot: 1, source: "customer" });
      const handset = await em().getRepository(Handset).findOneByOrFail({ id: ticket.handsetId! });
      expect(handset).to.include({
        customerId: customer.id,
        warrantySource: "carrier",
        brand: "Xiaomi",
        warrantyEnd: null,
      });

      const events = await em().getRepository(TicketEvent).findBy({ ticketId: ticket.id });
      expect(events).to.have.length(1);
      expect(events[0]).to.include({
        seq: 1,
        type: "created",
        public: true,
        actorType: "customer",
        actorId: customer.id,
        body: body.description,
      });
    });

    it("fills brand and model from the TAC when the customer leaves them out", async () => {
      const { res } = await open({ imei: buildImei("86927102") });
      const view = await request(t.url)
        .get(`/api/portal/tickets/${tokenOf(res.body.accessUrl as string)}`)
        .expect(200);
      expect(view.body.handset).to.include({ brand: "Xiaomi", model: "Redmi Note 3" });
    });

    it("numbers tickets one after another", async () => {
      const a = await open();
      const b = await open();
      const n = (r: typeof a) => Number(String(r.res.body.ticket.number).slice(3));
      expect(n(b)).to.equal(n(a) + 1);
    });

    it("finds the returning customer by email and the handset by IMEI", async () => {
      const first = await open();
      await open({
        email: first.body.email.toUpperCase(),
        imei: first.body.imei,
        name: "Someone Else",
      });
      const customers = await em().getRepository(Customer).findBy({ email: first.body.email });
      expect(customers).to.have.length(1);
      expect(customers[0].name).to.equal(first.body.name);
      const identifiers = await em()
        .getRepository(HandsetIdentifier)
        .findBy({ kind: "imei", value: first.body.imei });
      expect(identifiers).to.have.length(1);
      const tickets = await em().getRepository(Ticket).findBy({ customerId: customers[0].id });
      expect(tickets).to.have.length(2);
      expect(new Set(tickets.map((x) => x.handsetId)).size).to.equal(1);
      // A Redmi Note 3 TAC names the model, not which of its variants: nothing else is flagged.
      expect(tickets.every((x) => x.flags.join() === "variant_unknown")).to.equal(true);
    });

    it("accepts an IMEI already on another customer's handset, and flags the ticket", async () => {
      const first = await open();
      const second = await open({ imei: first.body.imei });
      const number = Number(String(second.res.body.ticket.number).slice(3));
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      expect(ticket.flags).to.include("identifier_on_other_customer");
      const handset = await em().getRepository(Handset).findOneByOrFail({ id: ticket.handsetId! });
      const firstCustomer = await em()
        .getRepository(Customer)
        .findOneByOrFail({ email: first.body.email });
      expect(handset.customerId).to.equal(firstCustomer.id);
    });

    it("flags a test-range IMEI, an unknown TAC and a brand that differs from the TAC", async () => {
      const number = async (r: Awaited<ReturnType<typeof open>>) =>
        em()
          .getRepository(Ticket)
          .findOneByOrFail({ number: Number(String(r.res.body.ticket.number).slice(3)) });
      const testRange = await open({ imei: buildImei("00123456") });
      expect((await number(testRange)).flags).to.include.members([
        "test_range_imei",
        "tac_unknown",
      ]);
      const mismatch = await open({ imei: buildImei("86927102"), brand: "Samsung" });
      expect((await number(mismatch)).flags).to.deep.equal([
        "tac_brand_mismatch",
        "variant_unknown",
      ]);
    });

    it("converts an IMEISV to its IMEI and keeps the software version apart", async () => {
      const imei = buildImei();
      await open({ imei: `${imei.slice(0, 14)}07` });
      const identifier = await em()
        .getRepository(HandsetIdentifier)
        .findOneByOrFail({ kind: "imei", value: imei });
      expect(identifier.softwareVersion).to.equal("07");
    });

    const invalid: [string, Record<string, unknown>, string][] = [
      ["a missing name", { name: undefined }, "name"],
      ["an empty name", { name: "   " }, "name"],
      ["a name with a line break", { name: "Ann\r\nBcc: x@example.com" }, "name"],
      ["a name over 120 characters", { name: "x".repeat(121) }, "name"],
      ["a name that is a number", { name: 42 }, "name"],
      ["a bad email", { email: "not-an-email" }, "email"],
      ["an email with CR/LF", { email: "a@example.com\r\nBcc: b@example.com" }, "email"],
      ["an object as email", { email: { $ne: null } }, "email"],
      ["a bad phone", { phone: "call me" }, "phone"],
      ["an IMEI with a wrong check digit", { imei: "490154203237517" }, "imei"],
      ["an IMEI of 14 digits", { imei: "49015420323751" }, "imei"],
      ["an IMEI with a letter", { imei: "49015420323751A" }, "imei"],
      ["an SQL string as IMEI", { imei: "' OR 1=1--" }, "imei"],
      ["a number as IMEI", { imei: 490154203237518 }, "imei"],
      ["an unknown category", { category: "refund_me" }, "category"],
      ["a missing subject", { subject: undefined }, "subject"],
      ["a subject over 200 characters", { subject: "s".repeat(201) }, "subject"],
      ["a missing description", { description: undefined }, "description"],
      ["a description over the limit", { description: "d".repeat(20_001) }, "description"],
      ["a date that does not exist", { purchaseDate: "2023-02-30" }, "purchaseDate"],
      ["a purchase date in the future", { purchaseDate: "2999-01-01" }, "purchaseDate"],
    ];
    for (const [what, patch, field] of invalid) {
      it(`refuses ${what} with 400 naming "${field}"`, async () => {
        const before = await em().getRepository(Ticket).count();
        const res = await request(t.url)
          .post("/api/portal/tickets")
          .send({ ...buildPortalTicket(), ...patch })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
        expect(await em().getRepository(Ticket).count()).to.equal(before);
      });
    }

    it("names the failed IMEI check in words", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket({ imei: "49015420323751" }))
        .expect(400);
      const detail = res.body.error.details.find((d: { path: string }) => d.path === "imei");
      expect(detail.message).to.match(/15/);
    });

    it("ignores server-owned fields sent by the client", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .send({ ...buildPortalTicket(), status: "closed", priority: "urgent", id: "x", number: 1 })
        .expect(201);
      const number = Number(String(res.body.ticket.number).slice(3));
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      expect(ticket).to.include({ status: "new", priority: "normal" });
      expect(number).to.not.equal(1);
    });

    it("stores 4-byte emoji, combining marks and right-to-left text exactly", async () => {
      const subject = "\u202Eهاتفي لا يعمل 📱👨‍👩‍👧 e\u0301";
      const description = "שלום\n𝒳 \u{1F600}\tend";
      const { token } = await open({ subject, description, name: "Zoë 😀 عمر" });
      const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(view.body.ticket.subject).to.equal(subject);
      expect(view.body.messages[0].body).to.equal(description);
      expect(view.body.messages[0].authorName).to.equal("Zoë 😀 عمر");
    });

    for (const [what, text] of [
      ["a NUL byte", "before\u0000after"],
      ["a lone surrogate", "broken \ud800 text"],
    ] as const) {
      it(`refuses ${what} with 400, never a 500`, async () => {
        const res = await request(t.url)
          .post("/api/portal/tickets")
          .set("Content-Type", "application/json")
          .send(JSON.stringify({ ...buildPortalTicket(), description: text }))
          .expect(400);
        expect(res.body.error.details[0].path).to.equal("description");
      });
    }

    it("opens 200 tickets sent at once, all 201 and all readable", async () => {
      const bodies = Array.from({ length: 200 }, () => buildPortalTicket());
      // Every tenth one reuses an earlier customer and handset, to race the upserts too.
      for (let i = 10; i < bodies.length; i += 10) {
        bodies[i] = { ...bodies[i], email: bodies[i - 1].email, imei: bodies[i - 1].imei };
      }
      const responses = await Promise.all(
        bodies.map((body) => request(t.url).post("/api/portal/tickets").send(body)),
      );
      expect(responses.map((r) => r.status)).to.deep.equal(bodies.map(() => 201));
      const numbers = responses.map((r) => String(r.body.ticket.number));
      expect(new Set(numbers).size).to.equal(200);
      const views = await Promise.all(
        responses.map((r) =>
          request(t.url).get(`/api/portal/tickets/${tokenOf(r.body.accessUrl)}`),
        ),
      );
      views.forEach((view, i) => {
        expect(view.status).to.equal(200);
        expect(view.body.ticket.number).to.equal(numbers[i]);
        expect(view.body.messages[0].body).to.equal(bodies[i].description);
      });
    });

    it("opens 20 tickets sent at once by one new customer about one new IMEI onto one customer and one handset", async () => {
      const first = buildPortalTicket();
      const bodies = Array.from({ length: 20 }, () => ({
        ...buildPortalTicket(),
        email: first.email,
        imei: first.imei,
      }));
      const responses = await Promise.all(
        bodies.map((body) => request(t.url).post("/api/portal/tickets").send(body)),
      );
      expect(responses.map((r) => r.status)).to.deep.equal(bodies.map(() => 201));
      const customers = await em().getRepository(Customer).findBy({ email: first.email });
      expect(customers).to.have.length(1);
      const identifiers = await em()
        .getRepository(HandsetIdentifier)
        .findBy({ kind: "imei", value: first.imei });
      expect(identifiers).to.have.length(1);
      const tickets = await em().getRepository(Ticket).findBy({ customerId: customers[0].id });
      expect(tickets).to.have.length(20);
      expect(new Set(tickets.map((ticket) => ticket.handsetId))).to.deep.equal(
        new Set([identifiers[0].handsetId]),
      );
      // No handset was left behind by a creation that lost the race.
      expect(await em().getRepository(Handset).countBy({ customerId: customers[0].id })).to.equal(
        1,
      );
    });
  });

  describe("GET /api/portal/tickets/:token", () => {
    it("shows the ticket, public messages, masked handset and warranty decision", async () => {
      const { body, token, res } = await open();
      const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(view.headers["cache-control"]).to.equal("no-store");
      expect(view.headers["referrer-policy"]).to.equal("no-referrer");
      expect(view.body.ticket.number).to.equal(res.body.ticket.number);
      expect(view.body.messages).to.have.length(1);
      expect(view.body.messages[0]).to.include({ from: "customer", body: body.description });
      expect(view.body.handset.imeiMasked).to.equal(
        `${body.imei.slice(0, 8)}******${body.imei.slice(-2)}`,
      );
      expect(JSON.stringify(view.body)).to.not.include(body.imei);
      expect(view.body.warranty).to.include({ status: "pending", source: "carrier" });
    });

    it("explains a carrier warranty and a voided one in plain words", async () => {
      const { token, res } = await open();
      const number = Number(String(res.body.ticket.number).slice(3));
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      await em()
        .getRepository(Handset)
        .update(
          { id: ticket.handsetId! },
          { warrantyStart: "2016-03-12", warrantyEnd: "2999-03-12" },
        );
      let view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(view.body.warranty.status).to.equal("covered");
      expect(view.body.warranty.summary).to.equal(
        "Covered by the carrier's warranty until 12 March 2999",
      );
      await em()
        .getRepository(Handset)
        .update({ id: ticket.handsetId! }, { voidReason: "liquid_damage" });
      view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(view.body.warranty.summary).to.equal("Not covered: water damage");
      await em()
        .getRepository(Handset)
        .update({ id: ticket.handsetId! }, { warrantySource: "none", voidReason: null });
      view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(view.body.warranty.summary).to.equal("No warranty: sold as-is");
    });

    it("never shows internal events to the customer", async () => {
      const { token, res } = await open();
      const number = Number(String(res.body.ticket.number).slice(3));
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      await em().getRepository(TicketEvent).insert({
        id: "00000000-0000-4000-8000-000000000001",
        ticketId: ticket.id,
        seq: 99,
        type: "note",
        public: false,
        actorType: "agent",
        actorId: null,
        actorName: "Agent",
        body: "internal: customer sounds like a reseller",
        changes: null,
        createdAt: new Date(),
      });
      const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(JSON.stringify(view.body)).to.not.include("reseller");
    });

    for (const [what, token] of [
      ["an unknown token", "A".repeat(43)],
      ["a short token", "abc"],
      ["a token with odd characters", "%27%20OR%201%3D1--"],
    ] as const) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await request(t.url).get(`/api/portal/tickets/${token}`).expect(404);
        expect(res.body.error).to.include({ code: "not_found", message: "Ticket not found" });
      });
    }

    it("never opens another ticket with a token", async () => {
      const a = await open();
      const b = await open();
      const viewA = await request(t.url).get(`/api/portal/tickets/${a.token}`).expect(200);
      const viewB = await request(t.url).get(`/api/portal/tickets/${b.token}`).expect(200);
      expect(viewA.body.ticket.number).to.equal(a.res.body.ticket.number);
      expect(viewB.body.ticket.number).to.equal(b.res.body.ticket.number);
      await request(t.url)
        .post(`/api/portal/tickets/${a.token}/messages`)
        .send({ body: "for A only" })
        .expect(201);
      const again = await request(t.url).get(`/api/portal/tickets/${b.token}`).expect(200);
      expect(JSON.stringify(again.body)).to.not.include("for A only");
      const changed = `${a.token.slice(0, -1)}${a.token.endsWith("A") ? "B" : "A"}`;
      await request(t.url).get(`/api/portal/tickets/${changed}`).expect(404);
    });
  });

  describe("POST /api/portal/tickets/:token/messages", () => {
    it("adds the customer's reply to the conversation and the history", async () => {
      const { token, res } = await open();
      const reply = await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .send({ body: "Still no LTE today." })
        .expect(201);
      expect(reply.body.message).to.include({ from: "customer", body: "Still no LTE today." });
      const number = Number(String(res.body.ticket.number).slice(3));
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      const events = await em()
        .getRepository(TicketEvent)
        .find({ where: { ticketId: ticket.id }, order: { seq: "ASC" } });
      expect(events.map((e) => [e.seq, e.type])).to.deep.equal([
        [1, "created"],
        [2, "message"],
      ]);
      expect(ticket.lastEventSeq).to.equal(2);
    });

    it("reopens a ticket that was waiting on the customer, with an audited status change", async () => {
      const { token, res } = await open();
      const number = Number(String(res.body.ticket.number).slice(3));
      await em().getRepository(Ticket).update({ number }, { status: "pending_customer" });
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .send({ body: "Here it is" })
        .expect(201);
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      expect(ticket.status).to.equal("open");
      const last = await em()
        .getRepository(TicketEvent)
        .findOneByOrFail({ ticketId: ticket.id, seq: 3 });
      expect(last.type).to.equal("status_changed");
      expect(last.changes).to.deep.equal([
        { field: "status", from: "pending_customer", to: "open" },
      ]);
    });

    it("refuses a reply on a closed ticket with 409 and writes nothing", async () => {
      const { token, res } = await open();
      const number = Number(String(res.body.ticket.number).slice(3));
      await em().getRepository(Ticket).update({ number }, { status: "closed" });
      const answer = await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .send({ body: "hello?" })
        .expect(409);
      expect(answer.body.error.code).to.equal("conflict");
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ number });
      expect(ticket.lastEventSeq).to.equal(1);
    });

    it("refuses an empty or oversized reply naming body", async () => {
      const { token } = await open();
      for (const body of [{}, { body: "" }, { body: "x".repeat(20_001) }, { body: ["a"] }]) {
        const res = await request(t.url)
          .post(`/api/portal/tickets/${token}/messages`)
          .send(body)
          .expect(400);
        expect(res.body.error.details[0].path).to.equal("body");
      }
    });

    it("answers 404 for an unknown token", async () => {
      await request(t.url)
        .post(`/api/portal/tickets/${"Z".repeat(43)}/messages`)
        .send({ body: "hi" })
        .expect(404);
    });
  });
});
