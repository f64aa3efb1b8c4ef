import type { UserDto } from "../../../shared/contracts/http/tickets";
import { getJson, postJson } from "./http";

// The auth endpoints arrive with the auth module; these shapes are PRODUCT.md's and move to
// shared/contracts/http when the server declares them there.

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

/** Fetches a CSRF token for the session (creating the session cookie if there is none). */
export async function fetchCsrfToken(signal?: AbortSignal): Promise<string> {
  const { token } = await getJson<CsrfResponse>("/api/auth/csrf", { signal });
  return token;
}

/** Signs an agent in: CSRF token first, then the login with it. */
export async function login(credentials: Credentials, signal?: AbortSignal): Promise<UserDto> {
  const csrfToken = await fetchCsrfToken(signal);
  const { user } = await postJson<LoginResponse>("/api/auth/login", credentials, {
    csrfToken,
    signal,
  });
  return user;
}
