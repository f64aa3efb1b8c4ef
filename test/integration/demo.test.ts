import { expect } from "chai";
import request from "supertest";
import { secondImeiWriter } from "../../server/src/cli/demo/identifiers";
import { DEMO_ADMIN, DEMO_AGENTS, DEMO_PASSWORD } from "../../server/src/cli/demo/people";
import { FULL_SIZE, buildPlan } from "../../server/src/cli/demo/plan";
import { DEMO_SEED, demoStart, manualClock, seedDemo } from "../../server/src/cli/demo/seed";
import type { SeedResult } from "../../server/src/cli/demo/seed";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { HandsetIdentifier } from "../../server/src/modules/handsets/handset-identifier.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { CATEGORIES, TICKET_STATUSES } from "../../shared/domain/enums";
import { parseImei } from "../../shared/domain/imei";
import { testDatabaseKind } from "../support/databases";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

/** A smaller demo than `npm run demo`'s, with the same guarantees. */
const SIZE = { tickets: 36, customers: 28 };

describe(`npm run demo: the seeding (${testDatabaseKind()})`, function () {
  this.timeout(60_000);
  let t: TestServer;
  let result: SeedResult;
  let admin: ReturnType<typeof request.agent>;
  let csrf: string;
  const em = () => t.server.db.dataSource.manager;

  before(async () => {
    const clock = manualClock(demoStart());
    t = await startTestServer(
      { bootstrapAdmin: { email: DEMO_ADMIN.email, password: DEMO_PASSWORD } },
      { clock },
    );
    result = await seedDemo({
      url: t.url,
      clock,
      size: SIZE,
      recordSecondImei: secondImeiWriter(t.server.db, clock),
    });
    admin = request.agent(t.url);
    const pre = await admin.get("/api/auth/csrf").expect(200);
    const login = await admin
      .post("/api/auth/login")
      .set("X-CSRF-Token", pre.body.token as string)
      .send({ email: DEMO_ADMIN.email, password: DEMO_PASSWORD })
      .expect(200);
    csrf = login.body.csrfToken as string;
  });
  after(async () => {
    await t?.stop();
  });

  async function allTickets(): Promise<TicketDto[]> {
    const items: TicketDto[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await admin
        .get("/api/tickets")
        .query({ limit: 100, ...(cursor === null ? {} : { cursor }) })
        .expect(200);
      items.push(...(res.body.items as TicketDto[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null);
    return items;
  }

  it("creates the demo admin and three agents, who can sign in with the demo password", async () => {
    const res = await admin.get("/api/agents").expect(200);
    const agents = res.body.items as { email: string; name: string; role: string }[];
    expect(agents.map((a) => a.email).sort()).to.deep.equal(
      [DEMO_ADMIN.email, ...DEMO_AGENTS.map((a) => a.email)].sort(),
    );
    expect(agents.find((a) => a.email === DEMO_ADMIN.email)).to.include({
      name: DEMO_ADMIN.name,
      role: "admin",
    });
    expect(agents.filter((a) => a.role === "agent")).to.have.length(3);
    const agent = request.agent(t.url);
    const pre = await agent.get("/api/auth/csrf").expect(200);
    await agent
      .post("/api/auth/login")
      .set("X-CSRF-Token", pre.body.token as string)
      .send({ email: DEMO_AGENTS[0].email, password: DEMO_PASSWORD })
      .expect(200);
    // A working session: the seeding's own sessions were all signed out at the end.
    await agent.get("/api/auth/me").expect(200);
    expect(csrf).to.be.a("string");
  });

  it("opens the tickets of the plan, in every status and every category", async () => {
    const tickets = await allTickets();
    expect(tickets).to.have.length(SIZE.tickets);
    expect(result.counts.tickets).to.equal(SIZE.tickets);
    expect(new Set(tickets.map((t) => t.status))).to.have.keys([...TICKET_STATUSES]);
    expect(new Set(tickets.map((t) => t.category))).to.have.keys([...CATEGORIES]);
    expect(new Set(tickets.map((t) => t.customer.id)).size).to.equal(SIZE.customers);
    // Some tickets wait for someone to take them; most have an owner.
    const unassigned = tickets.filter((t) => t.assignee === null).length;
    expect(unassigned)
      .to.be.greaterThan(0)
      .and.lessThan(SIZE.tickets / 2);
    expect(new Set(tickets.map((t) => t.priority)).size).to.be.greaterThan(2);
    // What the seeding tracked matches the desk.
    for (const seeded of result.tickets) {
      const listed = tickets.find((t) => t.number === seeded.number);
      expect(listed, seeded.number).to.not.equal(undefined);
      expect(listed!.status, seeded.number).to.equal(seeded.status);
    }
  });

  it("flags a shared IMEI, a test-range IMEI and a brand mismatch", async () => {
    const flags = (await allTickets()).flatMap((t) => t.flags);
    expect(flags).to.include.members([
      "identifier_on_other_customer",
      "test_range_imei",
      "tac_brand_mismatch",
    ]);
  });

  it("records handsets with both warranty sources, carrier dates and some voided", async () => {
    const handsets = await em().getRepository(Handset).find();
    expect(handsets.length).to.be.greaterThan(SIZE.customers / 2);
    const sources = new Set(handsets.map((h) => h.warrantySource));
    expect(sources).to.have.keys(["carrier", "none"]);
    const voided = new Set(handsets.map((h) => h.voidReason).filter((r) => r !== null));
    expect([...voided]).to.include.members([
      "liquid_damage",
      "physical_damage",
      "unofficial_rom",
      "bootloader_unlocked",
    ]);
    for (const h of handsets.filter((h) => h.warrantySource === "carrier" && h.warrantyStart)) {
      expect(h.warrantyStart).to.equal(h.purchaseDate);
      const [y, m, d] = h.warrantyStart!.split("-").map(Number);
      expect(h.warrantyEnd!.slice(0, 4)).to.equal(String(y + 1));
      expect(Number(h.warrantyEnd!.slice(5, 7))).to.equal(m);
      expect(h.doaDeadline).to.equal(
        new Date(Date.UTC(y, m - 1, d + 14)).toISOString().slice(0, 10),
      );
    }
    // Every IMEI is a valid one, on a TAC of the catalogue or in a test range.
    const identifiers = await em().getRepository(HandsetIdentifier).find();
    for (const identifier of identifiers) {
      const imei = parseImei(identifier.value);
      expect(imei.valid, identifier.value).to.equal(true);
    }
    // The second IMEI of a dual-SIM phone is on the same handset, slot 2.
    for (const second of identifiers.filter((i) => i.slot === 2)) {
      expect(identifiers.some((i) => i.handsetId === second.handsetId && i.slot === 1)).to.equal(
        true,
      );
    }
  });

  it("knows the variant of every handset an agent has looked at, so its ticket has a verdict", async () => {
    const tickets = await allTickets();
    const handsets = await em().getRepository(Handset).find();
    const looked = new Set(
      tickets.filter((ticket) => ticket.status !== "new").map((ticket) => ticket.handset?.id),
    );
    const unknown = handsets.filter((h) => h.variantId === null && looked.has(h.id));
    expect(unknown.map((h) => `${h.brand} ${h.model}`)).to.deep.equal([]);
    // The console shows each one's verdict on the desk's carrier today.
    const picked = tickets.find((ticket) => ticket.status !== "new" && ticket.handset !== null)!;
    const network = await admin.get(`/api/tickets/${picked.id}/network`).expect(200);
    expect(network.body.now, picked.number).to.not.equal(null);
    expect(network.body.now.level).to.be.oneOf(["full", "partial", "legacy_only", "none"]);
  });

  it("writes conversations with replies from both sides and internal notes", async () => {
    const events = await em().getRepository(TicketEvent).find();
    const notes = events.filter((e) => e.type === "note");
    expect(notes.length).to.be.greaterThan(5);
    expect(notes.every((n) => n.public === false && n.actorType === "agent")).to.equal(true);
    const messages = events.filter((e) => e.type === "message");
    expect(messages.some((m) => m.actorType === "customer")).to.equal(true);
    expect(messages.some((m) => m.actorType === "agent")).to.equal(true);
    // No template placeholder is left unfilled.
    for (const event of events.filter((e) => e.body !== null)) {
      expect(event.body, event.body!).to.not.match(/\{[a-zA-Z]+\}/);
    }
    // The history spreads over weeks, not over the seconds the seeding took.
    const times = events.map((e) => e.createdAt.getTime());
    expect(Math.max(...times) - Math.min(...times)).to.be.greaterThan(30 * 24 * 3600_000);
    expect(Math.max(...times)).to.be.lessThan(Date.now());
  });

  it("shows customers their conversation but never a note, on the agent side marked internal", async () => {
    const withNotes = result.tickets.filter((t) => t.notes > 0);
    expect(withNotes.length).to.be.greaterThan(3);
    for (const seeded of withNotes) {
      const [listed] = (await admin.get("/api/tickets").query({ q: seeded.number }).expect(200))
        .body.items;
      const detail = (await admin.get(`/api/tickets/${listed.id}`).expect(200)).body;
      const notes = (detail.events as { type: string; public: boolean; body: string }[]).filter(
        (e) => e.type === "note",
      );
      expect(notes).to.have.length(seeded.notes);
      expect(notes.every((n) => n.public === false)).to.equal(true);

      const view = (await request(t.url).get(`/api/portal/tickets/${seeded.token}`).expect(200))
        .body;
      const bodies = (view.messages as { body: string }[]).map((m) => m.body);
      expect(bodies).to.have.length(seeded.messages + 1);
      for (const note of notes) {
        expect(bodies).to.not.include(note.body);
        expect(JSON.stringify(view)).to.not.include(note.body);
      }
    }
  });

  it("uses only reserved example addresses and varied names", async () => {
    const tickets = await allTickets();
    const emails = new Set(tickets.map((t) => t.customer.email));
    for (const email of emails) {
      expect(email).to.match(/@example\.(com|net)$/);
    }
    const names = new Set(tickets.map((t) => t.customer.name));
    expect(names.size).to.equal(emails.size);
  });

  it("plans the same demo from the same seed", () => {
    const start = demoStart().getTime();
    const end = Date.now();
    const a = buildPlan(SIZE, 7, start, end);
    const b = buildPlan(SIZE, 7, start, end);
    const c = buildPlan(SIZE, 8, start, end);
    const summary = (plan: typeof a) =>
      plan.tickets.map((t) => [t.subject, t.status, t.customer?.email, t.handset?.imei]);
    expect(summary(a)).to.deep.equal(summary(b));
    expect(summary(a)).to.not.deep.equal(summary(c));
  });

  it("plans a consistent demo from any seed: ordered actions, all before the end", () => {
    const start = demoStart().getTime();
    const end = Date.now();
    for (let seed = 1; seed <= 30; seed++) {
      for (const size of [SIZE, FULL_SIZE]) {
        const plan = buildPlan(size, seed, start, end);
        expect(plan.tickets).to.have.length(size.tickets);
        for (const ticket of plan.tickets) {
          expect(ticket.customer, `seed ${seed}`).to.not.equal(null);
          expect(ticket.handset?.purchaseDate, `seed ${seed}`).to.be.a("string");
          const times = ticket.actions.map((a) => a.at);
          expect(times, `seed ${seed}`).to.deep.equal([...times].sort((a, b) => a - b));
          expect(times[0]).to.be.at.least(start);
          expect(times[times.length - 1]).to.be.at.most(end);
        }
      }
    }
  });

  it("names a hundred customers at the full size, some in Arabic and Chinese script", () => {
    const plan = buildPlan(FULL_SIZE, DEMO_SEED, demoStart().getTime(), Date.now());
    expect(plan.tickets).to.have.length(150);
    expect(plan.customers).to.have.length(100);
    expect(new Set(plan.customers.map((c) => c.email)).size).to.equal(100);
    const names = plan.customers.map((c) => c.name);
    expect(names.some((n) => /[\u0600-\u06ff]/.test(n))).to.equal(true);
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).to.equal(true);
    expect(names.some((n) => /[À-ž]/.test(n))).to.equal(true);
    // Conversations of one to six messages, the opening one included.
    for (const ticket of plan.tickets) {
      const said = ticket.actions.filter((a) => ["open", "customer", "reply"].includes(a.kind));
      expect(said.length, ticket.subject).to.be.within(1, 6);
    }
  });
});
