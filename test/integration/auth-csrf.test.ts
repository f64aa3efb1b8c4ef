import { expect } from "chai";
import request from "supertest";
import { IsNull } from "typeorm";
import { SessionRow } from "../../server/src/auth/session.entity";
import { buildAgent } from "../support/agents";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

function cookiesOf(res: request.Response): string[] {
  return ([] as string[]).concat(res.headers["set-cookie"] ?? []);
}

describe("CSRF for signed-out callers", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  const sessions = () => t.server.db.dataSource.getRepository(SessionRow);

  it("T45 anonymous-session-rows: 200 anonymous GET /api/auth/csrf store no session, and a token so got signs in", async function () {
    this.timeout(60_000);
    const before = await sessions().count();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => request(t.url).get("/api/auth/csrf").expect(200)),
    );
    expect(new Set(answers.map((res) => res.body.token as string)).size).to.equal(200);
    for (const res of answers) {
      expect(cookiesOf(res).some((c) => c.startsWith("greydesk.sid="))).to.equal(false);
    }
    expect(await sessions().count()).to.equal(before);
    expect(await sessions().countBy({ agentId: IsNull() })).to.equal(0);

    // The token of the sign-in form works with the cookie it came with; signing in is what
    // stores a session, and only the one.
    const agent = await buildAgent(t);
    const http = request.agent(t.url);
    const pre = await http.get("/api/auth/csrf").expect(200);
    const cookie = cookiesOf(pre).find((c) => c.startsWith("greydesk.csrf="))!;
    expect(cookie).to.match(/HttpOnly/i);
    expect(cookie).to.match(/SameSite=Strict/i);
    const again = await http.get("/api/auth/csrf").expect(200);
    expect(again.body.token).to.equal(pre.body.token);
    const login = await http
      .post("/api/auth/login")
      .set("X-CSRF-Token", pre.body.token as string)
      .send({ email: agent.email, password: agent.password })
      .expect(200);
    expect(await sessions().count()).to.equal(before + 1);
    // Signed in, the session's own token is the one: the form's token is refused.
    expect(login.body.csrfToken).to.be.a("string").and.not.equal(pre.body.token);
    const me = await http.get("/api/auth/csrf").expect(200);
    expect(me.body.token).to.equal(login.body.csrfToken);
    await http
      .post("/api/auth/logout")
      .set("X-CSRF-Token", pre.body.token as string)
      .expect(403);
    await http
      .post("/api/auth/logout")
      .set("X-CSRF-Token", login.body.csrfToken as string)
      .expect(204);
  });

  it("refuses a sign-in whose token is missing, forged, or another browser's (403 csrf_failed)", async () => {
    const agent = await buildAgent(t);
    const mine = request.agent(t.url);
    const theirs = request.agent(t.url);
    const myToken = (await mine.get("/api/auth/csrf").expect(200)).body.token as string;
    const theirToken = (await theirs.get("/api/auth/csrf").expect(200)).body.token as string;
    const credentials = { email: agent.email, password: agent.password };
    const refused = [
      await mine.post("/api/auth/login").send(credentials),
      await mine.post("/api/auth/login").set("X-CSRF-Token", theirToken).send(credentials),
      await mine.post("/api/auth/login").set("X-CSRF-Token", `${myToken}x`).send(credentials),
      await mine
        .post("/api/auth/login")
        .set("X-CSRF-Token", "A".repeat(myToken.length))
        .send(credentials),
      // The token without the cookie it belongs to.
      await request(t.url).post("/api/auth/login").set("X-CSRF-Token", myToken).send(credentials),
    ];
    for (const res of refused) {
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal("csrf_failed");
    }
    await mine.post("/api/auth/login").set("X-CSRF-Token", myToken).send(credentials).expect(200);
  });
});
