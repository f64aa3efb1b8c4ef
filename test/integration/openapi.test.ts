import { expect } from "chai";
import request from "supertest";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("GET /api/openapi.json", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  it("is an OpenAPI 3.1 document covering every declared route", async () => {
    const res = await request(t.url).get("/api/openapi.json").expect(200);
    expect(res.body.openapi).to.equal("3.1.0");
    for (const spec of t.server.api.routes) {
      const path = `/api${spec.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
      expect(res.body.paths[path], path).to.have.property(spec.method);
    }
  });

  it("carries the request schemas: enums, limits and required fields", async () => {
    const res = await request(t.url).get("/api/openapi.json").expect(200);
    const portal = res.body.paths["/api/portal/tickets"].post;
    const schema = portal.requestBody.content["application/json"].schema;
    expect(schema.required).to.include.members([
      "name",
      "email",
      "imei",
      "category",
      "subject",
      "description",
    ]);
    expect(schema.properties.category.enum).to.include("volte_wifi_calling");
    const patch = res.body.paths["/api/tickets/{id}"].patch;
    expect(patch.responses).to.have.property("401");
    expect(patch.responses).to.have.property("404");
    const list = res.body.paths["/api/tickets"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).to.include.members([
      "status",
      "assignee",
      "warrantySource",
      "q",
      "limit",
      "cursor",
      "sort",
    ]);
  });
});
