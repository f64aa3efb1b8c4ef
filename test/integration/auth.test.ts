import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { SessionRow } from "../../server/src/auth/session.entity";
import { buildAgent, signIn, signedInAs } from "../support/agents";
import { mutableClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

function cookiesOf(res: request.Response): string[] {
  return ([] as string[]).concat(res.headers["set-cookie"] ?? []);
}

function sessionIdOf(res: request.Response): string | undefined {
  return cookiesOf(res)
    .find((c) => c.startsWith("greydesk.sid="))
    ?.split(";")[0];
}

async function loginRaw(t: TestServer, email: string, password: string) {
  const http = request.agent(t.url);
  const csrf = await http.get("/api/auth/csrf").expect(200);
  return http
    .post("/api/auth/login")
    .set("X-CSRF-Token", csrf.body.token as string)
    .send({ email, password });
}

describe("agent sign-in and sessions", () => {
  let t: TestServer;
  const clock = mutableClock();
  before(async () => {
    t = await startTestServer({}, { clock });
  });
  after(async () => {
    await t.stop();
  });

  describe("POST /api/auth/login", () => {
    it("signs in, sets an HttpOnly SameSite=Lax cookie, stores the session and answers the user", async () => {
      const agent = await buildAgent(t, "agent", "Sam Support");
      const res = await loginRaw(t, agent.email.toUpperCase(), agent.password);
      expect(res.status).to.equal(200);
      expect(res.body.user).to.deep.equal({
        id: agent.id,
        email: agent.email,
        name: "Sam Support",
        role: "agent",
        disabled: false,
      });
      expect(res.body.user).to.not.have.property("passwordHash");
      expect(res.body.csrfToken).to.be.a("string");
      const cookie = cookiesOf(res).find((c) => c.startsWith("greydesk.sid="))!;
      expect(cookie).to.match(/HttpOnly/i);
      expect(cookie).to.match(/SameSite=Lax/i);
      expect(cookie).to.match(/Path=\//);
      const rows = await t.server.db.dataSource
        .getRepository(SessionRow)
        .findBy({ agentId: agent.id });
      expect(rows).to.have.length(1);
      expect(rows[0].data).to.not.include(agent.password);
    });

    it("refuses a login without the CSRF token (403 csrf_failed)", async () => {
      const agent = await buildAgent(t);
      const res = await request(t.url)
        .post("/api/auth/login")
        .send({ email: agent.email, password: agent.password })
        .expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
    });

    it("changes the session id at login (no fixation), and the pre-login CSRF token stops working", async () => {
      // Signed out, no session exists to fixate (T45); a planted id can only be a live session,
      // such as the attacker's own.
      const attacker = await buildAgent(t);
      const planted = sessionIdOf(await loginRaw(t, attacker.email, attacker.password));
      expect(planted).to.be.a("string");
      const agent = await buildAgent(t);
      const http = request.agent(t.url);
      http.jar.setCookie(planted!, new URL(t.url).hostname, "/");
      const pre = await http.get("/api/auth/csrf").expect(200);
      const login = await http
        .post("/api/auth/login")
        .set("X-CSRF-Token", pre.body.token as string)
        .send({ email: agent.email, password: agent.password })
        .expect(200);
      expect(login.body.user.id).to.equal(agent.id);
      const after = sessionIdOf(login);
      expect(after).to.be.a("string").and.not.equal(planted);
      // The fixated (pre-login) id is not signed in.
      await request(t.url).get("/api/auth/me").set("Cookie", planted!).expect(401);
      await http
        .post("/api/auth/logout")
        .set("X-CSRF-Token", pre.body.token as string)
        .expect(403);
      await http
        .post("/api/auth/logout")
        .set("X-CSRF-Token", login.body.csrfToken as string)
        .expect(204);
    });

    it("answers a wrong password and an unknown email the same way", async () => {
      const agent = await buildAgent(t);
      const wrong = await loginRaw(t, agent.email, "not the password at all");
      const unknown = await loginRaw(t, "nobody-here@desk.example", "not the password at all");
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      const strip = (body: { error: { requestId?: string } }) => ({
        ...body.error,
        requestId: undefined,
      });
      expect(strip(wrong.body)).to.deep.equal(strip(unknown.body));
      expect(wrong.body.error.code).to.equal("authentication_required");
    });

    it("takes about as long for an unknown email as for a wrong password", async () => {
      const agent = await buildAgent(t);
      const once = async (email: string, i: number) => {
        const http = request.agent(t.url);
        const csrf = await http.get("/api/auth/csrf");
        const started = process.hrtime.bigint();
        await http
          .post("/api/auth/login")
          .set("X-CSRF-Token", csrf.body.token as string)
          .send({ email, password: `wrong-${i}` });
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      // Known and unknown taken in turn, so a change in the machine's load falls on both alike.
      const knownSamples: number[] = [];
      const unknownSamples: number[] = [];
      for (let i = 0; i < 4; i++) {
        knownSamples.push(await once(agent.email, i));
        unknownSamples.push(await once(`ghost-${agent.email}`, i));
      }
      const median = (samples: number[]) => samples.sort((a, b) => a - b)[2];
      const known = median(knownSamples);
      const unknown = median(unknownSamples);
      // Both pay one argon2 verification (~50 ms); docs/SECURITY.md T27 allows ±50 ms of the median.
      expect(Math.abs(known - unknown)).to.be.lessThan(50);
      expect(unknown).to.be.greaterThan(10);
    });

    it("refuses a disabled agent's login exactly like a wrong password", async () => {
      const admin = await signedInAs(t, "admin");
      const agent = await buildAgent(t);
      await admin.patch(`/api/agents/${agent.id}`, { disabled: true }).expect(200);
      const res = await loginRaw(t, agent.email, agent.password);
      expect(res.status).to.equal(401);
    });

    it("does not accept the password hash as the password", async () => {
      const agent = await buildAgent(t);
      const row = await t.server.db.dataSource
        .createQueryBuilder()
        .select("a.passwordHash", "hash")
        .from("agents", "a")
        .where("a.id = :id", { id: agent.id })
        .getRawOne<{ hash: string }>();
      expect(row!.hash).to.match(/^\$argon2id\$/);
      expect((await loginRaw(t, agent.email, row!.hash)).status).to.equal(401);
    });

    it("refuses malformed credentials with 400 naming the field", async () => {
      for (const [body, field] of [
        [{ password: "x" }, "email"],
        [{ email: "a@b.c" }, "password"],
        [{ email: { $ne: null }, password: "x" }, "email"],
        [{ email: "a@b.c", password: ["x"] }, "password"],
      ] as const) {
        const http = request.agent(t.url);
        const csrf = await http.get("/api/auth/csrf");
        const res = await http
          .post("/api/auth/login")
          .set("X-CSRF-Token", csrf.body.token as string)
          .send(body)
          .expect(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
      }
    });
  });

  describe("brute force", () => {
    it("answers 429 with Retry-After after 5 failures for one account, even with the right password", async () => {
      const agent = await buildAgent(t);
      for (let i = 0; i < 5; i++) {
        expect((await loginRaw(t, agent.email, `guess-${i}`)).status).to.equal(401);
      }
      const blocked = await loginRaw(t, agent.email, agent.password);
      expect(blocked.status).to.equal(429);
      expect(blocked.body.error.code).to.equal("rate_limited");
      const wait = Number(blocked.headers["retry-after"]);
      expect(wait).to.be.greaterThan(0).and.at.most(900);

      // No permanent lock-out: after the wait the real user gets in.
      clock.advance(wait * 1000 + 1);
      expect((await loginRaw(t, agent.email, agent.password)).status).to.equal(200);
    });

    it("backs off: each failure past the limit doubles the wait", async () => {
      const agent = await buildAgent(t);
      for (let i = 0; i < 5; i++) {
        await loginRaw(t, agent.email, `guess-${i}`);
      }
      const first = Number((await loginRaw(t, agent.email, "x")).headers["retry-after"]);
      clock.advance(first * 1000 + 1);
      expect((await loginRaw(t, agent.email, "still wrong")).status).to.equal(401);
      const second = Number((await loginRaw(t, agent.email, "x")).headers["retry-after"]);
      expect(second).to.be.greaterThan(first * 1.5);
      clock.advance(second * 1000 + 1);
    });

    it("limits failures per IP across accounts, and X-Forwarded-For from an untrusted hop changes nothing", async () => {
      let last = 0;
      for (let i = 0; i < 31; i++) {
        const http = request.agent(t.url);
        const csrf = await http.get("/api/auth/csrf");
        const res = await http
          .post("/api/auth/login")
          .set("X-CSRF-Token", csrf.body.token as string)
          .set("X-Forwarded-For", `203.0.113.${i}`)
          .send({ email: `spray-${i}@desk.example`, password: "Winter2026!" });
        last = res.status;
      }
      expect(last).to.equal(429);
      clock.advance(16 * 60_000);
    });
  });

  describe("GET /api/auth/me and POST /api/auth/logout", () => {
    it("answers 401 without a session", async () => {
      const res = await request(t.url).get("/api/auth/me").expect(401);
      expect(res.body.error.code).to.equal("authentication_required");
    });

    it("logs out: 204, the session row is gone and the old cookie is refused", async () => {
      const client = await signedInAs(t);
      await client.get("/api/auth/me").expect(200);
      await client.post("/api/auth/logout").expect(204);
      await request(t.url).get("/api/auth/me").set("Cookie", client.cookie).expect(401);
      const rows = await t.server.db.dataSource
        .getRepository(SessionRow)
        .findBy({ agentId: client.agent.id });
      expect(rows).to.have.length(0);
    });

    it("refuses logout without the CSRF token", async () => {
      const client = await signedInAs(t);
      const res = await client.http.post("/api/auth/logout").expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
      await client.get("/api/auth/me").expect(200);
    });

    it("ends a session after the absolute lifetime, however active", async () => {
      const client = await signedInAs(t);
      clock.advance(11 * 3600_000);
      await client.get("/api/auth/me").expect(200);
      clock.advance(1.5 * 3600_000);
      await client.get("/api/auth/me").expect(401);
    });

    it("ends a session whose idle expiry passed", async () => {
      const client = await signedInAs(t);
      await t.server.db.dataSource
        .getRepository(SessionRow)
        .update({ agentId: client.agent.id }, { expiresAt: new Date(Date.now() - 1000) });
      await client.get("/api/auth/me").expect(401);
    });
  });

  describe("disabling and passwords end sessions at once", () => {
    it("locks a disabled agent out on their very next request", async () => {
      const admin = await signedInAs(t, "admin");
      const agent = await signedInAs(t);
      await agent.get("/api/tickets").expect(200);
      await admin.patch(`/api/agents/${agent.agent.id}`, { disabled: true }).expect(200);
      await agent.get("/api/tickets").expect(401);
      await agent.get("/api/auth/me").expect(401);
    });

    it("ends every session of an agent whose password an admin reset", async () => {
      const admin = await signedInAs(t, "admin");
      const agent = await buildAgent(t);
      const laptop = await signIn(t, agent);
      const phone = await signIn(t, agent);
      await admin
        .patch(`/api/agents/${agent.id}`, { password: "a brand new passphrase" })
        .expect(200);
      await laptop.get("/api/auth/me").expect(401);
      await phone.get("/api/auth/me").expect(401);
      expect((await loginRaw(t, agent.email, agent.password)).status).to.equal(401);
      expect((await loginRaw(t, agent.email, "a brand new passphrase")).status).to.equal(200);
    });

    it("keeps the current session and ends the others when agents change their own password", async () => {
      const agent = await buildAgent(t);
      const here = await signIn(t, agent);
      const elsewhere = await signIn(t, agent);
      const wrong = await here
        .post("/api/auth/password", {
          currentPassword: "nope",
          newPassword: "another long passphrase",
        })
        .expect(400);
      expect(wrong.body.error.details[0].path).to.equal("currentPassword");
      await here
        .post("/api/auth/password", {
          currentPassword: agent.password,
          newPassword: "another long passphrase",
        })
        .expect(204);
      await here.get("/api/auth/me").expect(200);
      await elsewhere.get("/api/auth/me").expect(401);
      const short = await here
        .post("/api/auth/password", {
          currentPassword: "another long passphrase",
          newPassword: "short",
        })
        .expect(400);
      expect(short.body.error.details[0].path).to.equal("newPassword");
    });
  });
});

describe("sessions survive a restart", () => {
  it("keeps an agent signed in across a server restart on the same database", async function () {
    if (process.env.GREYDESK_TEST_DATABASE === "postgres") {
      this.skip();
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-sessions-"));
    const database = { type: "sqlite" as const, path: path.join(dir, "desk.sqlite") };
    try {
      const first = await startTestServer({ database });
      const client = await signedInAs(first);
      await first.stop();
      const second = await startTestServer({ database });
      try {
        const me = await request(second.url)
          .get("/api/auth/me")
          .set("Cookie", client.cookie)
          .expect(200);
        expect(me.body.user.id).to.equal(client.agent.id);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
