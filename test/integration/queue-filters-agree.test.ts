import { expect } from "chai";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { listTicketIds } from "../../server/src/modules/tickets/ticket-list.repository";
import { matchesQueueFilters } from "../../shared/domain/queue";
import type { QueueFilter } from "../../shared/domain/queue";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { openPortalTicket, setWarranty } from "../support/tickets";
import { SEEDED_VARIANTS, TACS, csvOf, uploadCsv } from "../support/catalog-fixtures";
import { buildImei } from "../support/factories";
import type { OpenedTicket } from "../support/tickets";

const MIN = 60_000;
/** The import batch the MI 4W unit came in. */
const BATCH = "HK-QF-0316";
// Monday 4 March 2024, 9:00 in New York, where the default policies' business hours are.
const START = Date.parse("2024-03-04T14:00:00.000Z");

/** `?a=1&b=x,y` from the filters that are set (lists comma-separated, as the console sends). */
function queryString(params: Record<string, string | number | readonly string[] | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    search.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return `?${search.toString()}`;
}

const ANY: QueueFilter = {
  status: [],
  priority: [],
  category: [],
  assignee: "",
  warrantySource: "",
  q: "",
  sla: "",
  atDistributorDays: null,
  rmaState: [],
  verdict: [],
  flag: [],
};

/**
 * The console keeps its queue live by testing tickets from the socket against the filters
 * (shared/domain/queue.ts); the server lists them with SQL. Both run here on the same tickets,
 * for each filter, and must agree wherever the predicate answers yes or no.
 */
