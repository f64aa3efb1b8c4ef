import { randomUUID } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { CatalogAudit } from "../../server/src/modules/catalog/catalog-audit.entity";
import { Certification } from "../../server/src/modules/carriers/certification.entity";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
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
} from "../support/catalog-fixtures";
import type { OpenedTicket } from "../support/catalog-fixtures";
import { closeAll, connected, socketFor, waitFor } from "../support/sockets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const UNKNOWN = "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10";

describe("POST /api/carriers/:id/certifications/bulk", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;

  before(async () => {
    t = await startTestServer();
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
  const bulkPath = (carrierId: string) => `/api/carriers/${carrierId}/certifications/bulk`;
  const eventsOf = (ticketId: string) =>
    em()
      .getRepository(TicketEvent)
      .find({ where: { ticketId }, order: { seq: "ASC" } });

  /** A model of its own with one variant and a TAC naming it, so tickets on it know it. */
  async function newVariant(name: string, volteCapable: "yes" | "no" = "yes") {
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
        lteBands: [2, 4, 12],
        volteCapable,
        bandSource: "test sheet",
        bandConfidence: "high",
      })
      .expect(201);
    const tac = `98${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    await admin
      .post("/api/catalog/tacs", {
        tac,
        modelId: model.body.model.id,
        variantId: variant.body.variant.id,
        source: "distributor_sheet",
      })
      .expect(201);
    return {
      id: variant.body.variant.id as string,
      tac,
      label: `Testphone ${model.body.model.name as string} ${name}`,
    };
  }

  describe("who may ask, and what is refused", () => {
    it("answers 401 without a session, 403 to agents, 404 for an unknown carrier", async () => {
      const body = {
        variantIds: [SEEDED_VARIANTS.mi5China],
        status: "certified",
        volte: "whitelisted",
        wifiCalling: "not_capable",
      };
      await request(t.url).post(bulkPath(SEEDED_CARRIERS.tmobile)).send(body).expect(401);
      await agent.post(bulkPath(SEEDED_CARRIERS.tmobile), body).expect(403);
      const missing = await admin.post(bulkPath(UNKNOWN), body).expect(404);
      expect(missing.body.error).to.include({ code: "not_found", message: "Carrier not found" });
      expect(await em().getRepository(Certification).count()).to.equal(0);
    });

    it("names the field of every bad value (400) and writes nothing", async () => {
      const variant = await newVariant("Refused");
      const incapable = await newVariant("No VoLTE", "no");
      const audits = await em().getRepository(CatalogAudit).count();
      const shape = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [],
          status: "approved",
          volte: "yes",
          statusDate: "soon",
        })
        .expect(400);
      expect(pathsOf(shape)).to.deep.equal(["variantIds", "status", "volte", "statusDate"]);
      const twice = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [variant.id, variant.id],
          status: "certified",
        })
        .expect(400);
      expect(pathsOf(twice)).to.deep.equal(["variantIds"]);

      // An unknown variant is named by its place in the list.
      const unknown = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [variant.id, UNKNOWN],
          status: "certified",
          volte: "whitelisted",
          wifiCalling: "not_capable",
        })
        .expect(400);
      expect(unknown.body.error.details).to.deep.equal([
        { path: "variantIds.1", message: "is not a variant" },
      ]);

      // A variant with no record yet needs VoLTE and Wi-Fi calling; an incapable one, not_capable.
      const incomplete = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [variant.id],
          status: "in_testing",
        })
        .expect(400);
      expect(pathsOf(incomplete)).to.deep.equal(["volte", "wifiCalling"]);
      expect(incomplete.body.error.details[0].message).to.include(variant.label);
      const cannot = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [variant.id, incapable.id],
          status: "certified",
          volte: "whitelisted",
          wifiCalling: "not_capable",
        })
        .expect(400);
      expect(cannot.body.error.details).to.have.length(1);
      expect(cannot.body.error.details[0].path).to.equal("volte");
      expect(cannot.body.error.details[0].message).to.include(incapable.label);

      // Customers follow the desk's carrier (T-Mobile): a public update about AT&T is refused.
      const elsewhere = await admin
        .post(bulkPath(SEEDED_CARRIERS.att), {
          variantIds: [variant.id],
          status: "certified",
          volte: "whitelisted",
          wifiCalling: "not_capable",
          publicMessage: "Good news",
        })
        .expect(400);
      expect(pathsOf(elsewhere)).to.deep.equal(["publicMessage"]);

      expect(await em().getRepository(Certification).count()).to.equal(0);
      expect(await em().getRepository(CatalogAudit).count()).to.equal(audits);
    });
  });

  describe("many variants, one carrier, one step", () => {
    let a: Awaited<ReturnType<typeof newVariant>>;
    let b: Awaited<ReturnType<typeof newVariant>>;
    let untouched: Awaited<ReturnType<typeof newVariant>>;
    let onA: OpenedTicket;
    let secondOnA: OpenedTicket;
    let onB: OpenedTicket;
    let closedOnA: OpenedTicket;
    let resolvedOnB: OpenedTicket;
    let onOther: OpenedTicket;
    let onUntouched: OpenedTicket;
    const counts = new Map<string, number>();
    const message =
      "Good news: your phone model is now certified on T-Mobile, with VoLTE. Restart it to pick it up.";
    const body = () => ({
      variantIds: [a.id, b.id],
      status: "certified",
      volte: "whitelisted",
      wifiCalling: "capable_not_whitelisted",
      reference: "TMO-2026-118",
      statusDate: "2026-11-30",
      publicMessage: message,
    });

    before(async () => {
      a = await newVariant("Alpha");
      b = await newVariant("Beta");
      untouched = await newVariant("Gamma");
      onA = await openPortalTicket(t, { imei: imeiOn(a.tac) });
      secondOnA = await openPortalTicket(t, { imei: imeiOn(a.tac) });
      onB = await openPortalTicket(t, { imei: imeiOn(b.tac) });
      closedOnA = await openPortalTicket(t, { imei: imeiOn(a.tac) });
      await agent.patch(`/api/tickets/${closedOnA.id}`, { status: "closed" }).expect(200);
      resolvedOnB = await openPortalTicket(t, { imei: imeiOn(b.tac) });
      await agent.patch(`/api/tickets/${resolvedOnB.id}`, { status: "resolved" }).expect(200);
      onOther = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
      onUntouched = await openPortalTicket(t, { imei: imeiOn(untouched.tac) });
      for (const ticket of [onA, secondOnA, onB, closedOnA, resolvedOnB, onOther, onUntouched]) {
        counts.set(ticket.id, (await eventsOf(ticket.id)).length);
      }
    });

    it("counts on a dry run what the change reaches, and writes nothing", async () => {
      const res = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), { ...body(), dryRun: true })
        .expect(200);
      expect(res.body).to.deep.include({
        dryRun: true,
        deskCarrier: true,
        variants: 2,
        changed: 2,
        unchanged: 0,
        tickets: 3,
        notes: 0,
        publicMessages: 0,
      });
      expect(res.body.ticketIds).to.have.members([onA.id, secondOnA.id, onB.id]);
      expect(await em().getRepository(Certification).count()).to.equal(0);
      for (const [id, count] of counts) {
        expect((await eventsOf(id)).length).to.equal(count);
      }
    });

    it("writes both records, one internal note and one public update on each open ticket reached", async () => {
      const customer = await connected(socketFor(t, { ticketToken: onA.token }));
      const heard = waitFor(customer, "ticket:message", (m) => m.body === message);

      const res = await admin.post(bulkPath(SEEDED_CARRIERS.tmobile), body()).expect(200);
      expect(res.body).to.deep.include({
        dryRun: false,
        deskCarrier: true,
        variants: 2,
        changed: 2,
        unchanged: 0,
        tickets: 3,
        notes: 3,
        publicMessages: 3,
      });
      expect(res.body.changedVariantIds).to.have.members([a.id, b.id]);
      expect(res.body.ticketIds).to.have.members([onA.id, secondOnA.id, onB.id]);

      const records = await em()
        .getRepository(Certification)
        .find({ where: { carrierId: SEEDED_CARRIERS.tmobile } });
      expect(records.map((r) => r.variantId)).to.have.members([a.id, b.id]);
      for (const record of records) {
        expect(record).to.include({
          status: "certified",
          volte: "whitelisted",
          wifiCalling: "capable_not_whitelisted",
          reference: "TMO-2026-118",
          statusDate: "2026-11-30",
        });
      }
      // Audited per variant, as the single PUT is.
      const audit = await em()
        .getRepository(CatalogAudit)
        .find({ where: { subjectType: "certification" } });
      expect(audit.map((entry) => entry.variantId)).to.have.members([a.id, b.id]);
      expect(audit.every((entry) => entry.actorName === "Ada Admin")).to.equal(true);

      for (const [ticket, variant] of [
        [onA, a],
        [secondOnA, a],
        [onB, b],
      ] as const) {
        const added = (await eventsOf(ticket.id)).slice(counts.get(ticket.id));
        expect(
          added.map((e) => [e.type, e.public]),
          ticket.number,
        ).to.deep.equal([
          ["note", false],
          ["message", true],
        ]);
        expect(added[0].actorName).to.equal("Ada Admin");
        expect(added[0].body).to.equal(
          `Certification with T-Mobile US changed for ${variant.label} (status: none -> certified; VoLTE: none -> whitelisted; Wi-Fi calling: none -> capable, not whitelisted), in a bulk update of 2 variants.`,
        );
        expect(added[1].body).to.equal(message);
      }
      for (const ticket of [closedOnA, resolvedOnB, onOther, onUntouched]) {
        expect((await eventsOf(ticket.id)).length, ticket.number).to.equal(counts.get(ticket.id));
      }

      // The customer hears the update live and reads it once on their page.
      expect(await heard).to.include({ from: "agent" });
      const page = await request(t.url).get(`/api/portal/tickets/${onA.token}`).expect(200);
      expect(page.body.messages.filter((m: { body: string }) => m.body === message)).to.have.length(
        1,
      );
      // ... and by email, as any reply; the note is never mailed.
      const mails = await em()
        .getRepository(OutboxMessage)
        .find({ where: { ticketId: onA.id, kind: "agent_reply" } });
      expect(mails).to.have.length(1);
      expect(mails[0].body).to.include(message);
      expect(mails[0].body).to.not.include("Certification with");
      // The internal note never reaches the customer.
      expect(
        page.body.messages.filter((m: { body: string }) => m.body.startsWith("Certification")),
      ).to.have.length(0);
    });

    it("adds nothing when run again with the same values", async () => {
      const audits = await em().getRepository(CatalogAudit).count();
      const before = new Map<string, number>();
      for (const id of counts.keys()) {
        before.set(id, (await eventsOf(id)).length);
      }
      const res = await admin.post(bulkPath(SEEDED_CARRIERS.tmobile), body()).expect(200);
      expect(res.body).to.deep.include({
        changed: 0,
        unchanged: 2,
        tickets: 0,
        notes: 0,
        publicMessages: 0,
      });
      for (const [id, count] of before) {
        expect((await eventsOf(id)).length).to.equal(count);
      }
      expect(await em().getRepository(CatalogAudit).count()).to.equal(audits);
    });

    it("keeps what a request leaves out, and tells tickets only what agents see", async () => {
      const before = (await eventsOf(onA.id)).length;
      // Only the reference: audited, no ticket is told.
      const reference = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [a.id, b.id],
          status: "certified",
          reference: "TMO-2026-119",
        })
        .expect(200);
      expect(reference.body).to.deep.include({ changed: 2, tickets: 0, notes: 0 });
      expect((await eventsOf(onA.id)).length).to.equal(before);
      const kept = await em()
        .getRepository(Certification)
        .findOneByOrFail({ variantId: a.id, carrierId: SEEDED_CARRIERS.tmobile });
      expect(kept).to.include({
        volte: "whitelisted",
        wifiCalling: "capable_not_whitelisted",
        statusDate: "2026-11-30",
        reference: "TMO-2026-119",
      });

      // Withdrawn for one of them: only its tickets get a note, and no public update was asked.
      const pulled = await admin
        .post(bulkPath(SEEDED_CARRIERS.tmobile), {
          variantIds: [a.id, b.id],
          status: "withdrawn",
          volte: "capable_not_whitelisted",
        })
        .expect(200);
      expect(pulled.body).to.deep.include({ changed: 2, tickets: 3, notes: 3, publicMessages: 0 });
      const added = (await eventsOf(onA.id)).slice(before);
      expect(added.map((e) => e.type)).to.deep.equal(["note"]);
      expect(added[0].body).to.include(
        "status: certified -> withdrawn; VoLTE: whitelisted -> capable, not whitelisted",
      );
    });

    it("records another carrier's certification without telling any ticket", async () => {
      const before = (await eventsOf(onA.id)).length;
      const res = await admin
        .post(bulkPath(SEEDED_CARRIERS.att), {
          variantIds: [a.id, untouched.id],
          status: "in_testing",
          volte: "capable_not_whitelisted",
          wifiCalling: "not_capable",
        })
        .expect(200);
      expect(res.body).to.deep.include({
        deskCarrier: false,
        changed: 2,
        tickets: 0,
        notes: 0,
        publicMessages: 0,
      });
      expect((await eventsOf(onA.id)).length).to.equal(before);
      const listed = await agent
        .get(`/api/carriers/${SEEDED_CARRIERS.att}/certifications`)
        .expect(200);
      expect(listed.body.items.map((c: { variantId: string }) => c.variantId)).to.have.members([
        a.id,
        untouched.id,
      ]);
    });
  });

  describe("GET /api/catalog/variants", () => {
    it("lists every variant with its model for agents, and searches them", async () => {
      await request(t.url).get("/api/catalog/variants").expect(401);
      const all = await agent.get("/api/catalog/variants").expect(200);
      expect(all.body.items.map((v: { id: string }) => v.id)).to.include.members([
        SEEDED_VARIANTS.mi4w,
        SEEDED_VARIANTS.mi5China,
      ]);
      const found = await agent.get("/api/catalog/variants").query({ q: "alpha" }).expect(200);
      expect(found.body.items.map((v: { name: string }) => v.name)).to.deep.equal(["Alpha"]);
      expect(found.body.items[0]).to.include({ brand: "Testphone" });
    });
  });
});
