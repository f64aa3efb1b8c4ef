import { ERROR_CODES } from "../../../shared/errors";
import type { ApiErrorBody, ErrorCode, ErrorDetail } from "../../../shared/errors";
import type { ApiRoute, ResponseOf } from "../../../shared/contracts/http/api";

/**
 * An error answer of the API, parsed from its `{error: {code, message, details}}` body. Callers
 * branch on `code`, never on `message` (which is for people). `status` is 0 when the server could
 * not be reached at all.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly status: number;
  readonly requestId: string | null;

  constructor(init: {
    code: ErrorCode;
    message: string;
    status: number;
    details?: readonly ErrorDetail[];
    requestId?: string | null;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
  }

  /** The message of the first detail about `path` (e.g. `"email"`), if any. */
  detailFor(path: string): string | undefined {
    return this.details.find((detail) => detail.path === path)?.message;
  }
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RequestOptions {
  /**
   * Sent as `X-CSRF-Token`. When left out, unsafe requests send the session's token from
   * {@link setCsrfToken} (fetching one first if there is none).
   */
  csrfToken?: string;
  signal?: AbortSignal;
  /**
   * A 401 here is an answer, not a lost session (the sign-in form, the "am I signed in?" probe):
   * do not tell the {@link onAuthLost} listeners.
   */
  expectUnauthenticated?: boolean;
}

let sessionCsrfToken: string | null = null;
const authLostListeners = new Set<() => void>();

/** Remembers the CSRF token of the current session (from login, or `GET /api/auth/csrf`). */
export function setCsrfToken(token: string | null): void {
  sessionCsrfToken = token;
}

/**
 * Calls `listener` whenever the API answers 401 to a request that expected a session: the session
 * expired, was ended elsewhere, or the agent was disabled. Returns the unsubscribe function.
 */
export function onAuthLost(listener: () => void): () => void {
  authLostListeners.add(listener);
  return () => authLostListeners.delete(listener);
}

const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set(["GET"]);

async function currentCsrfToken(signal?: AbortSignal): Promise<string> {
  if (sessionCsrfToken === null) {
    const { token } = await send<{ token: string }>("GET", "/api/auth/csrf", undefined, {
      signal,
    });
    sessionCsrfToken = token;
  }
  return sessionCsrfToken;
}

const errorCodes: readonly string[] = ERROR_CODES;

function isErrorDetail(value: unknown): value is ErrorDetail {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { path, message } = value as Record<string, unknown>;
  return typeof path === "string" && typeof message === "string";
}

/** Whether `value` has the shape of an API error body (with a code this client knows). */
export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) {
    return false;
  }
  const { code, message, details, requestId } = error as Record<string, unknown>;
  return (
    typeof code === "string" &&
    errorCodes.includes(code) &&
    typeof message === "string" &&
    (details === undefined || (Array.isArray(details) && details.every(isErrorDetail))) &&
    (requestId === undefined || typeof requestId === "string")
  );
}

/** The code to assume when an error answer has no readable body (a proxy's 502 page, say). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "validation_failed";
    case 401:
      return "authentication_required";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 429:
      return "rate_limited";
    case 502:
    case 503:
    case 504:
      return "service_unavailable";
    default:
      return "internal_error";
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError({
      code: response.ok ? "internal_error" : codeForStatus(response.status),
      message: `The server sent an answer that could not be read (HTTP ${response.status})`,
      status: response.status,
    });
  }
}

/** Turns an error answer into an ApiError, trusting its body only when it has the API's shape. */
async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await readJson(response);
  } catch (error) {
    if (error instanceof ApiError) {
      return error;
    }
    throw error;
  }
  if (isApiErrorBody(body)) {
    const { code, message, details, requestId } = body.error;
    return new ApiError({ code, message, details, requestId, status: response.status });
  }
  return new ApiError({
    code: codeForStatus(response.status),
    message: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
    status: response.status,
  });
}

/**
 * Calls the API and returns its JSON answer typed as `T` (the shared contract's response type).
 * Error answers become an {@link ApiError}; so does a failure to reach the server (status 0).
 * An aborted request rejects with the signal's `AbortError`, which callers usually ignore.
 * Unsafe requests carry the session's CSRF token; a `csrf_failed` answer (the token went stale)
 * fetches a new one and tries once more.
 */
async function apiRequest<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  try {
    if (SAFE_METHODS.has(method) || options.csrfToken !== undefined) {
      return await send<T>(method, path, body, options);
    }
    const csrfToken = await currentCsrfToken(options.signal);
    try {
      return await send<T>(method, path, body, { ...options, csrfToken });
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "csrf_failed") {
        throw error;
      }
      sessionCsrfToken = null;
      const fresh = await currentCsrfToken(options.signal);
      return await send<T>(method, path, body, { ...options, csrfToken: fresh });
    }
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === "authentication_required" &&
      options.expectUnauthenticated !== true
    ) {
      for (const listener of [...authLostListeners]) {
        listener();
      }
    }
    throw error;
  }
}

