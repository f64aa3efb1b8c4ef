import { expect } from "chai";
import request from "supertest";
import { CatalogAudit } from "../../server/src/modules/catalog/catalog-audit.entity";
import { DeviceModel } from "../../server/src/modules/catalog/device-model.entity";
import { DeviceVariant } from "../../server/src/modules/catalog/device-variant.entity";
import { TacEntry } from "../../server/src/modules/catalog/tac-entry.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
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
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

/** The desk's today in this file: 2016, when these phones were sold. */
const TODAY = "2016-06-01";

describe("catalogue API", () => {
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

  const em = () => t.server.db.dataSource.manager;

  describe("the seeded catalogue and carriers", () => {
    it("lists T-Mobile US (the desk's carrier), AT&T and Verizon with dated band profiles", async () => {
      const res = await agent.get("/api/carriers").expect(200);
      const carriers = res.body.items as {
        code: string;
        desk: boolean;
        bands: {
          technology: string;
          band: number;
          untilDate: string | null;
          requiresVolte: boolean;
          fromDate: string | null;
        }[];
      }[];
      expect(carriers.map((c) => c.code)).to.deep.equal(["att_us", "tmobile_us", "verizon_us"]);
      const tmobile = carriers.find((c) => c.code === "tmobile_us")!;
      expect(tmobile.desk).to.equal(true);
      expect(carriers.filter((c) => c.desk)).to.have.length(1);
      expect(
        tmobile.bands.filter((b) => b.technology === "umts").map((b) => b.untilDate),
      ).to.deep.equal(["2022-07-01", "2022-07-01"]);
      expect(tmobile.bands.find((b) => b.band === 12 && b.requiresVolte)?.fromDate).to.equal(
        "2015-01-01",
      );
      const verizon = carriers.find((c) => c.code === "verizon_us")!;
      expect(
        verizon.bands.filter((b) => b.technology === "cdma").map((b) => b.untilDate),
      ).to.deep.equal(["2022-12-31", "2022-12-31"]);
    });

    it("has the bundled Osmocom TACs, each on its model, none naming a variant", async () => {
      const res = await agent.get(`/api/catalog/tacs/${TACS.redmiNote3}`).expect(200);
      expect(res.body.tac).to.include({
        tac: TACS.redmiNote3,
        brand: "Xiaomi",
        model: "Redmi Note 3",
        source: "osmocom",
        variantId: null,
      });
      const osmocom = await em().getRepository(TacEntry).countBy({ source: "osmocom" });
      expect(osmocom).to.equal(15);
    });

    it("finds models by brand, name or other name, with their variants and TACs", async () => {
      const res = await agent.get("/api/catalog/models").query({ q: "note 3 pro" }).expect(200);
      expect(res.body.items).to.have.length(1);
      expect(res.body.items[0]).to.include({
        brand: "Xiaomi",
        name: "Redmi Note 3",
        variantCount: 2,
        tacCount: 4,
      });
      const detail = await agent.get(`/api/catalog/models/${res.body.items[0].id}`).expect(200);
      expect(detail.body.model.variants.map((v: { name: string }) => v.name)).to.deep.equal([
        "MediaTek (hennessy)",
        "Snapdragon (kenzo)",
      ]);
      const kenzo = detail.body.model.variants.find(
        (v: { name: string }) => v.name === "Snapdragon (kenzo)",
      );
      expect(kenzo).to.include({ bandConfidence: "low", volteCapable: "unknown" });
      expect(kenzo.umtsBands).to.deep.equal([1, 2, 4, 5, 8]);
      expect(kenzo.lteBands).to.deep.equal([1, 2, 3, 4, 5, 7, 8, 38, 39, 40, 41]);
      expect(kenzo.gsmBands).to.equal(null);
      expect(detail.body.model.tacs).to.have.length(4);
    });

    it("gives a variant's verdict on every carrier, the desk's first, with reasons and source", async () => {
      const res = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.redmiNote3Kenzo}`)
        .expect(200);
      const verdicts = res.body.variant.verdicts as {
        carrier: { code: string };
        level: string;
        reasons: { message: string }[];
        source: { bands: string };
      }[];
      expect(verdicts.map((v) => v.carrier.code)).to.deep.equal([
        "tmobile_us",
        "att_us",
        "verizon_us",
      ]);
      expect(verdicts[0].level).to.equal("partial");
      expect(verdicts[0].reasons.map((r) => r.message)).to.include(
        "no LTE B12 (700 MHz): weak signal indoors and outside towns",
      );
      expect(verdicts[0].source.bands).to.match(/spec sheet/);
    });

    it("answers the verdict on another date, for one carrier", async () => {
      const res = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}/verdicts`)
        .query({ date: "2022-07-01", carrierId: SEEDED_CARRIERS.att })
        .expect(200);
      expect(res.body.date).to.equal("2022-07-01");
      expect(res.body.items).to.have.length(1);
      expect(res.body.items[0]).to.include({ level: "none" });
      const before = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}/verdicts`)
        .query({ date: "2022-02-21", carrierId: SEEDED_CARRIERS.att })
        .expect(200);
      expect(before.body.items[0].level).to.equal("legacy_only");
      const bad = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}/verdicts`)
        .query({ date: "2022-02-30" })
        .expect(400);
      expect(pathsOf(bad)).to.deep.equal(["query.date"]);
    });
  });

  describe("policies", () => {
    it("answers 401 without a session, on reads and writes", async () => {
      await request(t.url).get("/api/catalog/models").expect(401);
      await request(t.url).get(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}`).expect(401);
      await request(t.url).get("/api/carriers").expect(401);
      await request(t.url).post("/api/catalog/models").send({ brand: "X", name: "Y" }).expect(401);
    });

    it("lets agents read and refuses them every change but TACs (403), writing nothing", async () => {
      const before = await em().getRepository(CatalogAudit).count();
      const model = { brand: "Xiaomi", name: "Mi Max" };
      await agent.post("/api/catalog/models", model).expect(403);
      await agent
        .patch(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}`, { notes: "x" })
        .expect(403);
      await agent.patch("/api/settings", { deskCarrierId: SEEDED_CARRIERS.att }).expect(403);
      await agent.http
        .put(
          `/api/catalog/variants/${SEEDED_VARIANTS.mi4w}/certifications/${SEEDED_CARRIERS.tmobile}`,
        )
        .set("X-CSRF-Token", agent.csrf)
        .send({ status: "certified", volte: "not_capable", wifiCalling: "not_capable" })
        .expect(403);
      expect(await em().getRepository(DeviceModel).countBy({ name: "Mi Max" })).to.equal(0);
      expect(await em().getRepository(CatalogAudit).count()).to.equal(before);
    });

    it("answers 404 for an unknown or malformed id, and for an unknown TAC", async () => {
      for (const id of ["5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10", "1", "' OR 1=1--"]) {
        const res = await agent.get(`/api/catalog/variants/${encodeURIComponent(id)}`).expect(404);
        expect(res.body.error).to.include({ code: "not_found", message: "Variant not found" });
      }
      await agent.get("/api/catalog/tacs/99999999").expect(404);
      await agent.get("/api/catalog/tacs/1234").expect(404);
    });
  });

  describe("editing (admins)", () => {
    let modelId: string;
    let variantId: string;

    it("adds a model (201), and refuses the same brand and name again (409)", async () => {
      const res = await admin
        .post("/api/catalog/models", { brand: "Xiaomi", name: "Mi Max", aka: ["MAX", "max"] })
        .expect(201);
      modelId = res.body.model.id as string;
      expect(res.body.model).to.include({ brand: "Xiaomi", name: "Mi Max", variantCount: 0 });
      const row = await em().getRepository(DeviceModel).findOneByOrFail({ id: modelId });
      expect(row.aka).to.deep.equal(["MAX"]);
      const again = await admin
        .post("/api/catalog/models", { brand: "xiaomi", name: "MI MAX" })
        .expect(409);
      expect(again.body.error.code).to.equal("conflict");
    });

    it("renames a model and its other names, and refuses agents (403)", async () => {
      const created = await admin
        .post("/api/catalog/models", { brand: "Xiaomi", name: "Mi Mix" })
        .expect(201);
      const id = created.body.model.id as string;
      await agent.patch(`/api/catalog/models/${id}`, { name: "Mi Mix 2" }).expect(403);
      const res = await admin
        .patch(`/api/catalog/models/${id}`, { name: "Mi Mix 2", aka: ["MIX2"] })
        .expect(200);
      expect(res.body.model).to.include({ id, brand: "Xiaomi", name: "Mi Mix 2" });
      expect(res.body.model.aka).to.deep.equal(["MIX2"]);
      const row = await em().getRepository(DeviceModel).findOneByOrFail({ id });
      expect(row.name).to.equal("Mi Mix 2");
    });

    it("adds a carrier (201), reads it, and changes its name; agents may read but not write", async () => {
      const body = { code: "mint_mobile", name: "Mint", country: "US" };
      await agent.post("/api/carriers", body).expect(403);
      const created = await admin.post("/api/carriers", body).expect(201);
      const id = created.body.carrier.id as string;
      expect(created.body.carrier).to.include({ code: "mint_mobile", desk: false });
      expect(created.body.carrier.bands).to.deep.equal([]);
      const read = await agent.get(`/api/carriers/${id}`).expect(200);
      expect(read.body.carrier).to.include({ id, name: "Mint", country: "US" });
      await agent.patch(`/api/carriers/${id}`, { name: "Mint Mobile" }).expect(403);
      const changed = await admin.patch(`/api/carriers/${id}`, { name: "Mint Mobile" }).expect(200);
      expect(changed.body.carrier).to.include({ id, name: "Mint Mobile", code: "mint_mobile" });
      await agent
        .get(`/api/carriers/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`)
        .expect(404);
    });

    it("refuses unknown fields, bad bands and band lists without their source (400 with details)", async () => {
      const sneaky = await admin
        .post("/api/catalog/variants", { modelId, name: "China", id: "x", createdAt: "2000-01-01" })
        .expect(400);
      expect(pathsOf(sneaky)).to.include.members(["id", "createdAt"]);
      const bad = await admin
        .post("/api/catalog/variants", {
          modelId,
          name: "China",
          lteBands: [3, 300],
          gsmBands: [1700],
          volteCapable: "maybe",
        })
        .expect(400);
      expect(pathsOf(bad)).to.include.members(["lteBands", "gsmBands", "volteCapable"]);
      const unsourced = await admin
        .post("/api/catalog/variants", { modelId, name: "China", lteBands: [1, 3] })
        .expect(400);
      expect(pathsOf(unsourced)).to.deep.equal(["bandSource", "bandConfidence"]);
      const objectAsId = await admin
        .post("/api/catalog/variants", { modelId: { $ne: null }, name: "x" })
        .expect(400);
      expect(pathsOf(objectAsId)).to.deep.equal(["modelId"]);
      expect(await em().getRepository(DeviceVariant).countBy({ modelId })).to.equal(0);
    });

    it("adds a variant with its bands, source and confidence, and audits it", async () => {
      const res = await admin
        .post("/api/catalog/variants", {
          modelId,
          name: "China (hydrogen)",
          region: "China",
          lteBands: [41, 1, 3, 38, 39, 40, 1],
          umtsBands: [1, 2, 5, 8],
          gsmBands: [850, 900, 1800, 1900],
          volteCapable: "unknown",
          bandSource: "Xiaomi spec sheet",
          bandConfidence: "medium",
        })
        .expect(201);
      variantId = res.body.variant.id as string;
      expect(res.body.variant).to.include({
        brand: "Xiaomi",
        model: "Mi Max",
        name: "China (hydrogen)",
      });
      expect(res.body.variant.lteBands).to.deep.equal([1, 3, 38, 39, 40, 41]);
      const row = await em().getRepository(DeviceVariant).findOneByOrFail({ id: variantId });
      expect(row.umtsBands).to.deep.equal([1, 2, 5, 8]);
      expect(row.cdmaBands).to.equal(null);
      const dup = await admin
        .post("/api/catalog/variants", { modelId, name: "china (HYDROGEN)" })
        .expect(409);
      expect(dup.body.error.message).to.match(/already has a variant/);
    });

    it("changes a variant's bands; the history shows who changed what", async () => {
      const res = await admin
        .patch(`/api/catalog/variants/${variantId}`, {
          lteBands: [1, 2, 3, 4, 38, 39, 40, 41],
          bandConfidence: "high",
        })
        .expect(200);
      expect(res.body.variant.lteBands).to.deep.equal([1, 2, 3, 4, 38, 39, 40, 41]);
      const history = await agent.get(`/api/catalog/variants/${variantId}/history`).expect(200);
      const [latest, created] = history.body.items as {
        action: string;
        actor: { name: string };
        changes: { field: string; from: unknown; to: unknown }[];
      }[];
      expect(latest.action).to.equal("updated");
      expect(latest.actor.name).to.equal("Ada Admin");
      expect(latest.changes).to.deep.equal([
        { field: "lteBands", from: [1, 3, 38, 39, 40, 41], to: [1, 2, 3, 4, 38, 39, 40, 41] },
        { field: "bandConfidence", from: "medium", to: "high" },
      ]);
      expect(created.action).to.equal("created");
      // Clearing the source while bands remain is refused.
      await admin.patch(`/api/catalog/variants/${variantId}`, { bandSource: null }).expect(400);
    });

    it("records a TAC seen by an agent, naming the variant; the lookup then knows the variant", async () => {
      const bad = await admin
        .post("/api/catalog/tacs", {
          tac: "86111101",
          modelId,
          variantId: SEEDED_VARIANTS.mi4w,
          source: "agent_observed",
        })
        .expect(400);
      expect(pathsOf(bad)).to.deep.equal(["variantId"]);
      const res = await admin
        .post("/api/catalog/tacs", {
          tac: "86111101",
          modelId,
          variantId,
          source: "agent_observed",
        })
        .expect(201);
      expect(res.body.tac).to.include({
        tac: "86111101",
        variantId,
        variantName: "China (hydrogen)",
        source: "agent_observed",
      });
      await admin
        .post("/api/catalog/tacs", { tac: "86111101", modelId, source: "osmocom" })
        .expect(409);

      const lookup = await request(t.url)
        .get("/api/devices/lookup")
        .query({ imei: imeiOn("86111101") })
        .expect(200);
      expect(lookup.body).to.include({
        valid: true,
        brand: "Xiaomi",
        model: "Mi Max",
        tacSource: "agent_observed",
      });
      expect(lookup.body.variant).to.deep.equal({
        id: variantId,
        name: "China (hydrogen)",
        knownBy: "tac_entry",
      });
      expect(lookup.body.verdict).to.include({ level: "partial" });
      expect(lookup.body.verdict.carrier.code).to.equal("tmobile_us");
    });

    it("corrects a TAC's variant, with the source, and audits it", async () => {
      const res = await admin
        .patch("/api/catalog/tacs/86111101", { variantId: null, source: "distributor_sheet" })
        .expect(200);
      expect(res.body.tac).to.include({ variantId: null, source: "distributor_sheet" });
      const audit = await em()
        .getRepository(CatalogAudit)
        .find({
          where: { subjectType: "tac", subjectId: "86111101" },
          order: { createdAt: "ASC" },
        });
      expect(audit.map((a) => a.action)).to.deep.equal(["created", "updated"]);
      expect(audit[1].changes).to.deep.equal([
        { field: "variantId", from: variantId, to: null },
        { field: "source", from: "agent_observed", to: "distributor_sheet" },
      ]);
      // One variant on the model: still known from the TAC, now as the model's only variant.
      const lookup = await request(t.url)
        .get("/api/devices/lookup")
        .query({ imei: imeiOn("86111101") })
        .expect(200);
      expect(lookup.body.variant.knownBy).to.equal("only_variant");
    });
  });

  describe("the verdict on tickets, handsets and the lookup", () => {
    it("keeps the verdict at opening on the ticket and knows the variant from the TAC", async () => {
      const opened = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w), brand: "Xiaomi" });
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ id: opened.id });
      expect(ticket.flags).to.not.include("variant_unknown");
      expect(ticket.verdictAtOpen).to.include({ level: "legacy_only", date: TODAY });
      expect(ticket.verdictAtOpen!.variant).to.include({
        id: SEEDED_VARIANTS.mi4w,
        model: "MI 4W",
      });
      const handset = await em().getRepository(Handset).findOneByOrFail({ id: opened.handsetId });
      expect(handset.variantId).to.equal(SEEDED_VARIANTS.mi4w);

      const detail = await agent.get(`/api/tickets/${opened.id}`).expect(200);
      expect(detail.body.ticket.verdictAtOpen).to.deep.equal({
        level: "legacy_only",
        date: TODAY,
        carrier: "T-Mobile US",
        variant: "Xiaomi MI 4W 3G (MI 4W)",
        summary: ticket.verdictAtOpen!.summary,
      });
      expect(detail.body.handset.variantId).to.equal(SEEDED_VARIANTS.mi4w);
      const network = await agent.get(`/api/tickets/${opened.id}/network`).expect(200);
      expect(network.body.atOpen.level).to.equal("legacy_only");
      expect(network.body.now.level).to.equal("legacy_only");
      expect(network.body.changed).to.equal(false);

      const handsetRes = await agent.get(`/api/handsets/${opened.handsetId}`).expect(200);
      expect(handsetRes.body.handset.variant).to.include({
        id: SEEDED_VARIANTS.mi4w,
        name: "3G (MI 4W)",
      });
      expect(handsetRes.body.handset.verdict.level).to.equal("legacy_only");
      expect(handsetRes.body.handset.batch).to.equal(null);
    });

    it("flags variant_unknown when the TAC's model has several variants, with no verdict", async () => {
      const opened = await openPortalTicket(t, { imei: imeiOn(TACS.redmiNote3), brand: "Xiaomi" });
      const ticket = await em().getRepository(Ticket).findOneByOrFail({ id: opened.id });
      expect(ticket.flags).to.deep.equal(["variant_unknown"]);
      expect(ticket.verdictAtOpen).to.equal(null);
      const lookup = await request(t.url)
        .get("/api/devices/lookup")
        .query({ imei: opened.imei })
        .expect(200);
      expect(lookup.body.model).to.equal("Redmi Note 3");
      expect(lookup.body).to.not.have.property("variant");
      expect(lookup.body).to.not.have.property("verdict");
    });

    it("lets an agent set the variant from the box label; the verdict follows, the ticket keeps its own", async () => {
      const opened = await openPortalTicket(t, { imei: imeiOn(TACS.redmiNote3) });
      const res = await agent
        .patch(`/api/handsets/${opened.handsetId}`, { variantId: SEEDED_VARIANTS.redmiNote3Kenzo })
        .expect(200);
      expect(res.body.handset.variantId).to.equal(SEEDED_VARIANTS.redmiNote3Kenzo);
      const network = await agent.get(`/api/tickets/${opened.id}/network`).expect(200);
      expect(network.body.atOpen).to.equal(null);
      expect(network.body.now.level).to.equal("partial");
      const bad = await agent
        .patch(`/api/handsets/${opened.handsetId}`, {
          variantId: "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10",
        })
        .expect(400);
      expect(pathsOf(bad)).to.deep.equal(["variantId"]);
    });

    it("shows a ticket's verdict then and now once the catalogue changes", async () => {
      const opened = await openPortalTicket(t, { imei: imeiOn(TACS.m2note), brand: "Meizu" });
      const network = await agent.get(`/api/tickets/${opened.id}/network`).expect(200);
      expect(network.body.atOpen.level).to.equal("unknown");
      // The distributor's sheet arrives: the m2 note's bands are filled in.
      await admin
        .patch(`/api/catalog/variants/${SEEDED_VARIANTS.meizuM2Note}`, {
          lteBands: [1, 3, 7, 38, 39, 40, 41],
          umtsBands: [1, 2, 5, 8],
          gsmBands: [850, 900, 1800, 1900],
          bandSource: "distributor sheet",
          bandConfidence: "medium",
        })
        .expect(200);
      const later = await agent.get(`/api/tickets/${opened.id}/network`).expect(200);
      expect(later.body.atOpen.level).to.equal("unknown");
      expect(later.body.now.level).to.equal("legacy_only");
      expect(later.body.changed).to.equal(true);
    });
  });

  describe("carriers and the desk's carrier (admins)", () => {
    it("adds and retires a band row with dates, audited; agents cannot", async () => {
      const band = { technology: "lte", band: 66, role: "low_band", fromDate: "2016-01-01" };
      await agent.post(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands`, band).expect(403);
      // The old role of the wrong table is gone; 5G NR is a technology of its own.
      const oldRole = await admin
        .post(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands`, { ...band, role: "coverage" })
        .expect(400);
      expect(oldRole.body.error.details).to.deep.include({
        path: "role",
        message: "must be primary, low_band or supplementary",
      });
      const nr = await admin
        .post(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands`, {
          technology: "nr",
          band: 2,
          role: "supplementary",
          fromDate: "2023-01-01",
        })
        .expect(201);
      expect(nr.body.carrier.bands).to.deep.include({
        id: nr.body.carrier.bands.find(
          (b: { technology: string; band: number }) => b.technology === "nr" && b.band === 2,
        ).id,
        technology: "nr",
        band: 2,
        role: "supplementary",
        fromDate: "2023-01-01",
        untilDate: null,
        requiresVolte: false,
        note: null,
      });
      const bad = await admin
        .post(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands`, {
          ...band,
          band: 400,
          untilDate: "2015-01-01",
        })
        .expect(400);
      expect(pathsOf(bad)).to.include.members(["band", "untilDate"]);
      const res = await admin
        .post(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands`, {
          ...band,
          technology: "gsm",
          band: 1900,
        })
        .expect(201);
      const added = (res.body.carrier.bands as { id: string; technology: string }[]).find(
        (b) => b.technology === "gsm",
      )!;
      const retired = await admin
        .patch(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands/${added.id}`, {
          untilDate: "2017-01-01",
        })
        .expect(200);
      expect(
        (retired.body.carrier.bands as { id: string; untilDate: string }[]).find(
          (b) => b.id === added.id,
        )!.untilDate,
      ).to.equal("2017-01-01");
      await admin.http
        .delete(`/api/carriers/${SEEDED_CARRIERS.verizon}/bands/${added.id}`)
        .set("X-CSRF-Token", admin.csrf)
        .expect(204);
      const audit = await em()
        .getRepository(CatalogAudit)
        .findBy({ subjectType: "carrier", subjectId: SEEDED_CARRIERS.verizon });
      // The NR row, and the GSM row added, retired and deleted.
      expect(audit).to.have.length(4);
    });

    it("changes the carrier the desk sells on (admins only), and verdicts follow", async () => {
      const before = await agent.get("/api/settings").expect(200);
      expect(before.body.settings.deskCarrier).to.include({
        code: "tmobile_us",
        name: "T-Mobile US",
      });
      const bad = await admin
        .patch("/api/settings", { deskCarrierId: "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10" })
        .expect(400);
      expect(pathsOf(bad)).to.deep.equal(["deskCarrierId"]);
      const res = await admin
        .patch("/api/settings", { deskCarrierId: SEEDED_CARRIERS.att })
        .expect(200);
      expect(res.body.settings.deskCarrier.code).to.equal("att_us");
      const lookup = await request(t.url)
        .get("/api/devices/lookup")
        .query({ imei: imeiOn(TACS.mi4w) })
        .expect(200);
      expect(lookup.body.verdict.carrier.code).to.equal("att_us");
      const audit = await em().getRepository(CatalogAudit).findBy({ subjectType: "setting" });
      expect(audit).to.have.length(1);
      await admin.patch("/api/settings", { deskCarrierId: SEEDED_CARRIERS.tmobile }).expect(200);
    });
  });
});
