import { randomUUID } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { CatalogAudit } from "../../server/src/modules/catalog/catalog-audit.entity";
import { VariantBulkMessage } from "../../server/src/modules/catalog/bulk-message.entity";
import { Certification } from "../../server/src/modules/carriers/certification.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import {
  SEEDED_CARRIERS,
  SEEDED_VARIANTS,
  TACS,
  imeiOn,
  openPortalTicket,
  pathsOf,
  put,
} from "../support/catalog-fixtures";
import type { OpenedTicket } from "../support/catalog-fixtures";
import { connected, expectNoEvent, socketFor, waitFor, closeAll } from "../support/sockets";
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const TODAY = "2016-06-01";

describe("certification, affected tickets and the bulk update", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;

  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) });
    admin = await signedInAs(t, "admin", "Ada Admin");
    agent = await signedInAs(t, "agent", "Gus Agent");
  });
  after(async () => {
    await t.stop();
  });
  afterEach(() => {
    closeAll();
  });

  const em = () => t.server.db.dataSource.manager;
  const certificationPath = (variantId: string, carrierId: string) =>
    `/api/catalog/variants/${variantId}/certifications/${carrierId}`;

  async function eventsOf(ticketId: string): Promise<TicketEvent[]> {
    return em()
      .getRepository(TicketEvent)
      .find({ where: { ticketId }, order: { seq: "ASC" } });
  }

  /** A variant of its own, so this file's counts are not disturbed by other tests. */
  async function newVariant(name: string, lteBands: number[] = [2, 4, 12]) {
    const model = await admin
      .post("/api/catalog/models", {
        brand: "Testphone",
        name: `${name} ${randomUUID().slice(0, 8)}`,
      })
      .expect(201);
    const variant = await admin
      .post("/api/catalog/variants", {
        modelId: model.body.model.id,
        name,
        lteBands,
        umtsBands: [2, 4],
        gsmBands: [850, 1900],
        volteCapable: "yes",
        bandSource: "test sheet",
        bandConfidence: "high",
      })
      .expect(201);
    const tac = `99${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    await admin
      .post("/api/catalog/tacs", {
        tac,
        modelId: model.body.model.id,
        variantId: variant.body.variant.id,
        source: "distributor_sheet",
      })
      .expect(201);
    return { id: variant.body.variant.id as string, tac };
  }

  describe("PUT /api/catalog/variants/:id/certifications/:carrierId", () => {
    it("refuses agents (403), bad values (400 with details) and unknown variants (404)", async () => {
      const body = { status: "certified", volte: "whitelisted", wifiCalling: "not_capable" };
      await put(
        agent,
        certificationPath(SEEDED_VARIANTS.mi5China, SEEDED_CARRIERS.tmobile),
        body,
      ).expect(403);
      const bad = await put(
        admin,
        certificationPath(SEEDED_VARIANTS.mi5China, SEEDED_CARRIERS.tmobile),
        {
          status: "approved",
          volte: "yes",
          wifiCalling: "whitelisted",
          statusDate: "yesterday",
        },
      ).expect(400);
      expect(pathsOf(bad)).to.deep.equal(["status", "volte", "statusDate"]);
      await put(
        admin,
        certificationPath("5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10", SEEDED_CARRIERS.tmobile),
        body,
      ).expect(404);
      await put(
        admin,
        certificationPath(SEEDED_VARIANTS.mi5China, "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10"),
        body,
      ).expect(404);
      // The Mi 4 3G cannot do VoLTE at all.
      const incapable = await put(
        admin,
        certificationPath(SEEDED_VARIANTS.mi4w, SEEDED_CARRIERS.tmobile),
        body,
      ).expect(400);
      expect(pathsOf(incapable)).to.deep.equal(["volte"]);
      expect(await em().getRepository(Certification).count()).to.equal(0);
    });

    it("records the certification, audits every change, and whitelisting VoLTE opens B12", async () => {
      const variant = await newVariant("US-ready");
      const before = await agent.get(`/api/catalog/variants/${variant.id}`).expect(200);
      expect(before.body.variant.verdicts[0]).to.include({ level: "partial" });
      expect(before.body.variant.verdicts[0].lte.needsVolte).to.deep.equal([12]);

      const res = await put(admin, certificationPath(variant.id, SEEDED_CARRIERS.tmobile), {
        status: "certified",
        volte: "whitelisted",
        wifiCalling: "capable_not_whitelisted",
        reference: "TMO-CERT-0042",
        statusDate: "2016-05-20",
      }).expect(200);
      expect(res.body.certification).to.include({
        status: "certified",
        volte: "whitelisted",
        reference: "TMO-CERT-0042",
        carrierName: "T-Mobile US",
      });
      const after = await agent.get(`/api/catalog/variants/${variant.id}`).expect(200);
      expect(after.body.variant.verdicts[0]).to.include({ level: "full", voice: "volte" });
      expect(after.body.variant.certifications).to.have.length(1);

      // Pulled for certification: status and VoLTE change, audited with before and after.
      await put(admin, certificationPath(variant.id, SEEDED_CARRIERS.tmobile), {
        status: "withdrawn",
        volte: "capable_not_whitelisted",
        wifiCalling: "capable_not_whitelisted",
        reference: "TMO-CERT-0042",
        statusDate: "2016-06-01",
      }).expect(200);
      // The same record again changes nothing and adds no audit entry.
      await put(admin, certificationPath(variant.id, SEEDED_CARRIERS.tmobile), {
        status: "withdrawn",
        volte: "capable_not_whitelisted",
        wifiCalling: "capable_not_whitelisted",
        reference: "TMO-CERT-0042",
        statusDate: "2016-06-01",
      }).expect(200);
      const audit = await em()
        .getRepository(CatalogAudit)
        .find({
          where: { subjectType: "certification", variantId: variant.id },
          order: { id: "ASC" },
        });
      expect(audit.map((a) => a.action)).to.deep.equal(["created", "updated"]);
      expect(audit[1].actorName).to.equal("Ada Admin");
      expect(audit[1].changes).to.deep.equal([
        { field: "status", from: "certified", to: "withdrawn" },
        { field: "volte", from: "whitelisted", to: "capable_not_whitelisted" },
        { field: "statusDate", from: "2016-05-20", to: "2016-06-01" },
      ]);
      const history = await agent.get(`/api/catalog/variants/${variant.id}/history`).expect(200);
      expect(
        history.body.items.filter(
          (i: { subjectType: string }) => i.subjectType === "certification",
        ),
      ).to.have.length(2);
      const byCarrier = await agent
        .get(`/api/carriers/${SEEDED_CARRIERS.tmobile}/certifications`)
        .expect(200);
      expect(byCarrier.body.items.map((c: { variantId: string }) => c.variantId)).to.include(
        variant.id,
      );
    });

    it("writes the change on each open ticket of the variant (for agents), and on no other", async () => {
      const variant = await newVariant("Pulled");
      const open = await openPortalTicket(t, { imei: imeiOn(variant.tac) });
      const closed = await openPortalTicket(t, { imei: imeiOn(variant.tac) });
      await agent.patch(`/api/tickets/${closed.id}`, { status: "closed" }).expect(200);
      const other = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
      const counts = {
        closed: (await eventsOf(closed.id)).length,
        other: (await eventsOf(other.id)).length,
      };
      // A change on another carrier than the desk's is audited but not written on tickets.
      await put(admin, certificationPath(variant.id, SEEDED_CARRIERS.att), {
        status: "in_testing",
        volte: "capable_not_whitelisted",
        wifiCalling: "not_capable",
      }).expect(200);
      expect((await eventsOf(open.id)).map((e) => e.type)).to.deep.equal(["created"]);

      await put(admin, certificationPath(variant.id, SEEDED_CARRIERS.tmobile), {
        status: "withdrawn",
        volte: "capable_not_whitelisted",
        wifiCalling: "not_capable",
      }).expect(200);
      const events = await eventsOf(open.id);
      expect(events.map((e) => e.type)).to.deep.equal(["created", "handset_changed"]);
      const change = events[1];
      expect(change).to.include({ public: false, actorName: "Ada Admin" });
      expect(change.body).to.equal(
        "Certification of Pulled with T-Mobile US changed (status: none -> withdrawn; VoLTE: none -> capable, not whitelisted; Wi-Fi calling: none -> not capable).",
      );
      expect(change.changes![0]).to.deep.equal({
        field: "certification.status",
        from: null,
        to: "withdrawn",
      });
      expect((await eventsOf(closed.id)).length).to.equal(counts.closed);
      expect((await eventsOf(other.id)).length).to.equal(counts.other);
    });
  });

  describe("who a variant affects, and one public update to all of them", () => {
    let variant: { id: string; tac: string };
    let affected: OpenedTicket[];
    let sameCustomerSecond: OpenedTicket;
    let resolved: OpenedTicket;
    let closed: OpenedTicket;
    let otherVariant: OpenedTicket;

    before(async () => {
      variant = await newVariant("Affected", [4, 2]);
      const first = await openPortalTicket(t, { imei: imeiOn(variant.tac), name: "Alma Affected" });
      // The same customer and handset, a second open ticket: each ticket gets the update.
      sameCustomerSecond = await openPortalTicket(t, { imei: first.imei, email: first.email });
      const waiting = await openPortalTicket(t, { imei: imeiOn(variant.tac) });
      await agent.patch(`/api/tickets/${waiting.id}`, { status: "pending_customer" }).expect(200);
      affected = [first, sameCustomerSecond, waiting];
      resolved = await openPortalTicket(t, { imei: imeiOn(variant.tac) });
      await agent.patch(`/api/tickets/${resolved.id}`, { status: "resolved" }).expect(200);
      closed = await openPortalTicket(t, { imei: imeiOn(variant.tac) });
      await agent.patch(`/api/tickets/${closed.id}`, { status: "closed" }).expect(200);
      otherVariant = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
    });

    it("lists the open tickets and the customers' handsets of the variant (agents)", async () => {
      await request(t.url).get(`/api/catalog/variants/${variant.id}/affected`).expect(401);
      const res = await agent.get(`/api/catalog/variants/${variant.id}/affected`).expect(200);
      expect(res.body.variant).to.include({ id: variant.id, name: "Affected", brand: "Testphone" });
      expect(res.body.openTickets.map((ticket: { id: string }) => ticket.id)).to.have.members(
        affected.map((ticket) => ticket.id),
      );
      expect(res.body.totals).to.deep.equal({ openTickets: 3, handsets: 4, customers: 4 });
      expect(res.body.handsets).to.have.length(4);
      expect(res.body.handsets[0].imeiMasked).to.match(/^\d{8}\*{6}\d{2}$/);
      const limited = await agent
        .get(`/api/catalog/variants/${variant.id}/affected?limit=1`)
        .expect(200);
      expect(limited.body.handsets).to.have.length(1);
      await agent.get(`/api/catalog/variants/${variant.id}/affected?limit=0`).expect(400);
    });

    it("posts the update once on every affected ticket and on no other; customers hear it", async () => {
      const listener = await connected(socketFor(t, { ticketToken: affected[0].token }));
      const bystander = await connected(socketFor(t, { ticketToken: otherVariant.token }));
      const before = new Map<string, number>();
      for (const ticket of [...affected, resolved, closed, otherVariant]) {
        before.set(ticket.id, (await eventsOf(ticket.id)).length);
      }
      const body =
        "Your phone model has been pulled for certification with T-Mobile. We will keep you posted.";
      const heard = waitFor(listener, "ticket:message", (m) => m.body === body);
      const silence = expectNoEvent(bystander, "ticket:message", 500);

      await request(t.url)
        .post(`/api/catalog/variants/${variant.id}/affected/messages`)
        .send({ body })
        .expect(401);
      const bad = await agent
        .post(`/api/catalog/variants/${variant.id}/affected/messages`, { body: "" })
        .expect(400);
      expect(pathsOf(bad)).to.deep.equal(["body"]);

      const requestKey = randomUUID();
      const res = await agent
        .post(`/api/catalog/variants/${variant.id}/affected/messages`, { body, requestKey })
        .expect(201);
      expect(res.body.posted).to.equal(3);
      expect(res.body.repeated).to.equal(false);
      expect(res.body.ticketIds).to.have.members(affected.map((ticket) => ticket.id));

      for (const ticket of affected) {
        const events = await eventsOf(ticket.id);
        expect(events).to.have.length(before.get(ticket.id)! + 1);
        const messages = events.filter((event) => event.type === "message" && event.body === body);
        expect(messages, ticket.number).to.have.length(1);
        expect(messages[0]).to.include({
          public: true,
          actorType: "agent",
          actorName: "Gus Agent",
        });
      }
      for (const ticket of [resolved, closed, otherVariant]) {
        expect((await eventsOf(ticket.id)).length, ticket.number).to.equal(before.get(ticket.id));
      }
      // Each customer sees it on their own ticket, live and on the portal page.
      expect(await heard).to.include({ authorName: "Gus Agent", from: "agent" });
      await silence;
      const page = await request(t.url)
        .get(`/api/portal/tickets/${sameCustomerSecond.token}`)
        .expect(200);
      expect(page.body.messages.filter((m: { body: string }) => m.body === body)).to.have.length(1);

      // A retry with the same key posts nothing again.
      const retry = await agent
        .post(`/api/catalog/variants/${variant.id}/affected/messages`, { body, requestKey })
        .expect(200);
      expect(retry.body).to.deep.include({ id: res.body.id, posted: 3, repeated: true });
      for (const ticket of affected) {
        expect((await eventsOf(ticket.id)).length).to.equal(before.get(ticket.id)! + 1);
      }
      expect(
        await em().getRepository(VariantBulkMessage).countBy({ variantId: variant.id }),
      ).to.equal(1);
      // Another agent cannot reuse the key.
      await admin
        .post(`/api/catalog/variants/${variant.id}/affected/messages`, { body, requestKey })
        .expect(409);
    });

    it("answers 404 for an unknown variant and posts nothing", async () => {
      const count = await em().getRepository(TicketEvent).count();
      await agent
        .post("/api/catalog/variants/5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10/affected/messages", {
          body: "hello",
        })
        .expect(404);
      expect(await em().getRepository(TicketEvent).count()).to.equal(count);
    });
  });
});
