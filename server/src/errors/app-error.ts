import type { ErrorCode, ErrorDetail } from "../../../shared/errors";
import { ERROR_STATUS } from "../../../shared/errors";

interface AppErrorOptions {
  details?: ErrorDetail[];
  /** Seconds a client should wait before retrying (429 and 503). */
  retryAfter?: number;
  cause?: unknown;
}

/** An error the API answers with its own code and status; anything else becomes a 500. */
export class AppError extends Error {
  readonly status: number;
  readonly details?: ErrorDetail[];
  readonly retryAfter?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[]) {
    super("validation_failed", message, { details });
  }
}

/** What does not exist, and what the caller may not see, look the same. */
export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super("not_found", `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super("conflict", message, { details });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super("forbidden", message);
  }
}

export class AuthenticationError extends AppError {
  constructor(message = "Sign in first") {
    super("authentication_required", message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = "The service is briefly unavailable, try again", retryAfter = 2) {
    super("service_unavailable", message, { retryAfter });
  }
}

/** Anything thrown, as an Error (callback APIs may pass strings or plain objects). */
export function toError(value: unknown): Error {
  if (value instanceof Error) {
    return value;
  }
  return new Error(typeof value === "string" ? value : "Unknown error");
}
