import { randomBytes, randomUUID } from "node:crypto";
import request from "supertest";
import type { Role } from "../../shared/domain/enums";
import { Agent } from "../../server/src/modules/agents/agent.entity";
import { hashPassword } from "../../server/src/modules/agents/passwords";
import type { TestServer } from "./test-server";

export interface TestAgent {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Creates an agent (or admin) straight in the database, with a random email and password. */
export async function buildAgent(
  t: TestServer,
  role: Role = "agent",
  name = "Riley Agent",
): Promise<TestAgent> {
  const agent: TestAgent = {
    id: randomUUID(),
    email: `agent-${randomBytes(5).toString("hex")}@desk.example`,
    name,
    role,
    password: `pw-${randomBytes(12).toString("hex")}`,
  };
  const now = new Date();
  await t.server.db.transaction(async (em) =>
    em.getRepository(Agent).insert({
      id: agent.id,
      email: agent.email,
      name: agent.name,
      role: agent.role,
      passwordHash: await hashPassword(agent.password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return agent;
}

/** A browser-like client: keeps its cookies and sends the CSRF token on unsafe requests. */
export interface SignedIn {
  agent: TestAgent;
  /** supertest agent with the session cookie. */
  http: ReturnType<typeof request.agent>;
  csrf: string;
  /** The raw Cookie header value, to replay after logout. */
  cookie: string;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
}

/** Signs `agent` in through the real endpoints (GET csrf, POST login). */
export async function signIn(t: TestServer, agent: TestAgent): Promise<SignedIn> {
  const http = request.agent(t.url);
  const pre = await http.get("/api/auth/csrf").expect(200);
  const login = await http
    .post("/api/auth/login")
    .set("X-CSRF-Token", pre.body.token as string)
    .send({ email: agent.email, password: agent.password })
    .expect(200);
  const setCookie = ([] as string[]).concat(login.headers["set-cookie"] ?? []);
  const cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
  const csrf = login.body.csrfToken as string;
  return {
    agent,
    http,
    csrf,
    cookie,
    get: (path) => http.get(path),
    post: (path, body = {}) => http.post(path).set("X-CSRF-Token", csrf).send(body),
    patch: (path, body = {}) => http.patch(path).set("X-CSRF-Token", csrf).send(body),
  };
}

/** Creates an agent of `role` and signs it in. */
export async function signedInAs(
  t: TestServer,
  role: Role = "agent",
  name?: string,
): Promise<SignedIn> {
  return signIn(t, await buildAgent(t, role, name));
}
