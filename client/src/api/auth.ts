import type { UserDto } from "../../../shared/contracts/http/tickets";
import { ApiError, getJson, postJson, setCsrfToken } from "./http";

// The auth endpoints (README.md, "HTTP API"); the response shapes move to shared/contracts/http when the server
// declares them there.

/** `GET /api/auth/csrf`. */
export interface CsrfResponse {
  token: string;
}

/** `POST /api/auth/login` answer; the session is new, so is its CSRF token. */
export interface LoginResponse {
  user: UserDto;
  csrfToken: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * Fetches the CSRF token: the session's when signed in; signed out, the sign-in form's (bound
 * to a cookie the answer sets; no session exists until sign-in).
 */
export async function fetchCsrfToken(signal?: AbortSignal): Promise<string> {
  const { token } = await getJson<CsrfResponse>("/api/auth/csrf", { signal });
  setCsrfToken(token);
  return token;
}

/**
 * Signs an agent in: a CSRF token first, then the login with it. The session id changes at
 * login, so the token the login answers with is the one to use from then on.
 */
export async function login(credentials: Credentials, signal?: AbortSignal): Promise<UserDto> {
  const preLoginToken = await fetchCsrfToken(signal);
  const { user, csrfToken } = await postJson<LoginResponse>("/api/auth/login", credentials, {
    csrfToken: preLoginToken,
    signal,
    expectUnauthenticated: true,
  });
  setCsrfToken(csrfToken);
  return user;
}

/** The signed-in agent, or null when there is no session. */
export async function fetchMe(signal?: AbortSignal): Promise<UserDto | null> {
  try {
    const { user } = await getJson<{ user: UserDto }>("/api/auth/me", {
      signal,
      expectUnauthenticated: true,
    });
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.code === "authentication_required") {
      return null;
    }
    throw error;
  }
}

/** Ends the session (and, on the server, its sockets). */
export async function logout(): Promise<void> {
  try {
    await postJson<undefined>("/api/auth/logout", undefined, { expectUnauthenticated: true });
  } finally {
    setCsrfToken(null);
  }
}
