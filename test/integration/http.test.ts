import { Writable } from "node:stream";
import { expect } from "chai";
import request from "supertest";
import { createLogger } from "../../server/src/logging/logger";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

function expectNoStack(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).to.not.match(/at .*\.(ts|js):\d+/);
  expect(text).to.not.include("node_modules");
}

describe("HTTP edge: errors, limits, logs", () => {
  describe("error bodies", () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer();
    });
    after(async () => {
      await t.stop();
    });

    it("answers malformed JSON with 400 validation_failed", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .set("Content-Type", "application/json")
        .send('{"name": "Ann",')
        .expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
      expectNoStack(res.body);
    });

    it("answers a JSON array or a bare string body with 400", async () => {
      for (const raw of ["[1,2,3]", '"text"', "null"]) {
        const res = await request(t.url)
          .post("/api/portal/tickets")
          .set("Content-Type", "application/json")
          .send(raw)
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
      }
    });

    it("answers deeply nested JSON with 400, not a crash", async () => {
      const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .set("Content-Type", "application/json")
        .send(deep);
      expect(res.status).to.equal(400);
      await request(t.url).get("/api/health").expect(200);
    });

    it("answers a form-encoded body (wrong content type) with 400 naming the fields", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .type("form")
        .send({ name: "Ann" })
        .expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
    });

    it("answers a body over the limit with 413 payload_too_large", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .set("Content-Type", "application/json")
        .send(JSON.stringify({ ...buildPortalTicket(), description: "x".repeat(300 * 1024) }))
        .expect(413);
      expect(res.body.error.code).to.equal("payload_too_large");
    });

    it("answers unknown API routes and methods with a JSON 404", async () => {
      for (const [method, path] of [
        ["get", "/api/nothing-here"],
        ["delete", "/api/portal/tickets"],
        ["get", "/api/../etc/passwd"],
      ] as const) {
        const res = await request(t.url)[method](path).expect(404);
        expect(res.body.error.code).to.equal("not_found");
      }
    });

    it("sets a request id, no-store and the security headers on API answers", async () => {
      const res = await request(t.url).get("/api/health").expect(200);
      expect(res.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
      expect(res.headers["cache-control"]).to.equal("no-store");
      expect(res.headers["x-content-type-options"]).to.equal("nosniff");
      expect(res.headers["content-security-policy"]).to.include("object-src 'none'");
      expect(res.headers["content-security-policy"]).to.include("base-uri 'none'");
      expect(res.headers["content-security-policy"]).to.include("frame-ancestors 'none'");
      expect(res.headers).to.not.have.property("x-powered-by");
      expect(res.body).to.deep.equal({
        status: "ok",
        database: "ok",
        redis: "not_configured",
        mail: { relay: "not_configured", backlog: 0, failed: 0 },
      });
    });
  });

  describe("rate limits", () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ rateLimitPortal: 3 });
    });
    after(async () => {
      await t.stop();
    });

    it("allows RATE_LIMIT_PORTAL new tickets per IP per hour, then 429 with Retry-After", async () => {
      for (let i = 0; i < 3; i++) {
        await request(t.url).post("/api/portal/tickets").send(buildPortalTicket()).expect(201);
      }
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(429);
      expect(res.body.error.code).to.equal("rate_limited");
      const retryAfter = Number(res.headers["retry-after"]);
      expect(retryAfter).to.be.greaterThan(0).and.at.most(3600);
    });

    it("slows down link guessing: 429 after 50 wrong tokens, while good links from elsewhere work", async () => {
      for (let i = 0; i < 50; i++) {
        await request(t.url).get(`/api/portal/tickets/guess${i}`).expect(404);
      }
      const res = await request(t.url).get("/api/portal/tickets/guess-next").expect(429);
      expect(res.body.error.code).to.equal("rate_limited");
      expect(Number(res.headers["retry-after"])).to.be.greaterThan(0);
    });
  });

  describe("logs", () => {
    it("never contain link tokens, message bodies or IMEIs in full", async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      });
      const t = await startTestServer({}, { logger: createLogger("debug", sink) });
      try {
        const body = buildPortalTicket({ description: "secret words in the body" });
        const created = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
        const token = tokenOf(created.body.accessUrl as string);
        await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
        await request(t.url)
          .post(`/api/portal/tickets/${token}/messages`)
          .send({ body: "reply words" })
          .expect(201);
        const log = lines.join("");
        expect(log).to.include("/api/portal/tickets/[token]");
        expect(log).to.not.include(token);
        expect(log).to.not.include("secret words");
        expect(log).to.not.include("reply words");
        expect(log).to.not.include(body.imei);
      } finally {
        await t.stop();
      }
    });
  });
});
