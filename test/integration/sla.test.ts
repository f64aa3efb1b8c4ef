import { expect } from "chai";
import request from "supertest";
import type { SlaPolicyDto, SlaSummaryDto, TicketSlaDto } from "../../shared/contracts/http/sla";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { closeAll, connectAs, waitFor } from "../support/sockets";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { eventsOf, openPortalTicket } from "../support/tickets";

const MIN = 60_000;
const WEEKDAYS_9_TO_5 = (timeZone: string) => ({
  timeZone,
  week: [
    { start: "09:00", end: "17:00" },
    { start: "09:00", end: "17:00" },
    { start: "09:00", end: "17:00" },
    { start: "09:00", end: "17:00" },
    { start: "09:00", end: "17:00" },
    null,
    null,
  ],
});

describe("SLA clocks and policies", () => {
  let t: TestServer;
  let clock: MutableClock;
  let adminPerson: TestAgent;
  let agentPerson: TestAgent;
  let admin: SignedIn;
  let agent: SignedIn;
  let policies: SlaPolicyDto[];

  /** Moves the clock forward to `iso` (the tests run in calendar order). */
  function setClock(iso: string): void {
    const ms = Date.parse(iso) - clock.now().getTime();
    expect(ms, `the clock is already past ${iso}`).to.be.at.least(0);
    clock.advance(ms);
  }

  /** Signs both in again: the clock moves days, sessions live 12 hours of it. */
  async function signInAgain(): Promise<void> {
    admin = await signIn(t, adminPerson);
    agent = await signIn(t, agentPerson);
  }

  async function ticketOf(id: string): Promise<TicketDto> {
    return (await agent.get(`/api/tickets/${id}`).expect(200)).body.ticket as TicketDto;
  }

  async function slaOf(id: string): Promise<TicketSlaDto> {
    const sla = (await ticketOf(id)).sla;
    expect(sla).to.not.equal(null);
    return sla!;
  }

  const policy = (priority: string) =>
    policies.find((p) => p.priority === priority && p.category === null)!;

  before(async () => {
    // Monday 4 March 2024, 10:00 UTC.
    clock = mutableClock(new Date("2024-03-04T10:00:00.000Z"));
    t = await startTestServer({}, { clock });
    adminPerson = await buildAgent(t, "admin", "Ada Admin");
    agentPerson = await buildAgent(t, "agent", "Riley Clock");
    await signInAgain();
    policies = (await agent.get("/api/sla/policies").expect(200)).body.policies as SlaPolicyDto[];
    expect(policies.map((p) => p.priority)).to.deep.equal(["urgent", "high", "normal", "low"]);
    await admin
      .patch(`/api/sla/policies/${policy("normal").id}`, {
        businessHours: WEEKDAYS_9_TO_5("UTC"),
        firstResponseMinutes: 60,
        resolutionMinutes: 480,
      })
      .expect(200);
  });
  afterEach(() => closeAll());
  after(async () => {
    await t.stop();
  });

  it("counts exactly across pauses for the customer and the distributor, and resumes where it stopped", async () => {
    const ticket = await openPortalTicket(t);
    let sla = await slaOf(ticket.id);
    expect(sla).to.deep.include({ paused: false, pausedSince: null, breached: false });
    expect(sla.policy.name).to.equal("Normal");
    expect(sla.firstResponse).to.deep.equal({
      state: "running",
      targetMinutes: 60,
      dueAt: "2024-03-04T11:00:00.000Z",
      achievedAt: null,
      remainingMs: null,
      breached: false,
      breachedAt: null,
    });
    // Seven hours on Monday, one on Tuesday.
    expect(sla.resolution!.dueAt).to.equal("2024-03-05T10:00:00.000Z");
    expect((await ticketOf(ticket.id)).slaDueAt).to.equal("2024-03-04T11:00:00.000Z");

    clock.advance(20 * MIN); // 10:20
    const waiting = await agent
      .patch(`/api/tickets/${ticket.id}`, { status: "pending_customer" })
      .expect(200);
    sla = (waiting.body.ticket as TicketDto).sla!;
    expect(sla).to.deep.include({ paused: true, pausedSince: "2024-03-04T10:20:00.000Z" });
    expect(sla.firstResponse).to.deep.include({
      state: "paused",
      dueAt: null,
      remainingMs: 40 * MIN,
    });
    expect(sla.resolution).to.deep.include({ state: "paused", remainingMs: 460 * MIN });
    expect((waiting.body.ticket as TicketDto).slaDueAt).to.equal(null);

    clock.advance(3 * 60 * MIN); // 13:20: still frozen
    sla = await slaOf(ticket.id);
    expect(sla.firstResponse!.remainingMs).to.equal(40 * MIN);
    expect(sla.resolution!.remainingMs).to.equal(460 * MIN);

    // The customer answers: the clocks run again from where they stopped.
    await request(t.url)
      .post(`/api/portal/tickets/${ticket.token}/messages`)
      .send({ body: "Here is the photo of the box label." })
      .expect(201);
    sla = await slaOf(ticket.id);
    expect(sla.paused).to.equal(false);
    expect(sla.firstResponse).to.deep.include({
      state: "running",
      dueAt: "2024-03-04T14:00:00.000Z",
    });
    // 460 minutes left at 13:20: 220 on Monday, 240 on Tuesday from 09:00.
    expect(sla.resolution!.dueAt).to.equal("2024-03-05T13:00:00.000Z");

    clock.advance(10 * MIN); // 13:30: the first public reply meets the first-response target
    await agent
      .post(`/api/tickets/${ticket.id}/messages`, { body: "Thanks, that is the China variant." })
      .expect(201);
    sla = await slaOf(ticket.id);
    expect(sla.firstResponse).to.deep.include({
      state: "met",
      achievedAt: "2024-03-04T13:30:00.000Z",
      remainingMs: 30 * MIN,
      breached: false,
    });
    expect((await ticketOf(ticket.id)).slaDueAt).to.equal("2024-03-05T13:00:00.000Z");

    // At the distributor for two days: the resolution clock waits.
    await agent.patch(`/api/tickets/${ticket.id}`, { status: "pending_distributor" }).expect(200);
    expect((await slaOf(ticket.id)).resolution).to.deep.include({
      state: "paused",
      remainingMs: 450 * MIN,
    });
    setClock("2024-03-06T13:30:00.000Z");
    await signInAgain();
    expect((await slaOf(ticket.id)).resolution!.remainingMs).to.equal(450 * MIN);
    await agent.patch(`/api/tickets/${ticket.id}`, { status: "open" }).expect(200);
    sla = await slaOf(ticket.id);
    // 450 minutes from Wednesday 13:30: 210 on Wednesday, 240 on Thursday.
    expect(sla.resolution).to.deep.include({
      state: "running",
      dueAt: "2024-03-07T13:00:00.000Z",
      breached: false,
    });
    expect((await ticketOf(ticket.id)).slaDueAt).to.equal("2024-03-07T13:00:00.000Z");

    // Resolved on time: the clock is met and the ticket leaves the SLA order.
    clock.advance(30 * MIN);
    const resolved = await agent
      .patch(`/api/tickets/${ticket.id}`, { status: "resolved" })
      .expect(200);
    expect((resolved.body.ticket as TicketDto).sla!.resolution).to.deep.include({
      state: "met",
      achievedAt: "2024-03-06T14:00:00.000Z",
      breached: false,
    });
    expect((resolved.body.ticket as TicketDto).slaDueAt).to.equal(null);
  });

  it("records a breach when a running clock falls due, counts it, and tells the agents", async () => {
    setClock("2024-03-06T15:00:00.000Z");
    const owner = await buildAgent(t, "agent", "Breach Owner");
    const ownerClient = await signIn(t, owner);
    const late = await openPortalTicket(t);
    const onTime = await openPortalTicket(t);
    await agent.patch(`/api/tickets/${late.id}`, { assigneeId: owner.id }).expect(200);
    await agent.post(`/api/tickets/${onTime.id}/messages`, { body: "We are on it." }).expect(201);

    clock.advance(61 * MIN); // 16:01: the late one's first response was due at 16:00
    // Overdue reads as breached at once, before the sweep records it.
    const before = await slaOf(late.id);
    expect(before.firstResponse).to.deep.include({
      state: "running",
      breached: true,
      breachedAt: "2024-03-06T16:00:00.000Z",
    });
    expect((await eventsOf(t, late.id)).some((e) => e.type === "sla_breached")).to.equal(false);

    const watcher = await connectAs(t, agent);
    const heard = waitFor(watcher, "ticket:updated", (dto) => dto.id === late.id);
    expect(await t.server.sla.sweep()).to.equal(1);
    expect((await heard).sla!.firstResponse!.breached).to.equal(true);
    expect(await t.server.sla.sweep()).to.equal(0);
    const breaches = (await eventsOf(t, late.id)).filter((e) => e.type === "sla_breached");
    expect(breaches).to.have.length(1);
    expect(breaches[0]).to.deep.include({ actorType: "system", public: false });
    expect(breaches[0].changes).to.deep.equal([
      { field: "firstResponse", from: null, to: "2024-03-06T16:00:00.000Z" },
    ]);

    // A late reply meets the target, but the breach stays on record.
    await agent
      .post(`/api/tickets/${late.id}/messages`, { body: "Sorry for the wait." })
      .expect(201);
    expect((await slaOf(late.id)).firstResponse).to.deep.include({
      state: "met",
      breached: true,
      breachedAt: "2024-03-06T16:00:00.000Z",
    });

    const summary = (await ownerClient.get("/api/sla/summary").expect(200)).body
      .summary as SlaSummaryDto;
    expect(summary.mine).to.deep.equal({ breached: 1, atRisk: 0 });
    expect(summary.breached).to.be.at.least(1);
    const breached = (await agent.get("/api/tickets?sla=breached&limit=100").expect(200)).body
      .items as TicketDto[];
    expect(breached.map((item) => item.id))
      .to.include(late.id)
      .and.not.include(onTime.id);
    const mine = (
      await ownerClient.get("/api/tickets?sla=breached&assignee=me&status=new,open").expect(200)
    ).body.items as TicketDto[];
    expect(mine.map((item) => item.id)).to.deep.equal([late.id]);
  });

  it("keeps the policy's time zone and its DST change, and recomputes on a new priority", async () => {
    const high = policy("high");
    await admin
      .patch(`/api/sla/policies/${high.id}`, {
        businessHours: WEEKDAYS_9_TO_5("America/New_York"),
        firstResponseMinutes: 120,
      })
      .expect(200);
    setClock("2024-03-08T21:00:00.000Z"); // Friday 16:00 EST
    await signInAgain();
    const ticket = await openPortalTicket(t);
    const changed = await agent
      .patch(`/api/tickets/${ticket.id}`, { priority: "high" })
      .expect(200);
    const sla = (changed.body.ticket as TicketDto).sla!;
    expect(sla.policy.name).to.equal("High");
    // One hour on Friday; the other on Monday from 09:00 EDT (13:00Z), after the clocks moved.
    expect(sla.firstResponse!.dueAt).to.equal("2024-03-11T14:00:00.000Z");
  });

  it("sorts the queue by due date, soonest first and those without a clock last, across pages", async () => {
    setClock("2024-03-11T14:00:00.000Z"); // Monday 14:00 UTC, inside office hours
    await signInAgain();
    const word = `sortcheck${Date.now()}`;
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * MIN);
      made.push((await openPortalTicket(t, { subject: `${word} number ${i}` })).id);
    }
    // Two stop running: one waits on the customer, one is resolved.
    await agent.patch(`/api/tickets/${made[1]}`, { status: "pending_customer" }).expect(200);
    await agent.patch(`/api/tickets/${made[4]}`, { status: "resolved" }).expect(200);
    const withoutClock = [made[1], made[4]].sort();
    const expected = [made[0], made[2], made[3], made[5], ...withoutClock];

    const seen: TicketDto[] = [];
    let cursor: string | null = null;
    do {
      const query: string =
        `/api/tickets?q=${word}&sort=sla_asc&limit=2` + (cursor ? `&cursor=${cursor}` : "");
      const res = await agent.get(query).expect(200);
      seen.push(...(res.body.items as TicketDto[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(seen.map((item) => item.id)).to.deep.equal(expected);
    const dues = seen.slice(0, 4).map((item) => Date.parse(item.slaDueAt!));
    expect(dues).to.deep.equal([...dues].sort((a, b) => a - b));

    const other = await agent.get(`/api/tickets?q=${word}&sort=updated_desc&limit=2`).expect(200);
    const mixed = await agent.get(
      `/api/tickets?q=${word}&sort=sla_asc&cursor=${other.body.nextCursor as string}`,
    );
    expect(mixed.status).to.equal(400);
    const paused = (await agent.get(`/api/tickets?q=${word}&sla=paused`).expect(200)).body
      .items as TicketDto[];
    expect(paused.map((item) => item.id)).to.deep.equal([made[1]]);
    const atRisk = (await agent.get(`/api/tickets?q=${word}&sla=at_risk`).expect(200)).body
      .items as TicketDto[];
    // Due within the hour: each first response, 60 business minutes after opening.
    expect(atRisk.map((item) => item.id).sort()).to.deep.equal(
      [made[0], made[2], made[3], made[5]].sort(),
    );
    for (const bad of ["sla=late", "sla=breached%27%20OR%201%3D1--", "sort=sla_desc"]) {
      const res = await agent.get(`/api/tickets?${bad}`);
      expect(res.status, bad).to.equal(400);
    }
  });

  describe("policies (admins)", () => {
    it("refuses agents (403) and invalid policies (400, naming each field)", async () => {
      await signInAgain();
      const body = {
        name: "Network issues",
        priority: "normal",
        category: "network",
        firstResponseMinutes: 30,
        resolutionMinutes: 240,
        businessHours: WEEKDAYS_9_TO_5("UTC"),
      };
      const forbidden = await agent.post("/api/sla/policies", body);
      expect(forbidden.status).to.equal(403);
      const invalid = await admin.post("/api/sla/policies", {
        ...body,
        firstResponseMinutes: 0,
        businessHours: {
          timeZone: "Mars/Olympus",
          week: [{ start: "17:00", end: "09:00" }, null, null, null, null, null, null],
        },
        pauseStatuses: ["resolved"],
        isDefault: true,
      });
      expect(invalid.status).to.equal(400);
      const paths = (invalid.body.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).to.include.members([
        "firstResponseMinutes",
        "businessHours.timeZone",
        "businessHours.week.0.end",
        "pauseStatuses.0",
      ]);
      const noTarget = await admin.post("/api/sla/policies", {
        ...body,
        firstResponseMinutes: null,
        resolutionMinutes: null,
      });
      expect(noTarget.status).to.equal(400);
      const duplicate = await admin.post("/api/sla/policies", { ...body, category: null });
      expect(duplicate.status).to.equal(409);
    });

    it("applies a category's own policy before the priority's, and falls back when it goes", async () => {
      await signInAgain();
      const ticket = await openPortalTicket(t, { category: "network" });
      expect((await slaOf(ticket.id)).policy.name).to.equal("Normal");
      const created = await admin
        .post("/api/sla/policies", {
          name: "Network, normal",
          priority: "normal",
          category: "network",
          firstResponseMinutes: 15,
          resolutionMinutes: null,
          businessHours: WEEKDAYS_9_TO_5("UTC"),
        })
        .expect(201);
      const own = created.body.policy as SlaPolicyDto;
      expect(own.pauseStatuses).to.deep.equal(["pending_customer", "pending_distributor"]);
      let sla = await slaOf(ticket.id);
      expect(sla.policy.name).to.equal("Network, normal");
      expect(sla.resolution).to.equal(null);
      expect(sla.firstResponse!.targetMinutes).to.equal(15);
      const other = await openPortalTicket(t, { category: "billing" });
      expect((await slaOf(other.id)).policy.name).to.equal("Normal");

      const removed = await admin.http
        .delete(`/api/sla/policies/${own.id}`)
        .set("X-CSRF-Token", admin.csrf);
      expect(removed.status).to.equal(204);
      sla = await slaOf(ticket.id);
      expect(sla.policy.name).to.equal("Normal");
      const gone = await admin.http
        .delete(`/api/sla/policies/${own.id}`)
        .set("X-CSRF-Token", admin.csrf);
      expect(gone.status).to.equal(404);
    });
  });
});
