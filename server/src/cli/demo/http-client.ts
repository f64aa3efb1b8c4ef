/**
 * A minimal browser stand-in for the seeding: plain fetch, its own cookie, and the CSRF token
 * sent on every unsafe request, as the console does.
 */

export class DemoHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
    this.name = "DemoHttpError";
  }
}

export interface CallStats {
  requests: number;
}

/**
 * One HTTP conversation: a base URL, its cookies (the session's, and signed out the sign-in
 * form's CSRF nonce) and the CSRF token.
 */
export class HttpClient {
  private readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly stats: CallStats,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("PATCH", path, body);
  }

  /** Signs in through GET /api/auth/csrf and POST /api/auth/login, keeping the new session. */
  async signIn(email: string, password: string): Promise<void> {
    this.cookies.clear();
    const { token } = await this.get<{ token: string }>("/api/auth/csrf");
    this.csrf = token;
    const { csrfToken } = await this.post<{ csrfToken: string }>("/api/auth/login", {
      email,
      password,
    });
    this.csrf = csrfToken;
  }

  /** Ends the session (204), forgetting the cookie either way. */
  async signOut(): Promise<void> {
    if ([...this.cookies.keys()].some((name) => name.endsWith("greydesk.sid"))) {
      await this.post("/api/auth/logout").catch(() => undefined);
    }
    this.cookies.clear();
    this.csrf = null;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (method !== "GET" && this.csrf !== null) {
      headers["x-csrf-token"] = this.csrf;
    }
    this.stats.requests++;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(";")[0];
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      // A cleared cookie (the session's at logout) comes with an empty value.
      if (value === "") {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const text = await response.text();
    if (!response.ok) {
      throw new DemoHttpError(method, path, response.status, text);
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}
