import { expect } from "chai";
import request from "supertest";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import { openPortalTicket } from "../support/catalog-fixtures";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("GET /api/devices/lookup", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  it("validates a typed IMEI and names the model from its TAC", async () => {
    const res = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "86927 102 0000011" })
      .expect(200);
    expect(res.body).to.include({
      valid: true,
      imei: "869271020000011",
      tac: "86927102",
      brand: "Xiaomi",
      model: "Redmi Note 3",
      testRange: false,
    });
    expect(res.body.warnings).to.deep.equal([]);
  });

  it("says which check failed, and still names the model behind the TAC", async () => {
    const res = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "869271020000012" })
      .expect(200);
    expect(res.body).to.include({
      valid: false,
      reason: "bad_check_digit",
      brand: "Xiaomi",
      imei: null,
    });
    expect(res.body.message).to.be.a("string").and.not.empty;
  });

  it("warns about a test-range IMEI", async () => {
    const res = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "001234560000003" })
      .expect(200);
    expect(res.body.testRange).to.equal(true);
  });

  it("gives an all-zero IMEI its own result: valid in form, wiped, not a test phone", async () => {
    const res = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "000000000000000" })
      .expect(200);
    expect(res.body).to.include({ valid: true, imei: "000000000000000", wiped: true });
    expect(res.body.warnings).to.deep.equal(["wiped"]);
    const other = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "001234567890128" })
      .expect(200);
    expect(other.body).to.include({ wiped: false });
    expect(other.body.warnings).to.deep.equal(["test_range"]);
  });

  it("refuses an IMEISV with the reserved software version 99, saying so", async () => {
    const res = await request(t.url)
      .get("/api/devices/lookup")
      .query({ imei: "8692710200000199" })
      .expect(200);
    expect(res.body).to.include({ valid: false, reason: "reserved_software_version", imei: null });
    expect(res.body.message).to.include("reserved software version");
    // The TAC still names the model.
    expect(res.body.brand).to.equal("Xiaomi");
  });

  it("tells Arabic-Indic and full-width digits apart from letters: use the digits 0-9", async () => {
    for (const imei of [
      "\u0668\u0666\u0669\u0662\u0667\u0661\u0660\u0662\u0660\u0660\u0660\u0660\u0660\u0661\u0661",
      "\uff18\uff16\uff19\uff12\uff17\uff11\uff10\uff12\uff10\uff10\uff10\uff10\uff10\uff11\uff11",
    ]) {
      const res = await request(t.url).get("/api/devices/lookup").query({ imei }).expect(200);
      expect(res.body).to.include({ valid: false, reason: "non_ascii_digits", tac: null });
      expect(res.body.message).to.match(/^Use the digits 0-9: /);
    }
  });

  it("flags a ticket opened on a wiped IMEI imei_wiped (and not test_range_imei); agents see it", async () => {
    const opened = await openPortalTicket(t, { imei: "000000000000000" });
    const row = await t.server.db.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ id: opened.id });
    expect(row.flags).to.include("imei_wiped");
    expect(row.flags).to.not.include("test_range_imei");
    const agent = await signedInAs(t, "agent", "Gus Agent");
    const seen = await agent.get(`/api/tickets/${opened.id}`).expect(200);
    expect(seen.body.ticket.flags).to.include("imei_wiped");
    const testPhone = await openPortalTicket(t, { imei: "001234567890128" });
    const testRow = await t.server.db.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ id: testPhone.id });
    expect(testRow.flags).to.include("test_range_imei");
    expect(testRow.flags).to.not.include("imei_wiped");
  });

  it("refuses a missing, repeated or overlong imei parameter with 400 naming it", async () => {
    for (const query of ["", "?imei=1&imei=2", `?imei=${"9".repeat(65)}`]) {
      const res = await request(t.url).get(`/api/devices/lookup${query}`).expect(400);
      expect(res.body.error.details[0].path).to.equal("query.imei");
    }
  });
});