async function send<T>(
  method: HttpMethod,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (options.csrfToken !== undefined) {
    headers["X-CSRF-Token"] = options.csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) {
      throw error;
    }
    throw new ApiError({
      code: "service_unavailable",
      message: "Could not reach Greydesk. Check your connection and try again.",
      status: 0,
    });
  }
  if (!response.ok) {
    throw await toApiError(response);
  }
  return (await readJson(response)) as T;
}

/** The path parameters a route's pattern names (`:id` in `GET /tickets/:id`). */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
type PathParams<R extends ApiRoute> = R extends `${string} ${infer P}` ? ParamNames<P> : never;

/** How to call one route: its path parameters, query, JSON body and request options. */
export type ApiCall<R extends ApiRoute> = RequestOptions & {
  query?: Parameters<typeof queryString>[0];
  body?: unknown;
} & ([PathParams<R>] extends [never]
    ? { params?: undefined }
    : { params: Record<PathParams<R>, string> });

/** `/api` + the route's path with its parameters filled in (encoded). */
export function pathOf<R extends ApiRoute>(
  route: R,
  params: Partial<Record<string, string>> = {},
): string {
  const pattern = route.slice(route.indexOf(" ") + 1);
  const path = pattern.replace(/:([A-Za-z_]+)/g, (_match, name: string) =>
    encodeURIComponent(params[name] ?? ""),
  );
  return `/api${path}`;
}

/**
 * Calls a route of the API by its contract name (`"GET /tickets/:id"`): the answer's type is
 * the one shared/contracts/http/api.ts declares for that route, which the server is tested to
 * send (see docs/CONVENTIONS.md), so no call site names or guesses a response type.
 */
export function callApi<R extends ApiRoute>(
  route: R,
  ...[call]: [PathParams<R>] extends [never] ? [call?: ApiCall<R>] : [call: ApiCall<R>]
): Promise<ResponseOf<R>> {
  const { params, query, body, ...options } = call ?? {};
  const method = route.slice(0, route.indexOf(" ")) as HttpMethod;
  const path = pathOf(route, params) + (query === undefined ? "" : queryString(query));
  return apiRequest<ResponseOf<R>>(method, path, body, options);
}

/**
 * A query string from `params`, leaving out empty values; arrays are comma-separated
 * (`status=new,open`). Starts with `?` unless there is nothing to send.
 */
export function queryString(
  params: Record<string, string | number | readonly string[] | null | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") {
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > 0) {
        search.set(key, value.join(","));
      }
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** Whether `error` is the rejection of an aborted request (not worth showing). */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Any thrown value as an ApiError, so pages have one kind of error to show. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  return new ApiError({
    code: "internal_error",
    message: error instanceof Error ? error.message : "Something went wrong",
    status: 0,
  });
}

/**
 * POSTs one file as multipart/form-data (field `field`) to a route, with the session's CSRF
 * token, through XMLHttpRequest so the caller can draw the upload's progress (`onProgress` gets
 * bytes sent and the total). Resolves with the route's JSON answer; error answers become an
 * {@link ApiError} as with {@link callApi}.
 */
export async function uploadFile<R extends ApiRoute>(
  route: R,
  call: {
    params?: Record<string, string>;
    query?: Parameters<typeof queryString>[0];
    field: string;
    file: File;
    onProgress?: (loaded: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<ResponseOf<R>> {
  const path =
    pathOf(route, call.params) + (call.query === undefined ? "" : queryString(call.query));
  const csrfToken = await currentCsrfToken(call.signal);
  const form = new FormData();
  form.append(call.field, call.file, call.file.name);
  return new Promise<ResponseOf<R>>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        call.onProgress?.(event.loaded, event.total);
      }
    };
    const onAbort = () => xhr.abort();
    call.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => call.signal?.removeEventListener("abort", onAbort);
    xhr.onload = () => {
      done();
      const response = new Response(xhr.responseText === "" ? null : xhr.responseText, {
        status: xhr.status,
        statusText: xhr.statusText,
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        readJson(response).then((body) => resolve(body as ResponseOf<R>), reject);
        return;
      }
      toApiError(response).then((error) => {
        if (error.code === "authentication_required") {
          for (const listener of [...authLostListeners]) {
            listener();
          }
        }
        reject(error);
      }, reject);
    };
    xhr.onerror = () => {
      done();
      reject(
        new ApiError({
          code: "service_unavailable",
          message: "Could not reach Greydesk. Check your connection and try again.",
          status: 0,
        }),
      );
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException("The request was aborted", "AbortError"));
    };
    xhr.send(form);
  });
}
