import { expect } from "chai";
import request from "supertest";
import { HandsetReplacement } from "../../server/src/modules/rma/handset-replacement.entity";
import { Rma } from "../../server/src/modules/rma/rma.entity";
import { findHandset } from "../../server/src/modules/handsets/handsets.repository";
import type { RmaDto } from "../../shared/contracts/http/rma";
import type { PortalTicketView } from "../../shared/contracts/http/portal";
import { RMA_CUSTOMER_WORDS } from "../../shared/domain/rma";
import type { RmaState } from "../../shared/domain/rma";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { buildImei } from "../support/factories";
import {
  closeAll,
  connectAs,
  expectNoEvent,
  socketFor,
  connected,
  waitFor,
} from "../support/sockets";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { eventsOf, openPortalTicket, setWarranty, ticketRow } from "../support/tickets";
import type { OpenedTicket } from "../support/tickets";

const TODAY = "2026-03-02";
/** The clock moves this much per RMA step (sessions live 12 hours of it). */
const STEP = 10 * 60_000;

type Body = Record<string, unknown>;

function detailsOf(res: request.Response): { path: string; message: string }[] {
  return (res.body.error?.details ?? []) as { path: string; message: string }[];
}

describe("RMA (returns to the distributor)", () => {
  let t: TestServer;
  let clock: MutableClock;
  let person: TestAgent;
  let agent: SignedIn;

  before(async () => {
    clock = mutableClock(new Date(`${TODAY}T15:00:00.000Z`));
    t = await startTestServer({}, { clock });
    person = await buildAgent(t, "agent", "Riley Returns");
  });
  beforeEach(async () => {
    agent = await signIn(t, person);
  });
  afterEach(() => closeAll());
  after(async () => {
    await t.stop();
  });

  async function ticketWith(warranty: "covered" | "doa" | "none" | "expired") {
    const ticket = await openPortalTicket(t);
    await setWarranty(agent, ticket.handsetId, warranty, TODAY);
    return ticket;
  }

  async function open(ticket: OpenedTicket, type: string, client = agent): Promise<RmaDto> {
    const res = await client.post(`/api/tickets/${ticket.id}/rmas`, { type }).expect(201);
    return res.body.rma as RmaDto;
  }

  function move(rma: { id: string }, body: Body, client = agent) {
    return client.post(`/api/rmas/${rma.id}/transitions`, body);
  }

  async function walk(rma: RmaDto, steps: Body[]): Promise<RmaDto> {
    let current = rma;
    for (const step of steps) {
      clock.advance(STEP);
      const res = await move(current, step);
      expect(
        res.status,
        `${current.state} -> ${String(step.to)}: ${JSON.stringify(res.body)}`,
      ).to.equal(200);
      current = res.body.rma as RmaDto;
    }
    return current;
  }

  const portalView = async (token: string): Promise<PortalTicketView> =>
    (await request(t.url).get(`/api/portal/tickets/${token}`).expect(200)).body as PortalTicketView;

  describe("every RMA route", () => {
    it("answers 401 without a session, and changes nothing", async () => {
      const ticket = await ticketWith("covered");
      const rma = await open(ticket, "warranty_repair");
      const anon = request(t.url);
      const answers = [
        await anon.get(`/api/tickets/${ticket.id}/rmas`),
        await anon.post(`/api/tickets/${ticket.id}/rmas`).send({ type: "warranty_repair" }),
        await anon.get(`/api/rmas/${rma.id}`),
        await anon.post(`/api/rmas/${rma.id}/transitions`).send({ to: "approved" }),
        await anon.patch(`/api/rmas/${rma.id}`).send({ distributorRef: "HK-1" }),
        await anon
          .put(`/api/rmas/${rma.id}/legs/customer_to_desk`)
          .send({ courier: "DHL", trackingNumber: "1234567890" }),
      ];
      for (const res of answers) {
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal("authentication_required");
      }
      const stored = await t.server.db.dataSource
        .getRepository(Rma)
        .findOneByOrFail({ id: rma.id });
      expect(stored.state).to.equal("requested");
      expect(stored.distributorRef).to.equal(null);
    });

    it("answers 404 for unknown and malformed tickets and RMAs alike", async () => {
      const unknown = "0b0d3a0e-9d3c-4c71-8a8e-2c9f6f3e4a11";
      for (const res of [
        await agent.get(`/api/tickets/${unknown}/rmas`),
        await agent.post(`/api/tickets/${unknown}/rmas`, { type: "paid_repair" }),
        await agent.post(`/api/tickets/1/rmas`, { type: "paid_repair" }),
        await agent.post(`/api/rmas/${unknown}/transitions`, { to: "approved" }),
        await agent.post(`/api/rmas/' OR 1=1--/transitions`, { to: "approved" }),
        await agent.get(`/api/rmas/${unknown}`),
      ]) {
        expect(res.status).to.equal(404);
        expect(res.body.error.code).to.equal("not_found");
      }
    });

    it("refuses invalid payloads with 400 naming each field", async () => {
      const ticket = await ticketWith("covered");
      const bad = await agent.post(`/api/tickets/${ticket.id}/rmas`, {
        type: "swap",
        role: "admin",
      });
      expect(bad.status).to.equal(400);
      expect(detailsOf(bad).map((d) => d.path)).to.include.members(["type"]);
      const rma = await open(ticket, "warranty_repair");
      const res = await move(rma, {
        to: "approved",
        quote: { amountMinor: -1, currency: "usd" },
        where: {},
      });
      expect(res.status).to.equal(400);
      const paths = detailsOf(res).map((d) => d.path);
      expect(paths).to.include.members(["quote.amountMinor", "quote.currency"]);
      const noCurrency = await agent.patch(`/api/rmas/${rma.id}`, { distributorCostMinor: 4500 });
      expect(noCurrency.status).to.equal(400);
      expect(detailsOf(noCurrency).map((d) => d.path)).to.deep.equal(["costCurrency"]);
      const costs = await agent
        .patch(`/api/rmas/${rma.id}`, {
          costCurrency: "USD",
          distributorCostMinor: 4500,
          shippingCostMinor: 1250,
        })
        .expect(200);
      expect((costs.body.rma as RmaDto).costs).to.deep.equal({
        currency: "USD",
        distributorMinor: 4500,
        shippingMinor: 1250,
      });
      const cleared = await agent.patch(`/api/rmas/${rma.id}`, { costCurrency: null });
      expect(cleared.status).to.equal(400);
      const audit = (await eventsOf(t, ticket.id)).filter((e) => e.type === "rma_updated");
      expect(audit).to.have.length(1);
      expect(audit[0].changes).to.deep.equal([
        { field: "costCurrency", from: null, to: "USD" },
        { field: "distributorCostMinor", from: null, to: 4500 },
        { field: "shippingCostMinor", from: null, to: 1250 },
      ]);
    });
  });

  describe("opening", () => {
    it("lets a handset with no warranty get only a paid repair, naming what it can get", async () => {
      for (const kind of ["none", "expired"] as const) {
        const ticket = await ticketWith(kind);
        for (const type of ["warranty_repair", "doa_advance_replacement", "return_refund"]) {
          const res = await agent.post(`/api/tickets/${ticket.id}/rmas`, { type });
          expect(res.status, `${kind} ${type}`).to.equal(409);
          expect(res.body.error.message).to.match(/not covered.*paid repair/i);
          expect(detailsOf(res)).to.deep.equal([{ path: "type", message: "allowed: paid_repair" }]);
        }
        const rma = await open(ticket, "paid_repair");
        expect(rma).to.deep.include({ type: "paid_repair", state: "requested", number: null });
        expect(rma.warrantyAtOpen).to.equal("not_covered");
      }
    });

    it("keeps a DOA replacement to handsets inside the DOA window, and numbers it at once", async () => {
      const covered = await ticketWith("covered");
      const refused = await agent.post(`/api/tickets/${covered.id}/rmas`, {
        type: "doa_advance_replacement",
      });
      expect(refused.status).to.equal(409);
      const doa = await ticketWith("doa");
      const rma = await open(doa, "doa_advance_replacement");
      expect(rma.state).to.equal("doa_reported");
      expect(rma.number).to.match(/^RMA-\d+$/);
      expect(rma.next).to.deep.equal(["advance_replacement_shipped"]);
    });

    it("allows one open RMA per ticket", async () => {
      const ticket = await ticketWith("covered");
      await open(ticket, "warranty_repair");
      const again = await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: "paid_repair" });
      expect(again.status).to.equal(409);
    });
  });

  describe("the state machine on the server", () => {
    it("refuses illegal moves with 409 and the allowed next states, changing nothing", async () => {
      const ticket = await ticketWith("covered");
      const rma = await open(ticket, "warranty_repair");
      const before = (await eventsOf(t, ticket.id)).length;
      for (const to of ["received", "closed", "quote_accepted", "refunded", "doa_reported"]) {
        const res = await move(rma, { to });
        expect(res.status, to).to.equal(409);
        expect(res.body.error.code).to.equal("conflict");
        expect(detailsOf(res)).to.deep.equal([
          { path: "to", message: "allowed next: approved, rejected" },
        ]);
      }
      expect((await eventsOf(t, ticket.id)).length).to.equal(before);
      const stored = await t.server.db.dataSource
        .getRepository(Rma)
        .findOneByOrFail({ id: rma.id });
      expect(stored.state).to.equal("requested");
    });

    it("asks for what a move needs: tracking to ship, a diagnosis, a reason to reject", async () => {
      const ticket = await ticketWith("covered");
      const rma = await open(ticket, "warranty_repair");
      const rejected = await move(rma, { to: "rejected" });
      expect(rejected.status).to.equal(400);
      expect(detailsOf(rejected).map((d) => d.path)).to.deep.equal(["note"]);
      const at = await walk(rma, [
        { to: "approved" },
        { to: "awaiting_device" },
        { to: "received" },
      ]);
      const noDiagnosis = await move(at, { to: "diagnosed" });
      expect(detailsOf(noDiagnosis).map((d) => d.path)).to.deep.equal(["diagnosis"]);
      const covered = await walk(at, [
        { to: "diagnosed", diagnosis: "Baseband fails to register on any band" },
        { to: "covered_defect" },
      ]);
      const noTracking = await move(covered, { to: "sent_to_distributor" });
      expect(noTracking.status).to.equal(400);
      expect(detailsOf(noTracking).map((d) => d.path)).to.deep.equal(["leg"]);
      const stale = await move(covered, {
        to: "sent_to_distributor",
        from: "received",
        leg: { courier: "DHL", trackingNumber: "1Z999AA10123456784" },
      });
      expect(stale.status).to.equal(409);
      expect(detailsOf(stale)).to.deep.equal([{ path: "from", message: "is now covered_defect" }]);
    });

    it("keeps a paid repair from the covered-defect path, and leaves the quote to the customer", async () => {
      const ticket = await ticketWith("none");
      const rma = await walk(await open(ticket, "paid_repair"), [
        { to: "approved" },
        { to: "awaiting_device" },
        { to: "received" },
        { to: "diagnosed", diagnosis: "Cracked display, liquid indicator red" },
      ]);
      expect(rma.next).to.deep.equal(["no_fault_found", "customer_damage"]);
      const covered = await move(rma, { to: "covered_defect" });
      expect(covered.status).to.equal(409);
      const quoted = await walk(rma, [
        { to: "customer_damage" },
        { to: "quote_sent", quote: { amountMinor: 12950, currency: "USD" } },
      ]);
      const byAgent = await move(quoted, { to: "quote_accepted" });
      expect(byAgent.status).to.equal(409);
      expect(byAgent.body.error.message).to.match(/only the customer accepts a quote/i);
      const skip = await move(quoted, {
        to: "sent_to_distributor",
        leg: { courier: "DHL", trackingNumber: "1234567890" },
      });
      expect(skip.status).to.equal(409);
    });

    it("refuses every move on a closed ticket", async () => {
      const ticket = await ticketWith("covered");
      const rma = await open(ticket, "warranty_repair");
      await agent.patch(`/api/tickets/${ticket.id}`, { status: "closed" }).expect(200);
      const res = await move(rma, { to: "approved" });
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.match(/closed/);
    });
  });

  it("lists a ticket's RMAs newest first, each with its allowed next states", async () => {
    const ticket = await ticketWith("covered");
    const first = await open(ticket, "warranty_repair");
    await walk(first, [{ to: "rejected", note: "Not a fault" }]);
    clock.advance(STEP);
    const second = await open(ticket, "warranty_repair");
    const res = await agent.get(`/api/tickets/${ticket.id}/rmas`).expect(200);
    const rmas = res.body.rmas as RmaDto[];
    expect(rmas.map((rma) => rma.id)).to.deep.equal([second.id, first.id]);
    expect(rmas[0]?.next).to.deep.equal(second.next);
    expect(rmas[1]?.finished).to.equal(true);
  });

  it("runs a warranty repair from request to delivered: events, legs, replacement, the customer's view", async () => {
    const ticket = await ticketWith("covered");
    const watcher = await connectAs(t, agent);
    const customerSocket = await connected(socketFor(t, { ticketToken: ticket.token }));
    const opened = await open(ticket, "warranty_repair");
    const replacementImei = buildImei("86735203");
    const updated = waitFor(
      watcher,
      "ticket:updated",
      (dto) => dto.id === ticket.id && dto.rma?.state === "approved",
    );
    const changed = waitFor(customerSocket, "ticket:changed");
    const approved = await walk(opened, [{ to: "approved", note: "Within warranty, HK RMA desk" }]);
    expect(approved.number).to.match(/^RMA-\d+$/);
    expect((await updated).rma).to.deep.include({ number: approved.number, state: "approved" });
    await changed;

    const shipped = await walk(approved, [{ to: "awaiting_device" }]);
    expect((await ticketRow(t, ticket.id)).status).to.equal("pending_customer");
    // The customer's own shipment: its tracking, recorded by an agent.
    await agent.http
      .put(`/api/rmas/${shipped.id}/legs/customer_to_desk`)
      .set("X-CSRF-Token", agent.csrf)
      .send({ courier: "USPS", trackingNumber: "9400 1000 0000 0000 0000 00" })
      .expect(200);
    const atDesk = await walk(shipped, [
      { to: "received" },
      { to: "diagnosed", diagnosis: "No LTE: RF board fault" },
      { to: "covered_defect" },
      { to: "sent_to_distributor", leg: { courier: "DHL", trackingNumber: "JD014600006281" } },
    ]);
    expect((await ticketRow(t, ticket.id)).status).to.equal("pending_distributor");
    expect(atDesk.distributorSince).to.be.a("string");
    await agent.patch(`/api/rmas/${atDesk.id}`, { distributorRef: "HK-RMA-88231" }).expect(200);
    const back = await walk(atDesk, [
      { to: "customs_hold", note: "Held at HKG customs for paperwork" },
      { to: "at_distributor" },
      {
        to: "replaced",
        outcome: "Board unrepairable; unit swapped",
        replacement: { imei: replacementImei },
      },
      {
        to: "return_shipped_to_desk",
        leg: { courier: "SF Express", trackingNumber: "SF1234567890" },
      },
      { to: "qa_passed" },
    ]);
    expect((await ticketRow(t, ticket.id)).status).to.equal("open");
    expect(back.distributorSince).to.equal(null);
    const done = await walk(back, [
      { to: "return_to_customer", leg: { courier: "UPS", trackingNumber: "1Z999AA10123456784" } },
      { to: "delivered" },
    ]);
    expect(done.state).to.equal("delivered");
    expect(done.next).to.deep.equal(["closed"]);
    expect((await ticketRow(t, ticket.id)).status).to.equal("resolved");

    // The RMA's own record: every leg with its tracking, every move with actor and time.
    expect(done.distributorRef).to.equal("HK-RMA-88231");
    expect(done.diagnosis).to.equal("No LTE: RF board fault");
    const legs = Object.fromEntries(done.legs.map((leg) => [leg.kind, leg]));
    expect(legs.customer_to_desk).to.deep.include({ courier: "USPS" });
    expect(legs.customer_to_desk.receivedAt).to.be.a("string");
    expect(legs.desk_to_distributor).to.deep.include({ trackingNumber: "JD014600006281" });
    expect(legs.desk_to_distributor.receivedAt).to.be.a("string");
    expect(legs.distributor_to_desk).to.deep.include({ trackingNumber: "SF1234567890" });
    expect(legs.desk_to_customer).to.deep.include({ courier: "UPS" });
    expect(legs.desk_to_customer.receivedAt).to.be.a("string");
    const path: RmaState[] = [
      "requested",
      "approved",
      "awaiting_device",
      "received",
      "diagnosed",
      "covered_defect",
      "sent_to_distributor",
      "customs_hold",
      "at_distributor",
      "replaced",
      "return_shipped_to_desk",
      "qa_passed",
      "return_to_customer",
      "delivered",
    ];
    expect(done.history.map((step) => step.to)).to.deep.equal(path);
    for (const step of done.history) {
      expect(step.actor).to.deep.equal({
        type: "agent",
        id: agent.agent.id,
        name: "Riley Returns",
      });
    }
    const times = done.history.map((step) => Date.parse(step.at));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));

    // The ticket's audit: one event per move, with its actor, time and before/after.
    const events = await eventsOf(t, ticket.id);
    const moves = events.filter((event) => event.type === "rma_state_changed");
    expect(moves.map((event) => event.changes?.[0])).to.deep.equal(
      path.slice(1).map((to, i) => ({ field: "rmaState", from: path[i], to })),
    );
    for (const event of moves) {
      expect(event).to.deep.include({ actorType: "agent", actorId: agent.agent.id, public: false });
    }
    expect(events.filter((event) => event.type === "rma_opened")).to.have.length(1);
    const replacedEvent = moves.find((event) => event.changes?.[0].to === "replaced")!;
    expect(replacedEvent.changes).to.deep.include({
      field: "replacementImei",
      from: null,
      to: replacementImei,
    });

    // The replacement: a new handset of the same customer, its IMEI recorded, linked to the old.
    expect(done.replacement?.imei).to.equal(replacementImei);
    const em = t.server.db.dataSource.manager;
    const link = await em
      .getRepository(HandsetReplacement)
      .findOneByOrFail({ handsetId: done.replacement!.id });
    expect(link).to.deep.include({ replacesHandsetId: ticket.handsetId, rmaId: done.id });
    const unit = await findHandset(em, done.replacement!.id);
    const old = await findHandset(em, ticket.handsetId);
    expect(unit!.customerId).to.equal(old!.customerId);
    expect(unit!.identifiers!.map((i) => [i.kind, i.value, i.source])).to.deep.equal([
      ["imei", replacementImei, "distributor"],
    ]);
    expect(unit!.warrantyEnd).to.equal(old!.warrantyEnd);

    // The customer's ticket page: a timeline in plain words, their own shipments, nothing more.
    const view = await portalView(ticket.token);
    expect(view.rma).to.not.equal(null);
    const rma = view.rma!;
    expect(rma).to.deep.include({
      number: approved.number,
      kind: "Warranty repair",
      now: RMA_CUSTOMER_WORDS.delivered,
      finished: false,
      quote: null,
    });
    expect(rma.steps.map((step) => step.words)).to.deep.equal(
      path.map((state) => RMA_CUSTOMER_WORDS[state]),
    );
    expect(
      rma.legs.map((leg) => [leg.direction, leg.courier, leg.trackingNumber]),
    ).to.have.deep.members([
      ["to_us", "USPS", "9400 1000 0000 0000 0000 00"],
      ["to_you", "UPS", "1Z999AA10123456784"],
    ]);
    expect(rma.replacement?.imeiMasked).to.equal(
      `${replacementImei.slice(0, 8)}******${replacementImei.slice(-2)}`,
    );
    const text = JSON.stringify(view);
    for (const secret of [
      "HK-RMA-88231",
      "JD014600006281",
      "SF1234567890",
      "RF board",
      "HKG customs",
      replacementImei,
    ]) {
      expect(text).to.not.include(secret);
    }
  });

  it("runs a DOA advance replacement to credit claimed and closed", async () => {
    const ticket = await ticketWith("doa");
    const rma = await open(ticket, "doa_advance_replacement");
    const noUnit = await move(rma, {
      to: "advance_replacement_shipped",
      leg: { courier: "UPS", trackingNumber: "1Z999AA10123456700" },
    });
    expect(detailsOf(noUnit).map((d) => d.path)).to.deep.equal(["replacement"]);
    const imei = buildImei("86735203");
    const done = await walk(rma, [
      {
        to: "advance_replacement_shipped",
        leg: { courier: "UPS", trackingNumber: "1Z999AA10123456700" },
        replacement: { imei, brand: "Xiaomi", model: "Redmi Note 3" },
      },
      { to: "defective_received" },
      { to: "credit_claimed" },
      { to: "closed" },
    ]);
    expect(done.finished).to.equal(true);
    expect(done.next).to.deep.equal([]);
    expect(done.replacement).to.deep.include({ imei, brand: "Xiaomi", model: "Redmi Note 3" });
    const view = await portalView(ticket.token);
    // Claiming the credit is the desk's bookkeeping: the customer's timeline leaves it out.
    expect(view.rma!.steps.map((step) => step.state)).to.deep.equal([
      "doa_reported",
      "advance_replacement_shipped",
      "defective_received",
      "closed",
    ]);
    const again = await move(done, { to: "closed" });
    expect(again.status).to.equal(409);
    expect(detailsOf(again)).to.deep.equal([{ path: "to", message: "allowed next: none" }]);
    // The same IMEI cannot become a second replacement.
    const other = await ticketWith("doa");
    const second = await open(other, "doa_advance_replacement");
    const clash = await move(second, {
      to: "advance_replacement_shipped",
      leg: { courier: "UPS", trackingNumber: "1Z999AA10123456701" },
      replacement: { imei },
    });
    expect(clash.status).to.equal(409);
  });

  describe("a paid repair's quote, answered by the customer through their link", () => {
    async function quoted(): Promise<{ ticket: OpenedTicket; rma: RmaDto }> {
      const ticket = await ticketWith("none");
      const rma = await walk(await open(ticket, "paid_repair"), [
        { to: "approved" },
        { to: "awaiting_device" },
        { to: "received" },
        { to: "diagnosed", diagnosis: "Water damage on the charging board" },
        { to: "customer_damage" },
        {
          to: "quote_sent",
          quote: { amountMinor: 12950, currency: "USD", description: "Charging board replacement" },
        },
      ]);
      return { ticket, rma };
    }

    it("shows the quote on the ticket page, and accepting it moves the repair on", async () => {
      const { ticket, rma } = await quoted();
      expect((await ticketRow(t, ticket.id)).status).to.equal("pending_customer");
      const before = await portalView(ticket.token);
      expect(before.rma!.quote).to.deep.equal({
        amountMinor: 12950,
        currency: "USD",
        amount: "USD 129.50",
        description: "Charging board replacement",
        decision: null,
        open: true,
      });
      expect(before.rma!.now).to.equal(RMA_CUSTOMER_WORDS.quote_sent);

      const watcher = await connectAs(t, agent);
      const heard = waitFor(
        watcher,
        "ticket:updated",
        (dto) => dto.id === ticket.id && dto.rma?.state === "quote_accepted",
      );
      const wrongToken = await request(t.url)
        .post(`/api/portal/tickets/${"B".repeat(43)}/rma/quote`)
        .send({ decision: "accept" });
      expect(wrongToken.status).to.equal(404);
      const badBody = await request(t.url)
        .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
        .send({ decision: "yes please" });
      expect(badBody.status).to.equal(400);
      expect(detailsOf(badBody).map((d) => d.path)).to.deep.equal(["decision"]);

      clock.advance(STEP);
      const res = await request(t.url)
        .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
        .send({ decision: "accept" })
        .expect(200);
      expect(res.body.rma.quote).to.deep.include({ decision: "accepted", open: false });
      expect(res.body.rma.now).to.equal(RMA_CUSTOMER_WORDS.quote_accepted);
      expect((await heard).status).to.equal("open");

      const stored = await t.server.db.dataSource
        .getRepository(Rma)
        .findOneByOrFail({ id: rma.id });
      expect(stored).to.deep.include({ state: "quote_accepted", quoteDecision: "accepted" });
      const accepted = (await eventsOf(t, ticket.id)).find(
        (event) => event.type === "rma_state_changed" && event.changes?.[0].to === "quote_accepted",
      );
      expect(accepted).to.deep.include({ actorType: "customer" });

      const twice = await request(t.url)
        .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
        .send({ decision: "decline" });
      expect(twice.status).to.equal(409);
      // Now, and only now, the unit can go to the distributor.
      await walk(rma, [
        { to: "sent_to_distributor", leg: { courier: "DHL", trackingNumber: "JD014600006299" } },
      ]);
    });

    it("records a declined quote for the desk, which then ships the unit back", async () => {
      const { ticket, rma } = await quoted();
      const res = await request(t.url)
        .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
        .send({ decision: "decline" })
        .expect(200);
      expect(res.body.rma.quote).to.deep.include({ decision: "declined", open: false });
      const detail = (await agent.get(`/api/rmas/${rma.id}`).expect(200)).body.rma as RmaDto;
      expect(detail.state).to.equal("quote_sent");
      expect(detail.quote).to.deep.include({ decision: "declined" });
      expect(detail.next).to.deep.equal(["return_to_customer"]);
      await walk(detail, [
        { to: "return_to_customer", leg: { courier: "UPS", trackingNumber: "1Z999AA10123456799" } },
      ]);
    });

    it("has no quote to answer on a ticket without one (409), and keeps other tickets out", async () => {
      const ticket = await ticketWith("covered");
      await open(ticket, "warranty_repair");
      const res = await request(t.url)
        .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
        .send({ decision: "accept" });
      expect(res.status).to.equal(409);
      const other = await openPortalTicket(t);
      const none = await request(t.url)
        .post(`/api/portal/tickets/${other.token}/rma/quote`)
        .send({ decision: "accept" });
      expect(none.status).to.equal(404);
      expect((await portalView(other.token)).rma).to.equal(null);
    });
  });

  it("tells only agents, not an unrelated customer, when an RMA moves", async () => {
    const ticket = await ticketWith("covered");
    const stranger = await openPortalTicket(t);
    const strangerSocket = await connected(socketFor(t, { ticketToken: stranger.token }));
    const rma = await open(ticket, "warranty_repair");
    const quiet = expectNoEvent(strangerSocket, "ticket:changed", 400);
    await move(rma, { to: "approved" }).expect(200);
    await quiet;
  });
});
