import { randomBytes, randomInt } from "node:crypto";
import http from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { expect } from "chai";
import request from "supertest";
import { buildAgent } from "./agents";
import type { TestAgent } from "./agents";
import { buildPortalTicket, tokenOf } from "./factories";
import { mutableClock } from "./test-server";
import type { MutableClock, TestServer } from "./test-server";

/**
 * Password and link guessing raced from one address (docs/SECURITY.md T35, T43), as a set of
 * tests run on each counter store: process memory (test/integration) and Redis (test/scale).
 * The server trusts one proxy hop, so each test claims an address of its own through
 * X-Forwarded-For: no count of an earlier test (or an earlier run, in a shared Redis) is in
 * the way, whatever the store.
 */
export interface GuessingSuite {
  /** Starts the server under test on `clock`, trusting one proxy hop (`trustProxy: 1`). */
  start(clock: MutableClock): Promise<TestServer>;
}

/** The sign-in limits the tests hold the server to (see server/src/auth/login-throttle.ts). */
const ACCOUNT_GUESSES = 5;
const ADDRESS_GUESSES = 30;
const LINK_GUESSES = 50;

function freshAddress(): string {
  return `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** A token of the right shape that names no ticket: answered only after the lookup. */
function wellFormedToken(): string {
  return randomBytes(32).toString("base64url");
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) {
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error?: { code: string } } | undefined;
}

/**
 * GETs every path at once: each on its own connection, and no request is written before every
 * connection is open, so the server reads them all together (as a flood would arrive) rather
 * than one after the other as they happen to connect.
 */
async function burst(
  base: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<Answer[]> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const pending = paths.map((path) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path,
      method: "GET",
      headers: { ...headers, Connection: "close" },
      agent,
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on("error", reject);
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text === "" ? undefined : (JSON.parse(text) as Answer["body"]),
          }),
        );
      });
    });
    const open = new Promise<void>((resolve, reject) => {
      req.on("error", reject);
      req.on("socket", (socket) => {
        if (socket.connecting) {
          socket.once("connect", () => resolve());
        } else {
          resolve();
        }
      });
    });
    return { req, answer, open };
  });
  try {
    await Promise.all(pending.map((p) => p.open));
    for (const p of pending) {
      p.req.end();
    }
    return await Promise.all(pending.map((p) => p.answer));
  } finally {
    agent.destroy();
  }
}

/** A signed-out browser at `address`: its CSRF token, and sign-in attempts sent with it. */
async function signInForm(t: TestServer, address: string) {
  const http = request.agent(t.url);
  const pre = await http.get("/api/auth/csrf").set("X-Forwarded-For", address).expect(200);
  const token = pre.body.token as string;
  return (email: string, password: string) =>
    http
      .post("/api/auth/login")
      .set("X-Forwarded-For", address)
      .set("X-CSRF-Token", token)
      .send({ email, password });
}

/** `agent` signed in from `address`: the browser and the session's CSRF token. */
async function signInAt(t: TestServer, agent: TestAgent, address: string) {
  const http = request.agent(t.url);
  const pre = await http.get("/api/auth/csrf").set("X-Forwarded-For", address).expect(200);
  const login = await http
    .post("/api/auth/login")
    .set("X-Forwarded-For", address)
    .set("X-CSRF-Token", pre.body.token as string)
    .send({ email: agent.email, password: agent.password })
    .expect(200);
  return { http, csrf: login.body.csrfToken as string };
}

export function guessingTests(suite: GuessingSuite): void {
  const clock = mutableClock();
  let t: TestServer;
  before(async () => {
    t = await suite.start(clock);
  });
  after(async () => {
    await t?.stop();
  });

  describe("T35 throttle-race: sign-in guesses are counted before the password is checked", () => {
    it("checks at most 5 of 61 parallel sign-ins for one account, and refuses the right password among them", async function () {
      this.timeout(60_000);
      const agent = await buildAgent(t);
      const address = freshAddress();
      const attempt = await signInForm(t, address);
      const passwords = Array.from({ length: 61 }, (_, i) =>
        i === 30 ? agent.password : `guess-${i}`,
      );
      const answers = await Promise.all(passwords.map((pw) => attempt(agent.email, pw)));
      const counts = tally(answers.map((res) => res.status));
      expect(counts[200] ?? 0, `signed in during the race: ${JSON.stringify(counts)}`).to.equal(0);
      expect(counts[401] ?? 0, JSON.stringify(counts)).to.be.at.most(ACCOUNT_GUESSES);
      expect((counts[401] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).to.equal(61);
      expect(answers[30].status).to.equal(429);

      // Still blocked for the right password; once the wait is over, the agent signs in.
      const blocked = await attempt(agent.email, agent.password);
      expect(blocked.status).to.equal(429);
      expect(blocked.body.error.code).to.equal("rate_limited");
      const wait = Number(blocked.headers["retry-after"]);
      expect(wait).to.be.greaterThan(0).and.at.most(900);
      clock.advance(wait * 1000 + 1);
      expect((await attempt(agent.email, agent.password)).status).to.equal(200);
    });

    it("checks at most 30 of 300 parallel sign-ins from one address across accounts, the right one refused", async function () {
      this.timeout(120_000);
      const agent = await buildAgent(t);
      const address = freshAddress();
      const attempt = await signInForm(t, address);
      const spray = randomBytes(4).toString("hex");
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          i === 150
            ? attempt(agent.email, agent.password)
            : attempt(`spray-${spray}-${i}@desk.example`, "Winter2026!"),
        ),
      );
      const counts = tally(answers.map((res) => res.status));
      expect(counts[200] ?? 0, `signed in during the race: ${JSON.stringify(counts)}`).to.equal(0);
      expect(counts[401] ?? 0, JSON.stringify(counts)).to.be.at.most(ADDRESS_GUESSES);
      expect((counts[401] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).to.equal(300);
      expect(answers[150].status).to.equal(429);

      // The address waits too, then the agent (whose own count is clean) gets in from it.
      const blocked = await attempt(agent.email, agent.password);
      expect(blocked.status).to.equal(429);
      clock.advance(Number(blocked.headers["retry-after"]) * 1000 + 1);
      expect((await attempt(agent.email, agent.password)).status).to.equal(200);
    });

    it("keeps the policy: 5 free failures, a doubling wait, no lock-out, success clears the count", async () => {
      const agent = await buildAgent(t);
      const address = freshAddress();
      let attempt = await signInForm(t, address);
      for (let i = 0; i < ACCOUNT_GUESSES; i++) {
        expect((await attempt(agent.email, `guess-${i}`)).status).to.equal(401);
      }
      const first = await attempt(agent.email, agent.password);
      expect(first.status).to.equal(429);
      const firstWait = Number(first.headers["retry-after"]);
      clock.advance(firstWait * 1000 + 1);
      expect((await attempt(agent.email, "still wrong")).status).to.equal(401);
      const second = await attempt(agent.email, agent.password);
      expect(second.status).to.equal(429);
      const secondWait = Number(second.headers["retry-after"]);
      expect(secondWait).to.be.greaterThan(firstWait * 1.5);
      clock.advance(secondWait * 1000 + 1);
      expect((await attempt(agent.email, agent.password)).status).to.equal(200);
      // The success cleared the account's count: five fresh failures before the next wait.
      attempt = await signInForm(t, address);
      for (let i = 0; i < ACCOUNT_GUESSES; i++) {
        expect((await attempt(agent.email, `again-${i}`)).status).to.equal(401);
      }
      expect((await attempt(agent.email, agent.password)).status).to.equal(429);
    });

    it("gives a good sign-in's slot back to the address", async function () {
      this.timeout(60_000);
      const address = freshAddress();
      const agents = await Promise.all(
        Array.from({ length: ADDRESS_GUESSES + 5 }, () => buildAgent(t)),
      );
      // More good sign-ins from one address than it may have failures: none is refused...
      for (const agent of agents) {
        const attempt = await signInForm(t, address);
        expect((await attempt(agent.email, agent.password)).status).to.equal(200);
      }
      // ...and the address still has its whole allowance of failures.
      const attempt = await signInForm(t, address);
      const spray = randomBytes(4).toString("hex");
      for (let i = 0; i < ADDRESS_GUESSES; i++) {
        expect((await attempt(`spray-${spray}-${i}@desk.example`, "x")).status).to.equal(401);
      }
      expect((await attempt(`spray-${spray}-last@desk.example`, "x")).status).to.equal(429);
    });

    it("gives the slot back even when it was the one that would start the address's wait", async function () {
      this.timeout(60_000);
      const agent = await buildAgent(t);
      const address = freshAddress();
      let attempt = await signInForm(t, address);
      const spray = randomBytes(4).toString("hex");
      for (let i = 0; i < ADDRESS_GUESSES - 1; i++) {
        expect((await attempt(`spray-${spray}-${i}@desk.example`, "x")).status).to.equal(401);
      }
      // Counted in advance, this sign-in is the address's 30th failure (the one that starts a
      // wait) until its password proves right; then the wait is undone with it.
      expect((await attempt(agent.email, agent.password)).status).to.equal(200);
      attempt = await signInForm(t, address);
      expect((await attempt(`spray-${spray}-29@desk.example`, "x")).status).to.equal(401);
      expect((await attempt(`spray-${spray}-30@desk.example`, "x")).status).to.equal(429);
    });
  });

  describe("T43 password-change-guessing: wrong current passwords are throttled like sign-ins", () => {
    const change = (
      client: Awaited<ReturnType<typeof signInAt>>,
      address: string,
      current: string,
    ) =>
      client.http
        .post("/api/auth/password")
        .set("X-Forwarded-For", address)
        .set("X-CSRF-Token", client.csrf)
        .send({ currentPassword: current, newPassword: "another long passphrase" });

    it("answers 429 after 5 wrong current passwords of 25, refuses the right one while blocked, takes it after the wait", async () => {
      const agent = await buildAgent(t);
      const address = freshAddress();
      const client = await signInAt(t, agent, address);
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        statuses.push((await change(client, address, `guess-${i}`)).status);
      }
      expect(statuses).to.deep.equal([
        ...Array<number>(ACCOUNT_GUESSES).fill(400),
        ...Array<number>(25 - ACCOUNT_GUESSES).fill(429),
      ]);
      const blocked = await change(client, address, agent.password);
      expect(blocked.status).to.equal(429);
      expect(blocked.body.error.code).to.equal("rate_limited");
      const wait = Number(blocked.headers["retry-after"]);
      expect(wait).to.be.greaterThan(0).and.at.most(900);
      // The guesses count against the account: its sign-in waits as well.
      const attempt = await signInForm(t, freshAddress());
      expect((await attempt(agent.email, agent.password)).status).to.equal(429);

      clock.advance(wait * 1000 + 1);
      expect((await change(client, address, agent.password)).status).to.equal(204);
      await client.http.get("/api/auth/me").expect(200);
      expect((await attempt(agent.email, "another long passphrase")).status).to.equal(200);
    });

    it("checks at most 5 of 25 parallel wrong current passwords", async () => {
      const agent = await buildAgent(t);
      const address = freshAddress();
      const client = await signInAt(t, agent, address);
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => change(client, address, `guess-${i}`)),
      );
      const counts = tally(answers.map((res) => res.status));
      expect(counts[400] ?? 0, JSON.stringify(counts)).to.be.at.most(ACCOUNT_GUESSES);
      expect((counts[400] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).to.equal(25);
    });
  });

  describe("T35 throttle-race: wrong ticket links are counted before the lookup", () => {
    it("looks up at most 50 of 400 parallel wrong link tokens from one address", async function () {
      this.timeout(60_000);
      const address = freshAddress();
      const answers = await burst(
        t.url,
        Array.from({ length: 400 }, () => `/api/portal/tickets/${wellFormedToken()}`),
        { "X-Forwarded-For": address },
      );
      const counts = tally(answers.map((res) => res.status));
      expect(counts[404] ?? 0, JSON.stringify(counts)).to.be.at.most(LINK_GUESSES);
      expect((counts[404] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).to.equal(400);
      const refused = answers.find((res) => res.status === 429)!;
      expect(refused.body?.error?.code).to.equal("rate_limited");
      expect(Number(refused.headers["retry-after"])).to.be.greaterThan(0);
    });

    it("answers every one of 200 good link reads sent at once from one address (a carrier NAT)", async function () {
      this.timeout(60_000);
      const tokens = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const created = await request(t.url)
            .post("/api/portal/tickets")
            .send(buildPortalTicket())
            .expect(201);
          return tokenOf(created.body.accessUrl as string);
        }),
      );
      const address = freshAddress();
      const answers = await burst(
        t.url,
        Array.from({ length: 200 }, (_, i) => `/api/portal/tickets/${tokens[i % tokens.length]}`),
        { "X-Forwarded-For": address },
      );
      expect(tally(answers.map((res) => res.status))).to.deep.equal({ 200: 200 });
    });

    it("still looks up at most 50 wrong links when they come mixed with 150 good ones", async function () {
      this.timeout(60_000);
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const token = tokenOf(created.body.accessUrl as string);
      const paths = Array.from({ length: 300 }, (_, i) =>
        i % 2 === 0 ? `/api/portal/tickets/${token}` : `/api/portal/tickets/${wellFormedToken()}`,
      );
      const answers = await burst(t.url, paths, { "X-Forwarded-For": freshAddress() });
      const wrong = tally(answers.filter((_, i) => i % 2 === 1).map((res) => res.status));
      expect(wrong[404] ?? 0, JSON.stringify(wrong)).to.be.at.most(LINK_GUESSES);
      expect((wrong[404] ?? 0) + (wrong[429] ?? 0), JSON.stringify(wrong)).to.equal(150);
      // The good ones are answered or, once the address has used up its failures, refused with it.
      const good = tally(answers.filter((_, i) => i % 2 === 0).map((res) => res.status));
      expect((good[200] ?? 0) + (good[429] ?? 0), JSON.stringify(good)).to.equal(150);
    });

    it("gives the slot back when the link works: good requests leave the allowance whole", async function () {
      this.timeout(60_000);
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const token = tokenOf(created.body.accessUrl as string);
      const address = freshAddress();
      const good = await burst(t.url, Array<string>(40).fill(`/api/portal/tickets/${token}`), {
        "X-Forwarded-For": address,
      });
      expect(good.map((res) => res.status)).to.deep.equal(Array<number>(40).fill(200));
      for (let i = 0; i < LINK_GUESSES; i++) {
        await request(t.url)
          .get(`/api/portal/tickets/${wellFormedToken()}`)
          .set("X-Forwarded-For", address)
          .expect(404);
      }
      await request(t.url)
        .get(`/api/portal/tickets/${token}`)
        .set("X-Forwarded-For", address)
        .expect(429);
    });
  });
}
