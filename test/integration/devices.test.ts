import { expect } from "chai";
import request from "supertest";
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

  it("refuses a missing, repeated or overlong imei parameter with 400 naming it", async () => {
    for (const query of ["", "?imei=1&imei=2", `?imei=${"9".repeat(65)}`]) {
      const res = await request(t.url).get(`/api/devices/lookup${query}`).expect(400);
      expect(res.body.error.details[0].path).to.equal("query.imei");
    }
  });
});
