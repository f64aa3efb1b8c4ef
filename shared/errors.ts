/** Stable error codes of the HTTP API and socket acks (README.md, "HTTP API"). */
export const ERROR_CODES = [
  "validation_failed",
  "authentication_required",
  "csrf_failed",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "rate_limited",
  "service_unavailable",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each error code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  authentication_required: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};

/** One problem with one field; `path` is dotted (`handset.imei`), empty for the body as a whole. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The body of every error response. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    requestId?: string;
  };
}

/** Result envelope of socket acks. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody["error"] };
