import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ApiErrorBody } from "../../../shared/errors";
import { AppError, NotFoundError, ValidationError } from "../errors/app-error";
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

/** What a page address that cannot be decoded shows: plain, inert, and no stack. */
const MALFORMED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head>
<body><h1>This address is not valid</h1>
<p>Part of it is not encoded correctly. Check the link you followed, or <a href="/portal">open the portal</a>.</p>
</body></html>
`;

/**
 * Refuses a URL whose path does not percent-decode (`/api/tickets/%E0%A4%A`) before any router
 * or static handler tries to decode it: the router's URIError is a client mistake, not a
 * server fault (it would be a 500 and a stack in the log). API paths get the usual JSON 400,
 * pages a short HTML 400.
 */
export const malformedUrlGuard: RequestHandler = (req, res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    if (req.path.toLowerCase().startsWith("/api/")) {
      next(
        new ValidationError("The address is not valid", [
          { path: "url", message: "has malformed percent-encoding" },
        ]),
      );
      return;
    }
    res.status(400).type("html").setHeader("Cache-Control", "no-store");
    res.send(MALFORMED_PAGE);
    return;
  }
  next();
};

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
    if (!req.complete) {
      // Refused before its body was read (a wrong link, a limit, a declared size over the
      // limit): close the connection rather than read the rest of the body to keep it alive.
      res.setHeader("Connection", "close");
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
