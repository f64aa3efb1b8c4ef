import { expect } from "chai";
import type { TicketDto } from "../../shared/contracts/http/tickets";
import { matchesQueueFilters } from "../../shared/domain/queue";
import type { QueueFilter } from "../../shared/domain/queue";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { openPortalTicket, setWarranty } from "../support/tickets";
import type { OpenedTicket } from "../support/tickets";

const MIN = 60_000;
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
    ] as Partial<QueueFilter>[]) {
      const ids = await listed({ ...ANY, ...partial });
      expect(ids.length, JSON.stringify(partial)).to.be.within(1, opened.length - 1);
    }
  });
});
