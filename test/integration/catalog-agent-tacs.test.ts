import { expect } from "chai";
import request from "supertest";
import { CatalogAudit } from "../../server/src/modules/catalog/catalog-audit.entity";
import { TacEntry } from "../../server/src/modules/catalog/tac-entry.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { imeiOn, openPortalTicket, pathsOf } from "../support/catalog-fixtures";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

/**
 * Agents record the TACs they see on boxes and distributor sheets, and correct the variant a TAC
 * names, with the source (docs/DOMAIN.md, "TAC -> model"); models and variants stay the admins'.
 * Regression: both TAC routes answered agents 403.
 */
describe("TACs added and corrected by agents", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;
  let modelId: string;
  let variantA: string;
  let variantB: string;

  before(async () => {
    t = await startTestServer();
    admin = await signedInAs(t, "admin", "Ada Admin");
    agent = await signedInAs(t, "agent", "Gus Agent");
    const model = await admin
      .post("/api/catalog/models", { brand: "Blackview", name: "BV6000" })
      .expect(201);
    modelId = model.body.model.id as string;
    const a = await admin.post("/api/catalog/variants", { modelId, name: "Global" }).expect(201);
    const b = await admin.post("/api/catalog/variants", { modelId, name: "EU" }).expect(201);
    variantA = a.body.variant.id as string;
    variantB = b.body.variant.id as string;
  });
  after(async () => {
    await t.stop();
  });

  const em = () => t.server.db.dataSource.manager;
  const tacAudit = (tac: string) =>
    em()
      .getRepository(CatalogAudit)
      .find({ where: { subjectType: "tac", subjectId: tac }, order: { createdAt: "ASC" } });

  it("lets an agent add a TAC with its source (201), audited under the agent's name", async () => {
    const res = await agent
      .post("/api/catalog/tacs", {
        tac: "35123401",
        modelId,
        variantId: variantA,
        source: "agent_observed",
      })
      .expect(201);
    expect(res.body.tac).to.include({
      tac: "35123401",
      brand: "Blackview",
      model: "BV6000",
      variantId: variantA,
      variantName: "Global",
      source: "agent_observed",
    });
    const audit = await tacAudit("35123401");
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ action: "created", actorName: "Gus Agent" });
    expect(audit[0].changes).to.deep.include({ field: "source", from: null, to: "agent_observed" });

    // The IMEI lookup (anyone) now names the model from the agent's entry.
    const lookup = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: imeiOn("35123401") })
      .expect(200);
    expect(lookup.body).to.include({ brand: "Blackview", model: "BV6000" });
    expect(lookup.body.tacSource).to.equal("agent_observed");
  });

  it("lets an agent correct the variant a TAC names, with the new source, audited", async () => {
    const res = await agent
      .patch("/api/catalog/tacs/35123401", { variantId: variantB, source: "distributor_sheet" })
      .expect(200);
    expect(res.body.tac).to.include({ variantId: variantB, source: "distributor_sheet" });
    const audit = await tacAudit("35123401");
    expect(audit.map((a) => a.action)).to.deep.equal(["created", "updated"]);
    expect(audit[1].actorName).to.equal("Gus Agent");
    expect(audit[1].changes).to.deep.equal([
      { field: "variantId", from: variantA, to: variantB },
      { field: "source", from: "agent_observed", to: "distributor_sheet" },
    ]);
  });

  it("refuses an agent's TAC without a source, or naming another model's variant (400, nothing written)", async () => {
    const before = await em().getRepository(CatalogAudit).count();
    const noSource = await agent
      .post("/api/catalog/tacs", { tac: "35123402", modelId })
      .expect(400);
    expect(pathsOf(noSource)).to.deep.equal(["source"]);
    const badSource = await agent
      .post("/api/catalog/tacs", { tac: "35123402", modelId, source: "a friend" })
      .expect(400);
    expect(pathsOf(badSource)).to.deep.equal(["source"]);
    const other = await admin
      .post("/api/catalog/models", { brand: "Blackview", name: "BV7000" })
      .expect(201);
    const wrong = await agent
      .post("/api/catalog/tacs", {
        tac: "35123402",
        modelId: other.body.model.id,
        variantId: variantA,
        source: "agent_observed",
      })
      .expect(400);
    expect(pathsOf(wrong)).to.deep.equal(["variantId"]);
    // A TAC already known is corrected, not added again.
    await agent
      .post("/api/catalog/tacs", { tac: "35123401", modelId, source: "agent_observed" })
      .expect(409);
    await agent.patch("/api/catalog/tacs/99999999", { source: "agent_observed" }).expect(404);
    expect(await em().getRepository(TacEntry).countBy({ tac: "35123402" })).to.equal(0);
    // Only the admin's model was audited in between.
    expect(await em().getRepository(CatalogAudit).count()).to.equal(before + 1);
  });

  it("still refuses agents models and variants (403)", async () => {
    await agent.post("/api/catalog/models", { brand: "Blackview", name: "BV9000" }).expect(403);
    await agent.post("/api/catalog/variants", { modelId, name: "US" }).expect(403);
    await agent.patch(`/api/catalog/variants/${variantA}`, { notes: "x" }).expect(403);
    await agent.patch(`/api/catalog/models/${modelId}`, { name: "BV6000s" }).expect(403);
    await request(t.url)
      .post("/api/catalog/tacs")
      .send({ tac: "35123403", modelId, source: "agent_observed" })
      .expect(401);
  });

  it("keeps flagging a ticket whose declared brand differs from the agent-added TAC's", async () => {
    await agent
      .post("/api/catalog/tacs", { tac: "35123404", modelId, source: "agent_observed" })
      .expect(201);
    const mismatch = await openPortalTicket(t, { imei: imeiOn("35123404"), brand: "Apple" });
    const matching = await openPortalTicket(t, { imei: imeiOn("35123404"), brand: "blackview" });
    const flagsOf = async (id: string) =>
      (await em().getRepository(Ticket).findOneByOrFail({ id })).flags;
    expect(await flagsOf(mismatch.id)).to.include("tac_brand_mismatch");
    expect(await flagsOf(mismatch.id)).to.not.include("tac_unknown");
    expect(await flagsOf(matching.id)).to.not.include("tac_brand_mismatch");
    expect(await flagsOf(matching.id)).to.not.include("tac_unknown");
  });
});
