import { expect } from "chai";
import type { Router } from "express";
import request from "supertest";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import { NoContent } from "../../server/src/http/api-router";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every method+path an Express router answers, read from its stack. */
function routesOf(router: Router): string[] {
  return (router.stack as Layer[]).flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((method) => method !== "_all")
          .map((method) => `${method} ${layer.route!.path}`)
      : [],
  );
}

const ID = "3f1c1e52-6a89-4c2e-9a34-5b8a2a0f7d11";
const fill = (path: string) => path.replace(":id", ID).replace(":token", "A".repeat(43));

describe("route policy (walks the router)", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;
  before(async () => {
    t = await startTestServer();
    admin = await signedInAs(t, "admin");
    agent = await signedInAs(t, "agent");
    await request(t.url).post("/api/portal/tickets").send(buildPortalTicket()).expect(201);
  });
  after(async () => {
    await t.stop();
  });

  it("serves no API route that was not declared with an access level", () => {
    const declared = t.server.api.routes.map((spec) => `${spec.method} ${spec.path}`);
    const served = routesOf(t.server.api.router);
    expect(served.length).to.be.greaterThan(15);
    expect([...served].sort()).to.deep.equal([...declared].sort());
    for (const spec of t.server.api.routes) {
      expect(["public", "link", "agent", "admin"], `${spec.method} ${spec.path}`).to.include(
        spec.access,
      );
    }
  });

  it("declares routes as data: an undeclared access level is refused at start", () => {
    expect(() =>
      t.server.api.add({
        method: "get",
        path: "/sneaky",
        summary: "no access declared",
        access: undefined as unknown as "public",
        response: NoContent,
        handler: () => undefined,
      }),
    ).to.throw(/declares no access/);
  });

  it("answers 401 to anonymous callers on every agent and admin route", async () => {
    for (const spec of t.server.api.routes.filter(
      (s) => s.access === "agent" || s.access === "admin",
    )) {
      const anonymous = request(t.url);
      const res = await anonymous[spec.method](`/api${fill(spec.path)}`).send({});
      expect(res.status, `${spec.method} ${spec.path}`).to.equal(401);
      expect(res.body.error.code).to.equal("authentication_required");
    }
  });

  it("answers 403 forbidden to an agent on every admin route", async () => {
    for (const spec of t.server.api.routes.filter((s) => s.access === "admin")) {
      const res = await agent.http[spec.method](`/api${fill(spec.path)}`)
        .set("X-CSRF-Token", agent.csrf)
        .send({});
      expect(res.status, `${spec.method} ${spec.path}`).to.equal(403);
      expect(res.body.error.code).to.equal("forbidden");
    }
  });

  it("answers 403 csrf_failed to every unsafe agent and admin request without the token", async () => {
    const unsafe = t.server.api.routes.filter(
      (s) => (s.access === "agent" || s.access === "admin") && s.method !== "get",
    );
    expect(unsafe.length).to.be.greaterThan(5);
    for (const spec of unsafe) {
      const res = await admin.http[spec.method](`/api${fill(spec.path)}`).send({});
      expect(res.status, `${spec.method} ${spec.path}`).to.equal(403);
      expect(res.body.error.code).to.equal("csrf_failed");
    }
  });

  it("changes nothing through any GET route", async () => {
    const count = async () => {
      const tables = [
        "tickets",
        "ticket_events",
        "customers",
        "handsets",
        "handset_identifiers",
        "agents",
      ];
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const rows: { n: number | string }[] = await t.server.db.dataSource.query(
          `SELECT COUNT(*) AS n FROM "${table}"`,
        );
        counts[table] = Number(rows[0].n);
      }
      return counts;
    };
    const before = await count();
    for (const spec of t.server.api.routes.filter((s) => s.method === "get")) {
      await admin.get(`/api${fill(spec.path)}?imei=490154203237518&identifier=1`);
      await request(t.url).get(`/api${fill(spec.path)}`);
    }
    expect(await count()).to.deep.equal(before);
  });
});
