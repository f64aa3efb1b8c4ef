import { expect } from "chai";
import request from "supertest";
import type { RmaDto } from "../../shared/contracts/http/rma";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import type { SavedViewDto } from "../../shared/contracts/http/views";
import { buildAgent, signIn, signedInAs } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { openPortalTicket, setWarranty } from "../support/tickets";

const TODAY = "2026-03-02";
const DAY = 86_400_000;

describe("saved queue views", () => {
  let t: TestServer;
  let clock: MutableClock;
  let person: TestAgent;
  let agent: SignedIn;
  let other: SignedIn;

  before(async () => {
    clock = mutableClock(new Date(`${TODAY}T15:00:00.000Z`));
    t = await startTestServer({}, { clock });
    person = await buildAgent(t, "agent", "Vic Views");
    agent = await signIn(t, person);
    other = await signedInAs(t, "agent", "Oz Other");
  });
  after(async () => {
    await t.stop();
  });

  const del = (client: SignedIn, id: string) =>
    client.http.delete(`/api/views/${id}`).set("X-CSRF-Token", client.csrf);

  it("keeps each agent's views to that agent: list, create, rename, delete", async () => {
    const created = await agent
      .post("/api/views", {
        name: "My breaching tickets",
        filters: { assignee: "me", sla: "breached", status: ["new", "open"], sort: "sla_asc" },
      })
      .expect(201);
    const view = created.body.view as SavedViewDto;
    expect(view).to.deep.include({ name: "My breaching tickets", position: 0 });
    expect(view.filters).to.deep.equal({
      assignee: "me",
      sla: "breached",
      status: ["new", "open"],
      sort: "sla_asc",
    });
    await agent
      .post("/api/views", { name: "At distributor > 14 days", filters: { atDistributorDays: 14 } })
      .expect(201);
    const mine = (await agent.get("/api/views").expect(200)).body.views as SavedViewDto[];
    expect(mine.map((v) => v.name)).to.deep.equal([
      "My breaching tickets",
      "At distributor > 14 days",
    ]);
    expect((await other.get("/api/views").expect(200)).body.views).to.deep.equal([]);

    // Another agent's view is not there for them: 404, and it stays as it was.
    expect((await other.patch(`/api/views/${view.id}`, { name: "Mine now" })).status).to.equal(404);
    expect((await del(other, view.id)).status).to.equal(404);
    const renamed = await agent
      .patch(`/api/views/${view.id}`, { name: "Breaching, mine" })
      .expect(200);
    expect((renamed.body.view as SavedViewDto).name).to.equal("Breaching, mine");
    expect((await del(agent, view.id)).status).to.equal(204);
    expect((await del(agent, view.id)).status).to.equal(404);
    expect((await request(t.url).get("/api/views")).status).to.equal(401);
  });

  it("refuses filters outside the allowlists with 400 naming each", async () => {
    const res = await agent.post("/api/views", {
      name: "",
      filters: {
        status: ["open", "'; DROP TABLE tickets;--"],
        sort: "updatedAt DESC",
        sla: "late",
        atDistributorDays: 0,
        where: { id: { $ne: null } },
      },
      agentId: other.agent.id,
    });
    expect(res.status).to.equal(400);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).to.include.members([
      "name",
      "filters.status.1",
      "filters.sort",
      "filters.sla",
      "filters.atDistributorDays",
    ]);
  });

  it("finds tickets at the distributor for more than 14 days, as the view says", async () => {
    const ticket = await openPortalTicket(t);
    await setWarranty(agent, ticket.handsetId, "covered", TODAY);
    const rma = (
      await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: "warranty_repair" }).expect(201)
    ).body.rma as RmaDto;
    for (const step of [
      { to: "approved" },
      { to: "awaiting_device" },
      { to: "received" },
      { to: "diagnosed", diagnosis: "Dead modem" },
      { to: "covered_defect" },
      { to: "sent_to_distributor", leg: { courier: "DHL", trackingNumber: "JD014600006281" } },
    ]) {
      await agent.post(`/api/rmas/${rma.id}/transitions`, step).expect(200);
    }
    const query = "/api/tickets?atDistributorDays=14&status=pending_distributor";
    const ids = async () =>
      ((await agent.get(query).expect(200)).body.items as TicketDto[]).map((item) => item.id);
    expect(await ids()).to.deep.equal([]);
    clock.advance(15 * DAY);
    agent = await signIn(t, person);
    expect(await ids()).to.deep.equal([ticket.id]);
    const row = ((await agent.get(query).expect(200)).body.items as TicketDto[])[0];
    expect(row.rma).to.deep.include({ state: "sent_to_distributor", type: "warranty_repair" });
    const byState = (
      await agent.get("/api/tickets?rmaState=sent_to_distributor,at_distributor").expect(200)
    ).body.items as TicketDto[];
    expect(byState.map((item) => item.id)).to.include(ticket.id);
    expect((await agent.get("/api/tickets?atDistributorDays=0")).status).to.equal(400);
    expect((await agent.get("/api/tickets?rmaState=lost")).status).to.equal(400);
  });
});
