import { randomInt } from "node:crypto";
import { luhnCheckDigit } from "../shared/domain/imei";

/** A signed-in agent over plain fetch: the session cookie and its CSRF token. */
export interface AgentSession {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
}

function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export async function signIn(url: string, email: string, password: string): Promise<AgentSession> {
  const pre = await fetch(`${url}/api/auth/csrf`);
  const preCookie = cookieFrom(pre);
  const { token } = (await pre.json()) as { token: string };
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": token, Cookie: preCookie },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) {
    throw new Error(`login failed: ${login.status} ${await login.text()}`);
  }
  const cookie = cookieFrom(login);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    get: (path) => fetch(`${url}${path}`, { headers: { Cookie: cookie } }),
  };
}

export function randomImei(tac = "86927102"): string {
  const first14 = `${tac}${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

let sequence = 0;
/** A portal ticket body; one in five reuses a returning customer. */
export function portalBody(): string {
  sequence += 1;
  const returning = sequence % 5 === 0;
  return JSON.stringify({
    name: "Bench Customer",
    email: returning
      ? `regular-${sequence % 50}@example.com`
      : `bench-${process.pid}-${sequence}@example.com`,
    imei: randomImei(),
    category: "network",
    subject: "No LTE on T-Mobile since the update",
    description: "The phone shows H+ only. VoLTE is off. Bought from the carrier in March.",
  });
}
