import { expect } from "chai";
import request from "supertest";
import { HandsetChange } from "../../server/src/modules/handsets/handset-change.entity";
import { RegisterEntry } from "../../server/src/modules/register/register-entry.entity";
import type {
  HandsetChangeDto,
  HandsetRegisterResponse,
  RegisterImeiDto,
} from "../../shared/contracts/http/register";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei } from "../support/factories";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { openPortalTicket, setWarranty, ticketRow } from "../support/tickets";

const TODAY = "2026-05-11";
const MISSING = "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10";

function pathsOf(res: request.Response): string[] {
  return ((res.body.error?.details ?? []) as { path: string }[]).map((detail) => detail.path);
}

describe("lost/stolen register and handset history", () => {
  let t: TestServer;
  let clock: MutableClock;
  let agent: SignedIn;

  before(async () => {
    clock = mutableClock(new Date(`${TODAY}T15:00:00.000Z`));
    t = await startTestServer({}, { clock });
    agent = await signedInAs(t, "agent", "Rhea Register");
  });
  after(async () => {
    await t.stop();
  });

  /** Moves the clock a minute on, so entries are ordered as written. */
  const tick = () => clock.advance(60_000);

  async function lookup(imei: string): Promise<RegisterImeiDto> {
    const res = await agent.get(`/api/register?imei=${imei}`).expect(200);
    return res.body.register as RegisterImeiDto;
  }

  async function agentTicket(imei: string): Promise<{ id: string; flags: string[] }> {
    const res = await agent
      .post("/api/tickets", {
        customer: { email: buildEmail(), name: "Mo Caller" },
        imei,
        category: "network",
        subject: "No signal",
        description: "The caller's phone finds no network.",
      })
      .expect(201);
    return { id: res.body.ticket.id as string, flags: res.body.ticket.flags as string[] };
  }

  describe("who may ask", () => {
    it("answers 401 to anyone not signed in, on every register and history route", async () => {
      const imei = buildImei();
      const anon = request(t.url);
      const answers = [
        await anon.get(`/api/register?imei=${imei}`),
        await anon.post("/api/register/entries").send({ imei, status: "stolen", note: "x" }),
        await anon
          .post("/api/register/checks")
          .send({ imei, service: "gsma_device_check", result: "flagged" }),
        await anon.get(`/api/handsets/${MISSING}/register`),
        await anon.get(`/api/handsets/${MISSING}/history`),
      ];
      for (const res of answers) {
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal("authentication_required");
      }
      expect(await t.server.db.dataSource.getRepository(RegisterEntry).countBy({ imei })).to.equal(
        0,
      );
    });

    it("answers 404 for a handset that does not exist, like one the caller may not see", async () => {
      for (const path of [
        `/api/handsets/${MISSING}/register`,
        `/api/handsets/${MISSING}/history`,
      ]) {
        const res = await agent.get(path).expect(404);
        expect(res.body.error).to.include({ code: "not_found", message: "Handset not found" });
      }
    });

    it("refuses an invalid IMEI, service, result or a missing note, naming the field", async () => {
      const bad = await agent.get("/api/register?imei=490154203237517").expect(400);
      expect(pathsOf(bad).join()).to.include("imei");
      const entry = await agent
        .post("/api/register/entries", { imei: buildImei(), status: "borrowed" })
        .expect(400);
      expect(pathsOf(entry)).to.include.members(["status", "note"]);
      const check = await agent
        .post("/api/register/checks", {
          imei: "49015420323751A",
          service: "interpol",
          result: "maybe",
        })
        .expect(400);
      expect(pathsOf(check)).to.include.members(["imei", "service", "result"]);
      const rows = await t.server.db.dataSource.getRepository(RegisterEntry).count();
      expect(rows).to.equal(0);
    });
  });

  describe("customers' reports and new tickets on a reported IMEI", () => {
    it("records a portal ticket in lost/stolen as the customer's report; a second person's ticket is accepted and flagged", async () => {
      const imei = buildImei();
      const owner = await openPortalTicket(t, {
        imei,
        category: "lost_stolen",
        subject: "My phone was stolen",
        description: "Taken from my bag on the bus this morning.",
      });
      expect((await ticketRow(t, owner.id)).flags).to.not.include("imei_reported_stolen");
      const register = await lookup(imei);
      expect(register.status).to.equal("flagged");
      expect(register.handsetIds).to.deep.equal([owner.handsetId]);
      expect(register.entries).to.have.length(1);
      expect(register.entries[0]).to.include({
        kind: "report",
        reportStatus: "lost_stolen",
        source: "customer",
        handsetId: owner.handsetId,
      });
      expect(register.entries[0].ticket).to.deep.equal({ id: owner.id, number: owner.number });
      expect(register.decidedBy).to.equal(register.entries[0].id);

      tick();
      const second = await openPortalTicket(t, {
        imei,
        subject: "Bought this phone, no service",
        description: "I bought it second hand last week.",
      });
      const row = await ticketRow(t, second.id);
      expect(row.flags).to.include("imei_reported_stolen");
      expect(row.flags).to.include("identifier_on_other_customer");
      // The second person's ticket is no new report.
      expect((await lookup(imei)).entries).to.have.length(1);

      const byAgent = await agentTicket(imei);
      expect(byAgent.flags).to.include("imei_reported_stolen");
    });

    it("does not flag a ticket on an IMEI nobody reported, nor one cleared as recovered", async () => {
      const clean = await openPortalTicket(t);
      expect((await ticketRow(t, clean.id)).flags).to.not.include("imei_reported_stolen");

      const imei = buildImei();
      await agent
        .post("/api/register/entries", { imei, status: "lost", note: "Customer called" })
        .expect(201);
      tick();
      expect((await agentTicket(imei)).flags).to.include("imei_reported_stolen");
      tick();
      await agent
        .post("/api/register/entries", { imei, status: "recovered", note: "Found at home" })
        .expect(201);
      tick();
      expect((await agentTicket(imei)).flags).to.not.include("imei_reported_stolen");
    });
  });

  describe("RMAs on a flagged IMEI", () => {
    it("refuses an RMA while the latest check is flagged, saying why; an inconclusive check changes nothing; a clear one lifts it", async () => {
      const ticket = await openPortalTicket(t, { category: "hardware_defect" });
      await setWarranty(agent, ticket.handsetId, "covered", TODAY);
      const imei = (
        (await agent.get(`/api/handsets/${ticket.handsetId}`).expect(200)).body.handset
          .identifiers[0] as { value: string }
      ).value;

      const flagged = await agent
        .post("/api/register/checks", {
          imei,
          service: "ctia_stolen_phone_checker",
          result: "flagged",
          reference: "CTIA-7781",
          note: "Reported stolen with AT&T",
        })
        .expect(201);
      expect(flagged.body.entry).to.include({
        kind: "check",
        checkService: "ctia_stolen_phone_checker",
        checkResult: "flagged",
        reference: "CTIA-7781",
        source: "agent",
        handsetId: ticket.handsetId,
      });
      expect(flagged.body.entry.actor).to.deep.equal({ id: agent.agent.id, name: "Rhea Register" });
      expect(flagged.body.register.status).to.equal("flagged");

      const refused = await agent
        .post(`/api/tickets/${ticket.id}/rmas`, { type: "warranty_repair" })
        .expect(409);
      expect(refused.body.error.code).to.equal("conflict");
      expect(refused.body.error.message).to.include("lost/stolen register");
      expect(refused.body.error.message).to.include("CTIA Stolen Phone Checker");
      expect(refused.body.error.message).to.include("CTIA-7781");
      expect(refused.body.error.message).to.include("Rhea Register");
      expect(refused.body.error.details[0].path).to.equal("handset");
      expect(refused.body.error.details[0].message).to.include(flagged.body.entry.id as string);
      const rmas = await agent.get(`/api/tickets/${ticket.id}/rmas`).expect(200);
      expect(rmas.body.rmas).to.have.length(0);

      tick();
      await agent
        .post("/api/register/checks", {
          imei,
          service: "gsma_device_check",
          result: "inconclusive",
        })
        .expect(201);
      await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: "warranty_repair" }).expect(409);

      tick();
      await agent
        .post("/api/register/checks", { imei, service: "gsma_device_check", result: "clear" })
        .expect(201);
      const handsetRegister = (
        await agent.get(`/api/handsets/${ticket.handsetId}/register`).expect(200)
      ).body as HandsetRegisterResponse;
      expect(handsetRegister.status).to.equal("clear");
      expect(handsetRegister.imeis[0].entries.map((e) => e.checkResult)).to.deep.equal([
        "clear",
        "inconclusive",
        "flagged",
      ]);
      await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: "warranty_repair" }).expect(201);
    });

    it("refuses an RMA on a handset an agent reported stolen", async () => {
      const ticket = await openPortalTicket(t, { category: "hardware_defect" });
      await setWarranty(agent, ticket.handsetId, "covered", TODAY);
      const handset = (await agent.get(`/api/handsets/${ticket.handsetId}`).expect(200)).body
        .handset as { identifiers: { value: string }[] };
      await agent
        .post("/api/register/entries", {
          imei: handset.identifiers[0].value,
          status: "stolen",
          note: "Police report 2026-441",
        })
        .expect(201);
      const refused = await agent
        .post(`/api/tickets/${ticket.id}/rmas`, { type: "warranty_repair" })
        .expect(409);
      expect(refused.body.error.message).to.include("Reported stolen by Rhea Register");
    });
  });

  describe("the handset history", () => {
    it("keeps a change of a handset whose tickets are all closed, with who, when, old and new", async () => {
      const ticket = await openPortalTicket(t);
      await agent.patch(`/api/tickets/${ticket.id}`, { status: "closed" }).expect(200);
      tick();
      await agent
        .patch(`/api/handsets/${ticket.handsetId}`, {
          warrantySource: "none",
          voidReason: "liquid_damage",
          model: "Redmi Note 3 Pro",
        })
        .expect(200);
      const res = await agent.get(`/api/handsets/${ticket.handsetId}/history`).expect(200);
      const items = res.body.items as HandsetChangeDto[];
      const byField = new Map(items.map((item) => [item.field, item]));
      expect(byField.get("warrantySource")).to.include({
        from: "carrier",
        to: "none",
        source: "agent",
      });
      expect(byField.get("voidReason")).to.include({ from: null, to: "liquid_damage" });
      expect(byField.get("model")!.to).to.equal("Redmi Note 3 Pro");
      expect(byField.get("model")!.actor).to.deep.equal({
        id: agent.agent.id,
        name: "Rhea Register",
      });
      expect(byField.get("model")!.createdAt).to.equal(clock.now().toISOString());
      const stored = await t.server.db.dataSource
        .getRepository(HandsetChange)
        .countBy({ handsetId: ticket.handsetId });
      expect(stored).to.equal(3);
    });

    it("pages newest first, and records register entries on the handset", async () => {
      const ticket = await openPortalTicket(t);
      const imei = (
        (await agent.get(`/api/handsets/${ticket.handsetId}`).expect(200)).body.handset
          .identifiers[0] as { value: string }
      ).value;
      for (const day of ["2026-01-01", "2026-01-02", "2026-01-03"]) {
        tick();
        await agent.patch(`/api/handsets/${ticket.handsetId}`, { purchaseDate: day }).expect(200);
      }
      tick();
      await agent
        .post("/api/register/entries", { imei, status: "lost", note: "Lost at the airport" })
        .expect(201);
      const first = await agent
        .get(`/api/handsets/${ticket.handsetId}/history?limit=2`)
        .expect(200);
      const firstItems = first.body.items as HandsetChangeDto[];
      expect(firstItems.map((item) => [item.field, item.to])).to.deep.equal([
        ["register", "flagged"],
        ["purchaseDate", "2026-01-03"],
      ]);
      expect(firstItems[0].from).to.equal("none");
      expect(firstItems[0].context).to.include("Reported lost by Rhea Register");
      expect(first.body.nextCursor).to.be.a("string");
      const second = await agent
        .get(`/api/handsets/${ticket.handsetId}/history?limit=2&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect((second.body.items as HandsetChangeDto[]).map((item) => item.to)).to.deep.equal([
        "2026-01-02",
        "2026-01-01",
      ]);
      const bad = await agent
        .get(`/api/handsets/${ticket.handsetId}/history?cursor=notacursor`)
        .expect(400);
      expect(pathsOf(bad)).to.include("query.cursor");
    });
  });
});
