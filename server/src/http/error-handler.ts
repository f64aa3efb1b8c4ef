import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ApiErrorBody } from "../../../shared/errors";
import { AppError, NotFoundError } from "../errors/app-error";
import { translateDatabaseError } from "../db/db-errors";
import type { Logger } from "../logging/logger";

function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const type = (error as { type?: unknown }).type;
  if (type === "entity.too.large") {
    return new AppError("payload_too_large", "The request body is too large");
  }
  if (type === "entity.parse.failed") {
    return new AppError("validation_failed", "The request body is not valid JSON", {
      details: [{ path: "", message: "is not valid JSON" }],
    });
  }
  if (
    type === "encoding.unsupported" ||
    type === "charset.unsupported" ||
    type === "request.aborted" ||
    type === "request.size.invalid"
  ) {
    return new AppError("validation_failed", "The request body could not be read");
  }
  return undefined;
}

/** Unknown routes under /api: a JSON 404 like every other error. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError("Route"));
};

/**
 * The one error middleware, registered last. Known errors keep their code and status; anything
 * else is a 500 with a generic message, logged with the request id. No stack ever leaves.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const translated = bodyParserError(error) ?? translateDatabaseError(error);
    const requestId = res.locals.requestId as string | undefined;
    let known: AppError;
    if (translated instanceof AppError) {
      known = translated;
      if (known.status >= 500) {
        logger.warn("http", known.message, { requestId, code: known.code });
      }
    } else {
      logger.error("http", "unhandled error", {
        requestId,
        method: req.method,
        err:
          error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
      });
      known = new AppError("internal_error", "Something went wrong on our side");
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (known.retryAfter !== undefined) {
      res.setHeader("Retry-After", String(known.retryAfter));
    }
    const body: ApiErrorBody = {
      error: {
        code: known.code,
        message: known.message,
        ...(known.details && known.code !== "internal_error" ? { details: known.details } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
    res.status(known.status).json(body);
  };
}
