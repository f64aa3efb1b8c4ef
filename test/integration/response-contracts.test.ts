import { expect } from "chai";
import request from "supertest";
import { z } from "zod";
import { API_RESPONSES } from "../../shared/contracts/http/api";
import { routeKey, testResponseCheck } from "../../server/src/http/api-router";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("response contracts", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  it("every route declares the response schema shared/contracts/http/api.ts names for it", () => {
    const declared = t.server.api.routes.filter((spec) => spec.path !== "/openapi.json");
    expect(declared.map(routeKey).sort()).to.deep.equal(Object.keys(API_RESPONSES).sort());
    for (const spec of declared) {
      const key = routeKey(spec) as keyof typeof API_RESPONSES;
      expect(spec.response === API_RESPONSES[key], key).to.equal(true);
    }
  });

  it("the OpenAPI document names each operation once and carries each JSON answer's schema", async () => {
    const res = await request(t.url).get("/api/openapi.json").expect(200);
    const ids: string[] = [];
    for (const spec of t.server.api.routes) {
      const path = `/api${spec.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
      const operation = res.body.paths[path][spec.method];
      expect(operation.operationId, `${spec.method} ${path}`).to.be.a("string");
      ids.push(operation.operationId);
      const status = String(spec.status ?? 200);
      const success = operation.responses[status];
      if (spec.file !== undefined) {
        expect(Object.keys(success.content), path).to.deep.equal([spec.file.contentType]);
      } else if (status !== "204") {
        expect(success.content["application/json"].schema, `${spec.method} ${path}`).to.be.an(
          "object",
        );
      }
    }
    expect(new Set(ids).size).to.equal(ids.length);
    const detail = res.body.paths["/api/tickets/{id}"].get;
    expect(detail.operationId).to.equal("getTicketsById");
    const schema = detail.responses["200"].content["application/json"].schema;
    expect(schema.required).to.include.members(["ticket", "customer", "handset", "events"]);
  });

  it("in test mode, an answer that does not match its schema is a 500 and is recorded", async () => {
    t.server.api.add({
      method: "get",
      path: "/test-only/off-contract",
      summary: "answers a number where its schema says text",
      access: "public",
      response: z.strictObject({ name: z.string() }),
      handler: () => ({ name: 42 }) as unknown as { name: string },
    });
    t.server.api.add({
      method: "get",
      path: "/test-only/leaky",
      summary: "answers a field its schema does not declare",
      access: "public",
      response: z.strictObject({ name: z.string() }),
      handler: () => ({ name: "ok", passwordHash: "x" }),
    });
    try {
      const wrong = await request(t.url).get("/api/test-only/off-contract").expect(500);
      expect(wrong.body.error.code).to.equal("internal_error");
      await request(t.url).get("/api/test-only/leaky").expect(500);
      expect(testResponseCheck.mismatches.map((m) => m.route)).to.deep.equal([
        "GET /test-only/off-contract",
        "GET /test-only/leaky",
      ]);
      expect(testResponseCheck.mismatches[0]?.issues).to.match(/^name: /);
      expect(testResponseCheck.mismatches[1]?.issues).to.match(/passwordHash/);
    } finally {
      // These two mismatches are this test's point, not a failure of it.
      testResponseCheck.mismatches.splice(0);
      for (const path of ["/test-only/off-contract", "/test-only/leaky"]) {
        testResponseCheck.declared.delete(`GET ${path}`);
      }
    }
  });
});
