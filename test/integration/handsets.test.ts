import { randomUUID } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

type Body = Record<string, unknown>;

/** The desk's today for this file: warranty windows are decided against it. */
const TODAY = "2026-03-15";

const NOT_FOUND = { code: "not_found", message: "Handset not found" };
const UNAUTHENTICATED = { code: "authentication_required", message: "Sign in first" };

const MISSING_IDS: [string, string][] = [
  ["an unknown uuid", "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10"],
  ["a sequential number", "1"],
  ["an SQL payload", "' OR 1=1--"],
  ["a NUL byte", "\u0000"],
];

function errorOf(res: request.Response): Body {
  const error = { ...(res.body.error as Body) };
  delete error.requestId;
  return error;
}

function pathsOf(res: request.Response): string[] {
  return ((res.body.error?.details ?? []) as { path: string }[]).map((detail) => detail.path);
}

function messagesOf(res: request.Response): string {
  return ((res.body.error?.details ?? []) as { message: string }[])
    .map((d) => d.message)
    .join(" | ");
}

/** An IMEI as people type it: `35-209900-176148-1`. */
function dashed(imei: string): string {
  return `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`;
}

describe("handsets API", () => {
  let t: TestServer;
  let agent: SignedIn;

  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) });
    agent = await signedInAs(t, "agent", "Harper Handset");
  });
  after(async () => {
    await t.stop();
  });

  const em = () => t.server.db.dataSource.manager;

  /** A portal ticket; returns its id, token and its handset's id. */
  async function openPortal(overrides: Parameters<typeof buildPortalTicket>[0] = {}) {
    const body = buildPortalTicket(overrides);
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const number = res.body.ticket.number as string;
    const ticket = await em()
      .getRepository(Ticket)
      .findOneByOrFail({ number: Number(number.slice(3)) });
    return {
      body,
      number,
      id: ticket.id,
      handsetId: ticket.handsetId!,
      token: tokenOf(res.body.accessUrl as string),
    };
  }

  /**
   * One handset with three tickets of its customer: one new, one waiting on the customer and
   * one closed.
   */
  async function handsetWithTickets() {
    const first = await openPortal({ subject: "No LTE at home" });
    const same = { email: first.body.email, imei: first.body.imei };
    const waiting = await openPortal({ ...same, subject: "Still no LTE" });
    const closed = await openPortal({ ...same, subject: "Old complaint" });
    await agent.patch(`/api/tickets/${waiting.id}`, { status: "pending_customer" }).expect(200);
    await agent.patch(`/api/tickets/${closed.id}`, { status: "closed" }).expect(200);
    expect(new Set([first.handsetId, waiting.handsetId, closed.handsetId]).size).to.equal(1);
    return { handsetId: first.handsetId, imei: first.body.imei, open: first, waiting, closed };
  }

  async function handsetRow(id: string): Promise<Handset> {
    return em().getRepository(Handset).findOneByOrFail({ id });
  }

  async function eventsOf(ticketId: string): Promise<TicketEvent[]> {
    return em()
      .getRepository(TicketEvent)
      .find({ where: { ticketId }, order: { seq: "ASC" } });
  }

  describe("GET /api/handsets?identifier=", () => {
    it("requires a session (401)", async () => {
      const { body } = await openPortal();
      const res = await request(t.url)
        .get("/api/handsets")
        .query({ identifier: body.imei })
        .expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
      expect(JSON.stringify(res.body)).to.not.include(body.imei);
    });

    it("finds a handset by its IMEI however it is typed", async () => {
      const { body, handsetId } = await openPortal({ brand: "Xiaomi" });
      const imei = body.imei;
      for (const typed of [
        imei,
        dashed(imei),
        `${imei.slice(0, 5)} ${imei.slice(5, 10)} ${imei.slice(10)}`,
        `  ${imei}  `,
        `${imei.slice(0, 8)}.${imei.slice(8)}`,
        `${imei.slice(0, 14)}07`,
      ]) {
        const res = await agent.get("/api/handsets").query({ identifier: typed }).expect(200);
        expect(res.body.items, typed).to.have.length(1);
        expect(res.body.items[0]).to.include({
          id: handsetId,
          brand: "Xiaomi",
          warrantySource: "carrier",
        });
        expect(res.body.items[0].identifiers).to.deep.equal([
          { kind: "imei", value: imei, slot: 1, source: "customer", softwareVersion: null },
        ]);
        expect(res.body.items[0].warranty).to.include({
          status: "pending",
          reason: "dates_unknown",
        });
      }
    });

    it("answers an unknown identifier with no items", async () => {
      for (const identifier of [
        buildImei(),
        "490154203237517",
        "SERIAL-NOT-HERE",
        "' OR 1=1--",
        "%",
        "_",
      ]) {
        const res = await agent.get("/api/handsets").query({ identifier }).expect(200);
        expect(res.body, identifier).to.deep.equal({ items: [] });
      }
    });

    const refused: [string, Record<string, string> | string, string][] = [
      ["a missing identifier", {}, "query.identifier"],
      ["a blank identifier", { identifier: "   " }, "query.identifier"],
      ["an identifier over 64 characters", { identifier: "1".repeat(65) }, "query.identifier"],
      ["a repeated identifier (an array)", "identifier=1&identifier=2", "query.identifier"],
      ["an unknown key", { identifier: "1", imei: "1" }, "query.imei"],
      ["an operator in brackets", "identifier[$ne]=x", "query.identifier[$ne]"],
      ["a NUL byte", { identifier: "35209900\u00001761481" }, "query.identifier"],
    ];
    for (const [what, query, path] of refused) {
      it(`refuses ${what} with 400 naming ${path}`, async () => {
        const res =
          typeof query === "string"
            ? await agent.get(`/api/handsets?${query}`)
            : await agent.get("/api/handsets").query(query);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(path);
      });
    }
  });

  describe("GET /api/handsets/:id", () => {
    it("requires a session (401)", async () => {
      const { handsetId } = await openPortal();
      const res = await request(t.url).get(`/api/handsets/${handsetId}`).expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
    });

    for (const [what, id] of MISSING_IDS) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await agent.get(`/api/handsets/${encodeURIComponent(id)}`).expect(404);
        expect(errorOf(res)).to.deep.equal(NOT_FOUND);
      });
    }

    it("shows identifiers, the warranty decision and every ticket of the handset, newest first", async () => {
      const { handsetId, imei, open, waiting, closed } = await handsetWithTickets();
      const res = await agent.get(`/api/handsets/${handsetId}`).expect(200);
      const handset = res.body.handset;
      expect(handset).to.include({
        id: handsetId,
        warrantySource: "carrier",
        warrantyEnd: null,
        voidReason: null,
      });
      expect(handset.identifiers).to.deep.equal([
        { kind: "imei", value: imei, slot: 1, source: "customer", softwareVersion: null },
      ]);
      expect(handset.warranty).to.deep.equal({
        status: "pending",
        source: "carrier",
        reason: "dates_unknown",
        voidReason: null,
        until: null,
        summary: "Pending: the warranty dates are not recorded yet",
      });
      const tickets = (handset.tickets as Body[]).map((x) => [x.id, x.number, x.subject, x.status]);
      expect(tickets).to.have.deep.members([
        [open.id, open.number, "No LTE at home", "new"],
        [waiting.id, waiting.number, "Still no LTE", "pending_customer"],
        [closed.id, closed.number, "Old complaint", "closed"],
      ]);
      expect(handset.customerId).to.equal((await handsetRow(handsetId)).customerId);
    });
  });

  describe("PATCH /api/handsets/:id", () => {
    it("requires a session (401) and changes nothing", async () => {
      const { handsetId } = await openPortal();
      const before = await handsetRow(handsetId);
      const res = await request(t.url)
        .patch(`/api/handsets/${handsetId}`)
        .send({ warrantySource: "none" })
        .expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
      expect(await handsetRow(handsetId)).to.deep.equal(before);
    });

    it("requires the CSRF token (403 csrf_failed) and changes nothing", async () => {
      const { handsetId, id } = await openPortal();
      const before = await handsetRow(handsetId);
      const res = await agent.http
        .patch(`/api/handsets/${handsetId}`)
        .send({ warrantySource: "none" })
        .expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
      expect(await handsetRow(handsetId)).to.deep.equal(before);
      expect(await eventsOf(id)).to.have.length(1);
    });

    for (const [what, id] of MISSING_IDS) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await agent
          .patch(`/api/handsets/${encodeURIComponent(id)}`, { brand: "Xiaomi" })
          .expect(404);
        expect(errorOf(res)).to.deep.equal(NOT_FOUND);
      });
    }

    it("records carrier warranty dates around today as covered", async () => {
      const { handsetId, id } = await openPortal();
      const res = await agent
        .patch(`/api/handsets/${handsetId}`, {
          warrantyStart: "2026-01-10",
          warrantyEnd: "2027-01-09",
        })
        .expect(200);
      expect(res.body.handset).to.include({
        id: handsetId,
        warrantyStart: "2026-01-10",
        warrantyEnd: "2027-01-09",
      });
      expect(res.body.handset.warranty).to.deep.equal({
        status: "covered",
        source: "carrier",
        reason: null,
        voidReason: null,
        until: "2027-01-09",
        summary: "Covered by the carrier's warranty until 9 January 2027",
      });
      expect(await handsetRow(handsetId)).to.include({
        warrantyStart: "2026-01-10",
        warrantyEnd: "2027-01-09",
      });
      // Every view of the ticket shows the new decision.
      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      expect(detail.body.ticket.warranty.status).to.equal("covered");
      expect(detail.body.handset.warranty.status).to.equal("covered");
    });

    it("decides the warranty from each kind of change", async () => {
      const { handsetId, token } = await openPortal();
      const decide = async (patch: Body) => {
        const res = await agent.patch(`/api/handsets/${handsetId}`, patch).expect(200);
        const stored = await handsetRow(handsetId);
        for (const [field, value] of Object.entries(patch)) {
          expect(stored[field as keyof Handset], field).to.equal(value);
        }
        return res.body.handset.warranty as Body;
      };
      expect(await decide({ warrantyStart: "2026-01-01", warrantyEnd: "2026-12-31" })).to.include({
        status: "covered",
        until: "2026-12-31",
      });
      expect(await decide({ doaDeadline: "2026-03-15" })).to.include({
        status: "doa",
        until: "2026-03-15",
        summary: "Dead on arrival: eligible for replacement until 15 March 2026",
      });
      expect(await decide({ doaDeadline: null })).to.include({ status: "covered" });
      expect(await decide({ voidReason: "liquid_damage" })).to.deep.equal({
        status: "not_covered",
        source: "carrier",
        reason: "voided",
        voidReason: "liquid_damage",
        until: null,
        summary: "Not covered: water damage",
      });
      const portal = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      expect(portal.body.warranty.summary).to.equal("Not covered: water damage");
      expect(await decide({ voidReason: null })).to.include({ status: "covered" });
      expect(await decide({ warrantyEnd: "2026-03-14" })).to.include({
        status: "not_covered",
        reason: "expired",
        summary: "Not covered: the carrier's warranty ended on 14 March 2026",
      });
      expect(await decide({ warrantyStart: "2026-03-16", warrantyEnd: "2027-03-16" })).to.include({
        status: "pending",
        reason: "not_started",
      });
      expect(await decide({ warrantySource: "none" })).to.deep.equal({
        status: "not_covered",
        source: "none",
        reason: "sold_as_is",
        voidReason: null,
        until: null,
        summary: "No warranty: sold as-is",
      });
      expect(await decide({ warrantySource: "carrier" })).to.include({
        status: "pending",
        source: "carrier",
      });
      expect(await decide({ warrantyStart: null, warrantyEnd: null })).to.include({
        status: "pending",
        reason: "dates_unknown",
      });
    });

    it("changes brand, model and purchase date", async () => {
      const { handsetId } = await openPortal({ brand: "Xiaomi", model: "Redmi Note 3" });
      const res = await agent
        .patch(`/api/handsets/${handsetId}`, {
          brand: "Meizu",
          model: "m2 note",
          purchaseDate: "2026-02-01",
        })
        .expect(200);
      expect(res.body.handset).to.include({
        brand: "Meizu",
        model: "m2 note",
        purchaseDate: "2026-02-01",
      });
      expect(await handsetRow(handsetId)).to.include({
        brand: "Meizu",
        model: "m2 note",
        purchaseDate: "2026-02-01",
      });
      await agent
        .patch(`/api/handsets/${handsetId}`, { model: null, purchaseDate: null })
        .expect(200);
      expect(await handsetRow(handsetId)).to.include({
        brand: "Meizu",
        model: null,
        purchaseDate: null,
      });
    });

    it("audits a warranty change on every ticket of the handset that is not closed", async () => {
      const { handsetId, open, waiting, closed } = await handsetWithTickets();
      const closedBefore = await eventsOf(closed.id);
      const closedRow = await em().getRepository(Ticket).findOneByOrFail({ id: closed.id });
      await agent
        .patch(`/api/handsets/${handsetId}`, {
          warrantyStart: "2026-01-10",
          warrantyEnd: "2027-01-09",
        })
        .expect(200);
      for (const ticket of [open, waiting]) {
        const [last] = (await eventsOf(ticket.id)).slice(-1);
        expect(last).to.include({
          type: "warranty_changed",
          public: false,
          actorType: "agent",
          actorId: agent.agent.id,
          actorName: agent.agent.name,
        });
        expect(last.changes).to.deep.equal([
          { field: "warrantyStart", from: null, to: "2026-01-10" },
          { field: "warrantyEnd", from: null, to: "2027-01-09" },
        ]);
        const detail = await agent.get(`/api/tickets/${ticket.id}`).expect(200);
        const events = detail.body.events as Body[];
        expect(events[events.length - 1]).to.include({ type: "warranty_changed", public: false });
        expect(events.map((e) => e.seq)).to.deep.equal(events.map((_, i) => i + 1));
      }
      expect(await eventsOf(closed.id)).to.deep.equal(closedBefore);
      expect(await em().getRepository(Ticket).findOneByOrFail({ id: closed.id })).to.deep.equal(
        closedRow,
      );

      // The customer never sees the internal audit entry.
      const portal = await request(t.url).get(`/api/portal/tickets/${open.token}`).expect(200);
      expect(portal.body.messages).to.have.length(1);
      expect(portal.body.warranty.status).to.equal("covered");
    });

    it("records a void reason and its clearing with before and after", async () => {
      const { handsetId, open, closed } = await handsetWithTickets();
      const closedBefore = await eventsOf(closed.id);
      await agent.patch(`/api/handsets/${handsetId}`, { voidReason: "liquid_damage" }).expect(200);
      await agent.patch(`/api/handsets/${handsetId}`, { voidReason: null }).expect(200);
      expect((await handsetRow(handsetId)).voidReason).to.equal(null);
      const changes = (await eventsOf(open.id)).slice(-2).map((e) => [e.type, e.changes]);
      expect(changes).to.deep.equal([
        ["warranty_changed", [{ field: "voidReason", from: null, to: "liquid_damage" }]],
        ["warranty_changed", [{ field: "voidReason", from: "liquid_damage", to: null }]],
      ]);
      expect(await eventsOf(closed.id)).to.deep.equal(closedBefore);
    });

    it("audits brand, model and purchase date as handset_changed, apart from warranty changes", async () => {
      const { handsetId, open, waiting, closed } = await handsetWithTickets();
      const before = await handsetRow(handsetId);
      const closedBefore = await eventsOf(closed.id);
      await agent
        .patch(`/api/handsets/${handsetId}`, {
          brand: "Meizu",
          model: "MX5",
          purchaseDate: "2026-02-20",
          warrantySource: "none",
        })
        .expect(200);
      for (const ticket of [open, waiting]) {
        const events = (await eventsOf(ticket.id)).slice(-2);
        expect(events.map((e) => [e.type, e.public, e.actorId])).to.deep.equal([
          ["warranty_changed", false, agent.agent.id],
          ["handset_changed", false, agent.agent.id],
        ]);
        expect(events[0].changes).to.deep.equal([
          { field: "warrantySource", from: "carrier", to: "none" },
        ]);
        expect(events[1].changes).to.deep.equal([
          { field: "brand", from: before.brand, to: "Meizu" },
          { field: "model", from: before.model, to: "MX5" },
          { field: "purchaseDate", from: null, to: "2026-02-20" },
        ]);
      }
      expect(await eventsOf(closed.id)).to.deep.equal(closedBefore);
    });

    it("writes no event for a change to the values already recorded", async () => {
      const { handsetId, open } = await handsetWithTickets();
      await agent
        .patch(`/api/handsets/${handsetId}`, { warrantyEnd: "2027-01-01", brand: "Xiaomi" })
        .expect(200);
      const before = await handsetRow(handsetId);
      const events = await eventsOf(open.id);
      const res = await agent
        .patch(`/api/handsets/${handsetId}`, {
          warrantyEnd: "2027-01-01",
          brand: "Xiaomi",
          warrantySource: "carrier",
          voidReason: null,
        })
        .expect(200);
      expect(res.body.handset).to.include({ warrantyEnd: "2027-01-01", brand: "Xiaomi" });
      expect(await handsetRow(handsetId)).to.deep.equal(before);
      expect(await eventsOf(open.id)).to.deep.equal(events);
    });

    it("refuses a warranty that ends before it starts, naming warrantyEnd", async () => {
      const { handsetId, id } = await openPortal();
      const before = await handsetRow(handsetId);
      const res = await agent
        .patch(`/api/handsets/${handsetId}`, {
          warrantyStart: "2026-06-01",
          warrantyEnd: "2026-05-31",
        })
        .expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
      expect(pathsOf(res)).to.deep.equal(["warrantyEnd"]);
      expect(await handsetRow(handsetId)).to.deep.equal(before);
      expect(await eventsOf(id)).to.have.length(1);

      // Also against the start already recorded.
      await agent.patch(`/api/handsets/${handsetId}`, { warrantyStart: "2026-06-01" }).expect(200);
      const again = await agent
        .patch(`/api/handsets/${handsetId}`, { warrantyEnd: "2026-01-01" })
        .expect(400);
      expect(pathsOf(again)).to.deep.equal(["warrantyEnd"]);
      expect((await handsetRow(handsetId)).warrantyEnd).to.equal(null);
    });

    it("refuses a DOA deadline before the warranty starts, and a purchase date in the future", async () => {
      const { handsetId } = await openPortal();
      const before = await handsetRow(handsetId);
      const doa = await agent
        .patch(`/api/handsets/${handsetId}`, {
          warrantyStart: "2026-03-01",
          doaDeadline: "2026-02-28",
        })
        .expect(400);
      expect(pathsOf(doa)).to.deep.equal(["doaDeadline"]);
      const future = await agent
        .patch(`/api/handsets/${handsetId}`, { purchaseDate: "2026-03-16" })
        .expect(400);
      expect(pathsOf(future)).to.deep.equal(["purchaseDate"]);
      expect(await handsetRow(handsetId)).to.deep.equal(before);
    });

    const invalid: [string, Body, string][] = [
      ["a date that does not exist", { warrantyStart: "2023-02-30" }, "warrantyStart"],
      ["29 February of a common year", { warrantyEnd: "2023-02-29" }, "warrantyEnd"],
      ["a date without leading zeros", { doaDeadline: "2026-3-5" }, "doaDeadline"],
      ["a date with a time", { warrantyStart: "2026-03-05T00:00:00Z" }, "warrantyStart"],
      ["a word as a date", { purchaseDate: "yesterday" }, "purchaseDate"],
      ["a number as a date", { warrantyEnd: 20260301 }, "warrantyEnd"],
      ["an unknown warranty source", { warrantySource: "manufacturer" }, "warrantySource"],
      ["null as warranty source", { warrantySource: null }, "warrantySource"],
      ["an unknown void reason", { voidReason: "dropped" }, "voidReason"],
      ["an empty brand", { brand: "  " }, "brand"],
      ["a brand over 60 characters", { brand: "b".repeat(61) }, "brand"],
      ["a model with a line break", { model: "Mi 5\nBcc: x" }, "model"],
      ["an object as brand", { brand: { $ne: null } }, "brand"],
    ];
    for (const [what, body, field] of invalid) {
      it(`refuses ${what} with 400 naming "${field}"`, async () => {
        const { handsetId } = await openPortal();
        const before = await handsetRow(handsetId);
        const res = await agent.patch(`/api/handsets/${handsetId}`, body).expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await handsetRow(handsetId)).to.deep.equal(before);
      });
    }

    for (const field of ["id", "customerId", "identifiers", "warranty", "createdAt", "imei"]) {
      it(`refuses the unknown field "${field}" with 400 and changes nothing`, async () => {
        const { handsetId, id } = await openPortal();
        const before = await handsetRow(handsetId);
        const value =
          field === "identifiers" ? [{ kind: "imei", value: buildImei() }] : randomUUID();
        const res = await agent
          .patch(`/api/handsets/${handsetId}`, { [field]: value, warrantySource: "none" })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await handsetRow(handsetId)).to.deep.equal(before);
        expect(await eventsOf(id)).to.have.length(1);
      });
    }

    it("refuses an empty body with 400", async () => {
      const { handsetId } = await openPortal();
      const res = await agent.patch(`/api/handsets/${handsetId}`, {}).expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
      expect(messagesOf(res)).to.match(/at least one field/);
    });

    it("checks concurrent changes against each other: never an end before the start", async () => {
      for (let round = 0; round < 5; round++) {
        const { handsetId, id } = await openPortal();
        const [start, end] = await Promise.all([
          agent.patch(`/api/handsets/${handsetId}`, { warrantyStart: "2026-06-01" }),
          agent.patch(`/api/handsets/${handsetId}`, { warrantyEnd: "2026-01-01" }),
        ]);
        // Whichever came second sees the first and is refused.
        expect([start.status, end.status].sort()).to.deep.equal([200, 400]);
        const stored = await handsetRow(handsetId);
        expect(stored.warrantyStart === null || stored.warrantyEnd === null).to.equal(true);
        // The audit trail replays to what is stored.
        const audited = (await eventsOf(id)).filter((e) => e.type === "warranty_changed");
        expect(audited).to.have.length(1);
      }
    });

    it("audits true befores when two agents change the same field at once", async () => {
      const { handsetId, id } = await openPortal();
      await Promise.all(
        (["physical_damage", "liquid_damage", "tampering", "counterfeit"] as const).map(
          (voidReason) => agent.patch(`/api/handsets/${handsetId}`, { voidReason }).expect(200),
        ),
      );
      const changes = (await eventsOf(id))
        .filter((e) => e.type === "warranty_changed")
        .map((e) => e.changes![0]);
      expect(changes).to.have.length(4);
      let value: unknown = null;
      for (const change of changes) {
        expect(change.from).to.equal(value);
        value = change.to;
      }
      expect((await handsetRow(handsetId)).voidReason).to.equal(value);
    });

    it("never moves a handset to another customer", async () => {
      const { handsetId } = await openPortal();
      const before = await handsetRow(handsetId);
      const other = await openPortal({ email: buildEmail() });
      const otherRow = await handsetRow(other.handsetId);
      await agent
        .patch(`/api/handsets/${handsetId}`, { customerId: otherRow.customerId })
        .expect(400);
      expect((await handsetRow(handsetId)).customerId).to.equal(before.customerId);
    });
  });
});
