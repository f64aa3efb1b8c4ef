import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../logging/logger";
import { redactUrl } from "../logging/logger";

/** Gives each request an id (echoed as X-Request-Id) and logs it when it ends, token-free. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      logger.info("http", "request", {
        requestId,
        method: req.method,
        url: redactUrl(req.originalUrl),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  };
}
