import { expect } from "chai";
import request from "supertest";
import type { BatchHealthDto } from "../../shared/contracts/http/batches";
import { luhnCheckDigit } from "../../shared/domain/imei";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import {
  SEEDED_VARIANTS,
  TACS,
  csvOf,
  openPortalTicket,
  uploadCsv,
} from "../support/catalog-fixtures";
import type { OpenedTicket } from "../support/catalog-fixtures";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";
import { testDatabaseKind } from "../support/databases";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function imeiAt(tac: string, n: number): string {
  const first14 = `${tac}${String(n).padStart(6, "0")}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

describe(`batch quality: the defect rate (${testDatabaseKind()})`, () => {
  let t: TestServer;
  let clock: MutableClock;
  let adminPerson: TestAgent;
  let agentPerson: TestAgent;
  let admin: SignedIn;
  let agent: SignedIn;

  before(async () => {
    clock = mutableClock(new Date("2026-01-15T10:00:00.000Z"));
    t = await startTestServer({}, { clock });
    adminPerson = await buildAgent(t, "admin", "Ada Admin");
    agentPerson = await buildAgent(t, "agent", "Riley Returns");
    await signInBoth();
  });
  after(async () => {
    await t.stop();
  });

  /** Sessions live 12 hours of the clock: a month later everyone signs in again. */
  async function signInBoth() {
    admin = await signIn(t, adminPerson);
    agent = await signIn(t, agentPerson);
  }

  async function distributor(name: string): Promise<string> {
    const res = await admin.post("/api/distributors", { name }).expect(201);
    return res.body.distributor.id as string;
  }

  /** A batch of `n` MI 4W units with 12 months of warranty and a 30-day DOA window. */
  async function batchOf(reference: string, distributorId: string | null, n: number, from: number) {
    const res = await admin
      .post("/api/batches", {
        reference,
        distributorId,
        variantId: SEEDED_VARIANTS.mi4w,
        warrantyMonths: 12,
        doaDays: 30,
        warrantyStartRule: "import_date",
      })
      .expect(201);
    const id = res.body.batch.id as string;
    const imeis = Array.from({ length: n }, (_, i) => imeiAt(TACS.mi4w, from + i));
    await uploadCsv(
      admin,
      id,
      csvOf(
        ["imei"],
        imeis.map((imei) => [imei]),
      ),
    ).expect(201);
    return { id, imeis };
  }

  async function rmaOn(ticket: OpenedTicket, type: string): Promise<string> {
    const res = await agent.post(`/api/tickets/${ticket.id}/rmas`, { type });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.rma.id as string;
  }

  async function walk(rmaId: string, steps: Record<string, unknown>[]) {
    for (const step of steps) {
      clock.advance(MINUTE);
      const res = await agent.post(`/api/rmas/${rmaId}/transitions`, step);
      expect(res.status, `${String(step.to)}: ${JSON.stringify(res.body)}`).to.equal(200);
    }
  }

  const toCoveredDefect = [
    { to: "approved" },
    { to: "awaiting_device" },
    { to: "received" },
    { to: "diagnosed", diagnosis: "The modem does not register" },
    { to: "covered_defect" },
  ];

  it("counts DOA and covered-defect units per 100 units, by batch and by distributor, by month", async () => {
    const kowloon = await distributor("Kowloon Mobile Trading");
    const shenzhen = await distributor("Shenzhen Phones");
    const a = await batchOf("Q-A", kowloon, 10, 1000);
    const b = await batchOf("Q-B", kowloon, 10, 2000);
    const c = await batchOf("Q-C", shenzhen, 20, 3000);
    const n = await batchOf("Q-N", null, 5, 4000);

    // January: two units of A arrive dead; one of them twice (a second ticket, a second DOA).
    const a1 = await openPortalTicket(t, { imei: a.imeis[0], category: "doa" });
    await rmaOn(a1, "doa_advance_replacement");
    const a1again = await openPortalTicket(t, { imei: a.imeis[0], email: a1.email });
    await rmaOn(a1again, "doa_advance_replacement");
    await rmaOn(
      await openPortalTicket(t, { imei: a.imeis[1], category: "doa" }),
      "doa_advance_replacement",
    );
    // A DOA on a unit outside any batch counts nowhere.
    const loose = await openPortalTicket(t, { imei: imeiAt(TACS.mi4w, 9000), category: "doa" });
    await agent
      .patch(`/api/handsets/${loose.handsetId}`, {
        warrantySource: "carrier",
        warrantyStart: "2026-01-10",
        doaDeadline: "2026-01-30",
        warrantyEnd: "2027-01-09",
      })
      .expect(200);
    await rmaOn(loose, "doa_advance_replacement");

    // March, past the DOA window: covered defects on A (one the unit that was DOA) and on C; a
    // repair of C only diagnosed so far does not count.
    clock.advance(54 * DAY);
    await signInBoth();
    for (const imei of [a.imeis[2], a.imeis[0], c.imeis[0]]) {
      const ticket = await openPortalTicket(t, { imei, category: "hardware_defect" });
      await walk(await rmaOn(ticket, "warranty_repair"), toCoveredDefect);
    }
    const diagnosedOnly = await openPortalTicket(t, {
      imei: c.imeis[1],
      category: "hardware_defect",
    });
    await walk(await rmaOn(diagnosedOnly, "warranty_repair"), toCoveredDefect.slice(0, 4));

    await request(t.url).get("/api/batches/health").expect(401);
    const res = await agent.get("/api/batches/health").query({ months: 3 }).expect(200);
    const report = res.body as BatchHealthDto;
    expect(report.months).to.deep.equal(["2026-01", "2026-02", "2026-03"]);
    const figures = (row: BatchHealthDto["overall"]) => ({
      units: row.units,
      doa: row.doa,
      coveredDefect: row.coveredDefect,
      defective: row.defective,
      doaPer100: row.doaPer100,
      coveredDefectPer100: row.coveredDefectPer100,
      defectivePer100: row.defectivePer100,
    });
    const batch = (id: string) => report.batches.find((row) => row.id === id)!;
    expect(report.batches.map((row) => row.reference)).to.deep.equal(["Q-A", "Q-C", "Q-B", "Q-N"]);
    expect(figures(batch(a.id))).to.deep.equal({
      units: 10,
      doa: 2,
      coveredDefect: 2,
      defective: 3,
      doaPer100: 20,
      coveredDefectPer100: 20,
      defectivePer100: 30,
    });
    expect(batch(a.id).trend).to.deep.equal([
      { month: "2026-01", doa: 2, coveredDefect: 0, doaPer100: 20, coveredDefectPer100: 0 },
      { month: "2026-02", doa: 0, coveredDefect: 0, doaPer100: 0, coveredDefectPer100: 0 },
      { month: "2026-03", doa: 0, coveredDefect: 2, doaPer100: 0, coveredDefectPer100: 20 },
    ]);
    expect(batch(a.id).distributor).to.deep.equal({ id: kowloon, name: "Kowloon Mobile Trading" });
    expect(figures(batch(c.id))).to.deep.include({
      units: 20,
      doa: 0,
      coveredDefect: 1,
      coveredDefectPer100: 5,
    });
    expect(figures(batch(b.id))).to.deep.include({ units: 10, defective: 0, defectivePer100: 0 });
    expect(figures(batch(n.id))).to.deep.include({ units: 5, defective: 0 });

    expect(
      report.distributors.map((row) => ({
        id: row.id,
        name: row.name,
        batches: row.batches,
        ...figures(row),
      })),
    ).to.deep.equal([
      {
        id: kowloon,
        name: "Kowloon Mobile Trading",
        batches: 2,
        units: 20,
        doa: 2,
        coveredDefect: 2,
        defective: 3,
        doaPer100: 10,
        coveredDefectPer100: 10,
        defectivePer100: 15,
      },
      {
        id: shenzhen,
        name: "Shenzhen Phones",
        batches: 1,
        units: 20,
        doa: 0,
        coveredDefect: 1,
        defective: 1,
        doaPer100: 0,
        coveredDefectPer100: 5,
        defectivePer100: 5,
      },
      {
        id: null,
        name: "No distributor",
        batches: 1,
        units: 5,
        doa: 0,
        coveredDefect: 0,
        defective: 0,
        doaPer100: 0,
        coveredDefectPer100: 0,
        defectivePer100: 0,
      },
    ]);
    expect(figures(report.overall)).to.deep.equal({
      units: 45,
      doa: 2,
      coveredDefect: 3,
      defective: 4,
      doaPer100: 4.44,
      coveredDefectPer100: 6.67,
      defectivePer100: 8.89,
    });
    expect(report.overall.trend.map((p) => [p.month, p.doa, p.coveredDefect])).to.deep.equal([
      ["2026-01", 2, 0],
      ["2026-02", 0, 0],
      ["2026-03", 0, 3],
    ]);

    // Since February: January's DOAs drop out; the default trend is 12 months.
    const later = (
      await agent.get("/api/batches/health").query({ since: "2026-02-01" }).expect(200)
    ).body as BatchHealthDto;
    expect(later.since).to.equal("2026-02-01");
    expect(later.months).to.have.length(12);
    expect(later.months.at(-1)).to.equal("2026-03");
    expect(figures(later.overall)).to.deep.include({ doa: 0, coveredDefect: 3, defective: 3 });

    for (const query of [{ months: "0" }, { months: "37" }, { months: "x" }, { since: "March" }]) {
      const bad = await agent.get("/api/batches/health").query(query).expect(400);
      expect(bad.body.error.code).to.equal("validation_failed");
    }
  });
});
