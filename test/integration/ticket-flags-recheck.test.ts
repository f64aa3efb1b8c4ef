import { expect } from "chai";
import request from "supertest";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import {
  SEEDED_CARRIERS,
  SEEDED_VARIANTS,
  TACS,
  imeiOn,
  openPortalTicket,
} from "../support/catalog-fixtures";
import { closeAll, connectAs, waitFor } from "../support/sockets";
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

/** 2016: the Redmi Note 3 is on sale, T-Mobile's 3G still runs. */
const TODAY = "2016-06-01";
const REDMI_NOTE_3_MODEL = "de51ce00-0000-4000-8000-000000000002";

/** A TAC neither the catalogue nor the bundled file knows (reporting body 35: not a test range). */
const UNKNOWN_TAC = "35920471";

describe("ticket flags and verdict follow the handset and the catalogue", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agentA: SignedIn;
  let agentB: SignedIn;

  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) });
    admin = await signedInAs(t, "admin", "Ada Admin");
    agentA = await signedInAs(t, "agent", "Ana Agent");
    agentB = await signedInAs(t, "agent", "Ben Agent");
  });
  afterEach(() => closeAll());
  after(async () => {
    await t.stop();
  });

  const row = (id: string) => t.server.db.dataSource.getRepository(Ticket).findOneByOrFail({ id });

  it("setting the variant clears variant_unknown at once, on a second agent's socket too, and the verdict now appears", async () => {
    const opened = await openPortalTicket(t, { imei: imeiOn(TACS.redmiNote3), brand: "Xiaomi" });
    expect((await row(opened.id)).flags).to.deep.equal(["variant_unknown"]);
    const before = await agentA.get(`/api/tickets/${opened.id}/network`).expect(200);
    expect(before.body.now).to.equal(null);
    // The picker offers the model's two variants, each with how to tell it apart.
    expect(before.body.handset.model).to.deep.equal({
      id: REDMI_NOTE_3_MODEL,
      brand: "Xiaomi",
      name: "Redmi Note 3",
    });
    expect(before.body.handset.variant).to.equal(null);
    const candidates = before.body.handset.candidates as { id: string; howToTell: string }[];
    expect(candidates.map((c) => c.id)).to.have.members([
      SEEDED_VARIANTS.redmiNote3Kenzo,
      SEEDED_VARIANTS.redmiNote3Hennessy,
    ]);
    expect(candidates.find((c) => c.id === SEEDED_VARIANTS.redmiNote3Kenzo)!.howToTell).to.match(
      /Snapdragon 650/,
    );

    const socketB = await connectAs(t, agentB);
    const update = waitFor(
      socketB,
      "ticket:updated",
      (ticket: TicketDto) => ticket.id === opened.id,
    );
    await agentA
      .patch(`/api/handsets/${opened.handsetId}`, { variantId: SEEDED_VARIANTS.redmiNote3Kenzo })
      .expect(200);
    const pushed = await update;
    expect(pushed.flags).to.deep.equal([]);

    const detail = await agentB.get(`/api/tickets/${opened.id}`).expect(200);
    expect(detail.body.ticket.flags).to.deep.equal([]);
    const after = await agentB.get(`/api/tickets/${opened.id}/network`).expect(200);
    expect(after.body.now.level).to.equal("partial");
    expect(after.body.now.variant.id).to.equal(SEEDED_VARIANTS.redmiNote3Kenzo);
    expect(after.body.now.carrier.code).to.equal("tmobile_us");
    // What the ticket was opened with stays as it was.
    expect(after.body.atOpen).to.equal(null);
    expect((await row(opened.id)).verdictAtOpen).to.equal(null);
    expect(after.body.handset.variant.id).to.equal(SEEDED_VARIANTS.redmiNote3Kenzo);

    // Clearing it again brings the flag back: the rule is the same both ways.
    await agentA.patch(`/api/handsets/${opened.handsetId}`, { variantId: null }).expect(200);
    expect((await row(opened.id)).flags).to.deep.equal(["variant_unknown"]);
  });

  it("recomputes the flags of a handset's closed tickets too, so search by flag stays true", async () => {
    const opened = await openPortalTicket(t, { imei: imeiOn(TACS.redmiNote3), brand: "Xiaomi" });
    await agentA.patch(`/api/tickets/${opened.id}`, { status: "closed" }).expect(200);
    await agentA
      .patch(`/api/handsets/${opened.handsetId}`, { variantId: SEEDED_VARIANTS.redmiNote3Hennessy })
      .expect(200);
    const closed = await row(opened.id);
    expect(closed.status).to.equal("closed");
    expect(closed.flags).to.deep.equal([]);
  });

  it("adding the TAC to the catalogue clears tac_unknown on the open ticket, live", async () => {
    const opened = await openPortalTicket(t, { imei: imeiOn(UNKNOWN_TAC), brand: "Xiaomi" });
    expect((await row(opened.id)).flags).to.deep.equal(["tac_unknown", "variant_unknown"]);
    const socketB = await connectAs(t, agentB);
    const update = waitFor(
      socketB,
      "ticket:updated",
      (ticket: TicketDto) => ticket.id === opened.id,
    );
    await admin
      .post("/api/catalog/tacs", {
        tac: UNKNOWN_TAC,
        modelId: REDMI_NOTE_3_MODEL,
        source: "agent_observed",
      })
      .expect(201);
    expect((await update).flags).to.deep.equal(["variant_unknown"]);
    expect((await row(opened.id)).flags).to.deep.equal(["variant_unknown"]);
    const network = await agentA.get(`/api/tickets/${opened.id}/network`).expect(200);
    expect(network.body.handset.tac).to.deep.equal({
      tac: UNKNOWN_TAC,
      brand: "Xiaomi",
      model: "Redmi Note 3",
      source: "agent_observed",
      variantId: null,
    });
    expect(network.body.handset.candidates).to.have.length(2);
  });

  it("a TAC corrected to another brand's model raises tac_brand_mismatch on its tickets", async () => {
    const tac = "35920472";
    const opened = await openPortalTicket(t, { imei: imeiOn(tac), brand: "Xiaomi" });
    await admin
      .post("/api/catalog/tacs", { tac, modelId: REDMI_NOTE_3_MODEL, source: "agent_observed" })
      .expect(201);
    expect((await row(opened.id)).flags).to.deep.equal(["variant_unknown"]);
    const meizu = await agentA.get("/api/catalog/models").query({ q: "m2 note" }).expect(200);
    await admin
      .patch(`/api/catalog/tacs/${tac}`, {
        modelId: (meizu.body.items as { id: string }[])[0].id,
        source: "distributor_sheet",
      })
      .expect(200);
    expect((await row(opened.id)).flags).to.deep.equal(["tac_brand_mismatch", "variant_unknown"]);
  });

  it("a change to the desk carrier's bands tells every console showing an open ticket with a variant", async () => {
    const opened = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
    const carrier = await agentA.get(`/api/carriers/${SEEDED_CARRIERS.tmobile}`).expect(200);
    const band = (
      carrier.body.carrier.bands as { id: string; technology: string; band: number }[]
    ).find((b) => b.technology === "umts")!;
    const socketB = await connectAs(t, agentB);
    const update = waitFor(
      socketB,
      "ticket:updated",
      (ticket: TicketDto) => ticket.id === opened.id,
    );
    await admin
      .patch(`/api/carriers/${SEEDED_CARRIERS.tmobile}/bands/${band.id}`, {
        untilDate: "2016-05-01",
      })
      .expect(200);
    await update;
    const network = await agentA.get(`/api/tickets/${opened.id}/network`).expect(200);
    expect(network.body.atOpen.level).to.equal("legacy_only");
    // Kept from the opening: 3G on the band just retired; now: only what is still live.
    type Legacy = { technology: string; band: number }[];
    const retired = { technology: "umts", band: band.band };
    expect(
      (network.body.atOpen.legacy as Legacy).map(({ technology, band }) => ({ technology, band })),
    ).to.deep.include(retired);
    expect(
      (network.body.now.legacy as Legacy).map(({ technology, band }) => ({ technology, band })),
    ).to.not.deep.include(retired);
    expect(network.body.now.legacy).to.not.deep.equal(network.body.atOpen.legacy);
  });

  it("the customer's page says in plain words whether their phone works, only when it is theirs", async () => {
    const opened = await openPortalTicket(t, { imei: imeiOn(TACS.redmiNote3) });
    const unknown = await request(t.url).get(`/api/portal/tickets/${opened.token}`).expect(200);
    expect(unknown.body.network).to.deep.equal({
      carrier: null,
      level: "unknown",
      words:
        "We have not identified the exact version of your phone yet, so we cannot say whether " +
        "it works on our network. Your agent will check and tell you.",
    });
    await agentA
      .patch(`/api/handsets/${opened.handsetId}`, { variantId: SEEDED_VARIANTS.redmiNote3Kenzo })
      .expect(200);
    const known = await request(t.url).get(`/api/portal/tickets/${opened.token}`).expect(200);
    expect(known.body.network.level).to.equal("partial");
    expect(known.body.network.carrier).to.equal("T-Mobile US");
    expect(known.body.network.words).to.match(/^Your phone works on T-Mobile US with limits: /);
    expect(known.body.network.words).to.not.match(/\bB\d+/);

    // Someone else types the same IMEI: the handset record is not theirs, so nothing recorded
    // on it (the variant an agent set) reaches their page.
    const other = await openPortalTicket(t, { imei: opened.imei });
    expect((await row(other.id)).flags).to.include("identifier_on_other_customer");
    const theirs = await request(t.url).get(`/api/portal/tickets/${other.token}`).expect(200);
    expect(theirs.body.network).to.equal(null);
  });
});
