import { expect } from "chai";
import request from "supertest";
import { Agent } from "../../server/src/modules/agents/agent.entity";
import { buildAgent, signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("admin API: agents", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;
  before(async () => {
    t = await startTestServer();
    admin = await signedInAs(t, "admin", "Ada Admin");
    agent = await signedInAs(t, "agent", "Alex Agent");
  });
  after(async () => {
    await t.stop();
  });
  const repo = () => t.server.db.dataSource.getRepository(Agent);

  describe("GET /api/agents", () => {
    it("answers 401 without a session and 403 forbidden for an agent", async () => {
      await request(t.url).get("/api/agents").expect(401);
      const res = await agent.get("/api/agents").expect(403);
      expect(res.body.error.code).to.equal("forbidden");
    });

    it("lists agents without password hashes", async () => {
      const res = await admin.get("/api/agents").expect(200);
      const emails = res.body.items.map((a: { email: string }) => a.email);
      expect(emails).to.include.members([admin.agent.email, agent.agent.email]);
      expect(JSON.stringify(res.body)).to.not.include("argon2");
    });
  });

  describe("POST /api/agents", () => {
    it("creates an agent who can then sign in; the password is stored hashed", async () => {
      const res = await admin
        .post("/api/agents", {
          email: "New.Hire@Desk.Example",
          name: "New Hire",
          password: "a long first password",
          role: "agent",
        })
        .expect(201);
      expect(res.body.user).to.include({
        email: "new.hire@desk.example",
        role: "agent",
        disabled: false,
      });
      const row = await repo()
        .createQueryBuilder("a")
        .addSelect("a.passwordHash")
        .where("a.email = :e", { e: "new.hire@desk.example" })
        .getOneOrFail();
      expect(row.passwordHash).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const http = request.agent(t.url);
      const csrf = await http.get("/api/auth/csrf");
      await http
        .post("/api/auth/login")
        .set("X-CSRF-Token", csrf.body.token as string)
        .send({ email: "new.hire@desk.example", password: "a long first password" })
        .expect(200);
    });

    it("refuses it to agents (403), without CSRF (403 csrf_failed) and without a session (401)", async () => {
      const body = {
        email: "x@desk.example",
        name: "X",
        password: "a long first password",
        role: "admin",
      };
      await agent.post("/api/agents", body).expect(403);
      const csrf = await admin.http.post("/api/agents").send(body).expect(403);
      expect(csrf.body.error.code).to.equal("csrf_failed");
      await request(t.url).post("/api/agents").send(body).expect(401);
      expect(await repo().countBy({ email: "x@desk.example" })).to.equal(0);
    });

    it("names each invalid field", async () => {
      const res = await admin
        .post("/api/agents", { email: "nope", name: "", password: "short", role: "root" })
        .expect(400);
      const paths = res.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(["email", "name", "password", "role"]);
    });

    it("refuses server-owned fields (mass assignment) and a taken email", async () => {
      const res = await admin
        .post("/api/agents", {
          email: "mass@desk.example",
          name: "Mass",
          password: "a long first password",
          role: "agent",
          id: "00000000-0000-4000-8000-000000000000",
          passwordHash: "$argon2id$fake",
          disabled: true,
          createdAt: "2000-01-01",
        })
        .expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include.members([
        "id",
        "passwordHash",
        "disabled",
        "createdAt",
      ]);
      expect(await repo().countBy({ email: "mass@desk.example" })).to.equal(0);
      const taken = await admin
        .post("/api/agents", {
          email: agent.agent.email,
          name: "Dup",
          password: "a long first password",
          role: "agent",
        })
        .expect(409);
      expect(taken.body.error.details[0].path).to.equal("email");
    });
  });

  describe("PATCH /api/agents/:id", () => {
    it("renames and changes the role; the change takes effect on the agent's next request", async () => {
      const target = await signedInAs(t, "agent");
      await target.get("/api/agents").expect(403);
      const res = await admin
        .patch(`/api/agents/${target.agent.id}`, { name: "Promoted", role: "admin" })
        .expect(200);
      expect(res.body.user).to.include({ name: "Promoted", role: "admin" });
      expect(await repo().findOneByOrFail({ id: target.agent.id })).to.include({
        name: "Promoted",
        role: "admin",
      });
      await target.get("/api/agents").expect(200);
    });

    it("re-enables a disabled agent", async () => {
      const target = await buildAgent(t);
      await admin.patch(`/api/agents/${target.id}`, { disabled: true }).expect(200);
      await admin.patch(`/api/agents/${target.id}`, { disabled: false }).expect(200);
      expect((await repo().findOneByOrFail({ id: target.id })).disabled).to.equal(false);
    });

    it("answers 404 for an unknown or malformed id", async () => {
      for (const id of ["00000000-0000-4000-8000-000000000000", "1", "' OR 1=1--"]) {
        const res = await admin
          .patch(`/api/agents/${encodeURIComponent(id)}`, { name: "Ghost" })
          .expect(404);
        expect(res.body.error.code).to.equal("not_found");
      }
    });

    it("refuses an empty change, unknown fields and a bad role naming them", async () => {
      await admin.patch(`/api/agents/${agent.agent.id}`, {}).expect(400);
      const res = await admin
        .patch(`/api/agents/${agent.agent.id}`, { role: "owner", email: "x@y.z" })
        .expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(" ")).to.match(
        /role|email/,
      );
      expect((await repo().findOneByOrFail({ id: agent.agent.id })).role).to.equal("agent");
    });

    it("keeps at least one active admin, and admins cannot disable themselves", async () => {
      const solo = await startTestServer();
      try {
        const only = await signedInAs(solo, "admin");
        // The bootstrap admin is the other admin of a fresh server: disable it first.
        const list = await only.get("/api/agents").expect(200);
        for (const other of list.body.items as { id: string; role: string }[]) {
          if (other.id !== only.agent.id && other.role === "admin") {
            await only.patch(`/api/agents/${other.id}`, { disabled: true }).expect(200);
          }
        }
        const demote = await only
          .patch(`/api/agents/${only.agent.id}`, { role: "agent" })
          .expect(409);
        expect(demote.body.error.code).to.equal("conflict");
        const self = await only.patch(`/api/agents/${only.agent.id}`, { disabled: true });
        expect([400, 409]).to.include(self.status);
        await only.get("/api/agents").expect(200);
      } finally {
        await solo.stop();
      }
    });
  });
});

describe("GET /api/team", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  it("lists active agents' names and roles to any agent, never emails or disabled agents", async () => {
    const admin = await signedInAs(t, "admin", "Ada Admin");
    const agent = await signedInAs(t, "agent", "Bo Agent");
    const gone = await buildAgent(t, "agent", "Gone Agent");
    await admin.patch(`/api/agents/${gone.id}`, { disabled: true }).expect(200);
    const res = await agent.get("/api/team").expect(200);
    const names = res.body.items.map((a: { name: string }) => a.name);
    expect(names).to.include.members(["Ada Admin", "Bo Agent"]);
    expect(names).to.not.include("Gone Agent");
    expect(res.body.items[0]).to.have.all.keys("id", "name", "role");
    await request(t.url).get("/api/team").expect(401);
  });
});