describe("the queue's filters: the shared predicate agrees with the server's listing", () => {
  let t: TestServer;
  let clock: MutableClock;
  let agent: SignedIn;
  let other: SignedIn;
  const opened: OpenedTicket[] = [];

  before(async () => {
    clock = mutableClock(new Date(START));
    t = await startTestServer({}, { clock });
    agent = await signedInAs(t, "agent", "Quinn Queue");
    other = await signedInAs(t, "agent", "Otto Other");
    const today = clock.today();
    const plan: {
      subject: string;
      category: string;
      change?: object;
      warranty?: "covered" | "none";
      rma?: string;
      minutesLater: number;
    }[] = [
      { subject: "No signal at home", category: "network", minutesLater: 0 },
      {
        subject: "Camera blurry",
        category: "hardware_defect",
        change: { priority: "urgent" },
        minutesLater: 5,
      },
      {
        subject: "VoLTE missing",
        category: "volte_wifi_calling",
        change: { status: "pending_customer" },
        warranty: "covered",
        minutesLater: 30,
      },
      {
        subject: "Battery drains",
        category: "other",
        change: { priority: "high", assigneeId: "agent" },
        warranty: "covered",
        rma: "warranty_repair",
        minutesLater: 50,
      },
      {
        subject: "Screen cracked",
        category: "hardware_defect",
        change: { priority: "low", assigneeId: "other", status: "open" },
        warranty: "none",
        rma: "paid_repair",
        minutesLater: 70,
      },
      {
        subject: "Play Store missing",
        category: "google_services_rom",
        change: { status: "resolved" },
        minutesLater: 100,
      },
    ];
    const ids = { agent: agent.agent.id, other: other.agent.id };
    for (const step of plan) {
      clock.advance(START + step.minutesLater * MIN - clock.now().getTime());
      const ticket = await openPortalTicket(t, { subject: step.subject, category: step.category });
      opened.push(ticket);
      if (step.warranty !== undefined) {
        await setWarranty(agent, ticket.handsetId, step.warranty, today);
      }
      if (step.change !== undefined) {
        const change: Record<string, unknown> = { ...step.change };
        if (change.assigneeId === "agent" || change.assigneeId === "other") {
          change.assigneeId = ids[change.assigneeId];
        }
        await agent.patch(`/api/tickets/${ticket.id}`, change).expect(200);
      }
      if (step.rma !== undefined) {
        await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: step.rma }).expect(201);
      }
    }
    // Tickets whose handsets say more: a MI 4W unit of an import batch (variant known, so a
    // verdict at opening), a Meizu m2 note (variant known, bands not: an "unknown" verdict), and
    // a test-range IMEI (flagged, no model).
    const admin = await signedInAs(t, "admin", "Ada Admin");
    const batch = await admin
      .post("/api/batches", { reference: BATCH, variantId: SEEDED_VARIANTS.mi4w, quantity: 10 })
      .expect(201);
    const batchImei = buildImei(TACS.mi4w);
    await uploadCsv(admin, batch.body.batch.id as string, csvOf(["imei1"], [[batchImei]])).expect(
      201,
    );
    for (const extra of [
      { subject: "Calls drop in the evening", category: "network", imei: batchImei },
      { subject: "Cannot send MMS", category: "sms_mms_data", imei: buildImei(TACS.m2note) },
      { subject: "Phone says emergency only", category: "no_service", imei: buildImei("02112233") },
    ]) {
      clock.advance(MIN);
      opened.push(await openPortalTicket(t, extra));
    }
    // Four hours in: the urgent ticket's first response (an hour) is overdue, the high one's
    // (four hours, from 9:50) is due within the hour.
    clock.advance(START + 240 * MIN - clock.now().getTime());
  });
  after(async () => {
    await t.stop();
  });

  async function listed(filters: QueueFilter): Promise<string[]> {
    const query = queryString({
      status: filters.status,
      priority: filters.priority,
      category: filters.category,
      assignee: filters.assignee,
      warrantySource: filters.warrantySource,
      q: filters.q,
      sla: filters.sla,
      atDistributorDays: filters.atDistributorDays,
      rmaState: filters.rmaState,
      verdict: filters.verdict,
      flag: filters.flag,
      limit: 100,
    });
    const res = await agent.get(`/api/tickets${query}`).expect(200);
    return (res.body.items as TicketDto[]).map((ticket) => ticket.id).sort();
  }

  const cases: [string, Partial<QueueFilter>][] = [
    ["status", { status: ["new"] }],
    ["several statuses", { status: ["pending_customer", "resolved"] }],
    ["priority", { priority: ["urgent", "high"] }],
    ["category", { category: ["hardware_defect"] }],
    ["assignee me", { assignee: "me" }],
    ["assignee none", { assignee: "none" }],
    ["warranty source carrier", { warrantySource: "carrier" }],
    ["warranty source none", { warrantySource: "none" }],
    ["sla breached", { sla: "breached" }],
    ["sla at risk", { sla: "at_risk" }],
    ["sla paused", { sla: "paused" }],
    ["rma state", { rmaState: ["requested"] }],
    ["a word", { q: "camera" }],
    ["verdict unknown (or none kept)", { verdict: ["unknown"] }],
    ["verdict known levels", { verdict: ["full", "partial", "legacy_only", "none"] }],
    ["a flag", { flag: ["variant_unknown"] }],
    ["several flags", { flag: ["test_range_imei", "tac_unknown"] }],
    ["a handset model", { q: "Redmi" }],
    ["a batch reference", { q: BATCH }],
    ["a flag searched by name", { q: "test range imei" }],
    ["verdict and flag", { verdict: ["unknown"], flag: ["variant_unknown"], status: ["new"] }],
    ["a customer's name part", { q: "zzz-nobody" }],
    ["combined", { category: ["hardware_defect"], priority: ["low"], assignee: "none" }],
  ];

  for (const [name, partial] of cases) {
    it(`agrees on ${name}`, async () => {
      const filters = { ...ANY, ...partial };
      const all = (await agent.get("/api/tickets?limit=100").expect(200)).body.items as TicketDto[];
      expect(all).to.have.length(opened.length);
      const server = await listed(filters);
      const now = clock.now().getTime();
      for (const ticket of all) {
        const verdict = matchesQueueFilters(ticket, filters, agent.agent.id, now);
        if (verdict === "unknown") {
          continue;
        }
        expect(server.includes(ticket.id), `${ticket.subject}: predicate says ${verdict}`).to.equal(
          verdict,
        );
      }
    });
  }

  it("is not vacuous: the filters above select some tickets and leave out others", async () => {
    for (const partial of [
      { status: ["new"] },
      { sla: "breached" },
      { sla: "at_risk" },
      { sla: "paused" },
      { rmaState: ["requested"] },
      { assignee: "me" },
      { verdict: ["unknown"] },
      { flag: ["variant_unknown"] },
      { flag: ["test_range_imei"] },
      { q: "Redmi" },
    ] as Partial<QueueFilter>[]) {
      const ids = await listed({ ...ANY, ...partial });
      expect(ids.length, JSON.stringify(partial)).to.be.within(1, opened.length - 1);
    }
  });

  it("finds tickets by the handset's model, variant, batch reference and flag", async () => {
    const subjects = async (partial: Partial<QueueFilter>) => {
      const all = (await agent.get("/api/tickets?limit=100").expect(200)).body.items as TicketDto[];
      const ids = await listed({ ...ANY, ...partial });
      return all
        .filter((ticket) => ids.includes(ticket.id))
        .map((ticket) => ticket.subject)
        .sort();
    };
    const redmi = [
      "Battery drains",
      "Camera blurry",
      "No signal at home",
      "Play Store missing",
      "Screen cracked",
      "VoLTE missing",
    ];
    expect(await subjects({ q: "Redmi" })).to.deep.equal(redmi);
    expect(await subjects({ q: "redmi note" })).to.deep.equal(redmi);
    // The catalogue's model, by brand and name, and the batch's reference, in part or whole.
    expect(await subjects({ q: "Meizu m2" })).to.deep.equal(["Cannot send MMS"]);
    expect(await subjects({ q: BATCH })).to.deep.equal(["Calls drop in the evening"]);
    expect(await subjects({ q: "qf-0316" })).to.deep.equal(["Calls drop in the evening"]);
    // The variant's name (the MI 4W's only variant is "3G (MI 4W)").
    expect(await subjects({ q: "3G (MI 4W)" })).to.deep.equal(["Calls drop in the evening"]);
    expect(await subjects({ q: "tac_unknown" })).to.deep.equal(["Phone says emergency only"]);
    expect(await subjects({ q: "Nokia" })).to.deep.equal([]);
    // The verdict kept at opening: only the two whose variant was known have one.
    const known = await subjects({ verdict: ["full", "partial", "legacy_only", "none"] });
    const unknown = await subjects({ verdict: ["unknown"] });
    expect(known).to.deep.equal(["Calls drop in the evening"]);
    expect([...known, ...unknown].sort()).to.have.length(opened.length);
    expect(unknown).to.include.members([...redmi, "Cannot send MMS", "Phone says emergency only"]);
  });

  it("finds the same by handset and flag whether it tests rows one by one or lists matches", async () => {
    const pages = async (q: string, budget: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await listTicketIds(
          t.server.db.dataSource.manager,
          { q, sort: "updated_desc", limit: 2, cursor },
          agent.agent.id,
          (d) => t.server.db.dateParam(d),
          clock.now(),
          budget,
        );
        seen.push(...result.ids);
        if (result.nextCursor === null) {
          return seen;
        }
        cursor = result.nextCursor;
      }
      throw new Error("more pages than tickets");
    };
    for (const q of ["Redmi", BATCH, "Meizu m2", "3G (MI 4W)", "variant unknown"]) {
      const expected = await pages(q, 1000);
      expect(expected, q).to.not.be.empty;
      for (const budget of [1, 2, 3]) {
        expect(await pages(q, budget), `${q} ${budget}`).to.deep.equal(expected);
      }
    }
  });

  it("keeps the verdict and flag filters in a saved view", async () => {
    const filters = { verdict: ["unknown", "none"], flag: ["imei_reported_stolen"] };
    const res = await agent.post("/api/views", { name: "Stolen, no service", filters }).expect(201);
    expect(res.body.view.filters).to.deep.include(filters);
    const bad = await agent
      .post("/api/views", { name: "Bad", filters: { verdict: ["excellent"] } })
      .expect(400);
    expect(JSON.stringify(bad.body.error.details)).to.include("verdict");
  });
});
