/**
 * A small HTTP client for load and fault tests, on Node's fetch (keep-alive, cheap enough for
 * thousands of requests): keeps cookies like a browser, sends the CSRF token on unsafe requests,
 * times every request, and never throws: a refused or cut connection is status 0 with the
 * error's code, so a test can count it as "not acknowledged".
 */
export interface HttpResult {
  /** The HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
  headers: Headers | null;
  /** Parsed JSON, the text, or (with `raw`) the bytes. */
  body: unknown;
  /** Milliseconds from sending to the whole answer read. */
  ms: number;
  /** For status 0: why (ECONNREFUSED, ECONNRESET, timeout...). */
  error?: string;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Abort (status 0, error "timeout") after this long; default 30 s. */
  timeoutMs?: number;
  /** Read the body as bytes. */
  raw?: boolean;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "timeout";
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") {
    return cause.code;
  }
  if (typeof cause?.message === "string") {
    return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export class HttpClient {
  private readonly cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(public base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.Cookie = this.cookieHeader;
    }
    if (method !== "GET" && method !== "HEAD" && this.csrf !== null) {
      headers["X-CSRF-Token"] = this.csrf;
    }
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      body = options.form;
    }
    const started = performance.now();
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(";");
        const at = pair.indexOf("=");
        this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
      let parsed: unknown;
      if (options.raw) {
        parsed = Buffer.from(await res.arrayBuffer());
      } else {
        const text = await res.text();
        const isJson = (res.headers.get("content-type") ?? "").includes("json");
        parsed = isJson && text !== "" ? JSON.parse(text) : text;
      }
      return {
        status: res.status,
        headers: res.headers,
        body: parsed,
        ms: performance.now() - started,
      };
    } catch (error) {
      return {
        status: 0,
        headers: null,
        body: null,
        ms: performance.now() - started,
        error: errorCode(error),
      };
    }
  }

  get(path: string, options?: RequestOptions): Promise<HttpResult> {
    return this.request("GET", path, options);
  }

  post(path: string, json?: unknown, options?: RequestOptions): Promise<HttpResult> {
    return this.request("POST", path, { ...options, json: json ?? {} });
  }

  patch(path: string, json: unknown, options?: RequestOptions): Promise<HttpResult> {
    return this.request("PATCH", path, { ...options, json });
  }

  /** Signs in through the real endpoints (GET csrf, POST login); keeps the session's token. */
  async signIn(email: string, password: string, timeoutMs?: number): Promise<HttpResult> {
    const pre = await this.get("/api/auth/csrf", { timeoutMs });
    if (pre.status !== 200) {
      return pre;
    }
    this.csrf = (pre.body as { token: string }).token;
    const login = await this.post("/api/auth/login", { email, password }, { timeoutMs });
    if (login.status === 200) {
      this.csrf = (login.body as { csrfToken: string }).csrfToken;
    }
    return login;
  }
}

/** The q-quantile (0..1) of `values`, nearest rank; NaN for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
