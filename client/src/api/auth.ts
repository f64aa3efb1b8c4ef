import type { LoginBody } from "../../../shared/contracts/http/auth";
import type { UserDto } from "../../../shared/contracts/http/tickets";
import { ApiError, callApi, setCsrfToken } from "./http";

/** `POST /api/auth/login` body. */
export type Credentials = LoginBody;

/**
 * Fetches the CSRF token: the session's when signed in; signed out, the sign-in form's (bound
 * to a cookie the answer sets; no session exists until sign-in).
 */
export async function fetchCsrfToken(signal?: AbortSignal): Promise<string> {
  const { token } = await callApi("GET /auth/csrf", { signal });
  setCsrfToken(token);
  return token;
}

/**
 * Signs an agent in: a CSRF token first, then the login with it. The session id changes at
 * login, so the token the login answers with is the one to use from then on.
 */
export async function login(credentials: Credentials, signal?: AbortSignal): Promise<UserDto> {
  const preLoginToken = await fetchCsrfToken(signal);
  const { user, csrfToken } = await callApi("POST /auth/login", {
    body: credentials,
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
    const { user } = await callApi("GET /auth/me", {
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
    await callApi("POST /auth/logout", { expectUnauthenticated: true });
  } finally {
    setCsrfToken(null);
  }
}
