import type { RequestHandler } from "express";
import { MemoryStore, ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AugmentedRequest, Options } from "express-rate-limit";
import { AppError } from "../errors/app-error";

interface LimitOptions {
  windowMs: number;
  limit: number;
  message: string;
}

/** A per-IP rate limit answering 429 `rate_limited` with Retry-After; none when limit is 0. */
export function perIpLimit({ windowMs, limit, message }: LimitOptions): RequestHandler[] {
  if (limit === 0) {
    return [];
  }
  return [
    rateLimit({
      windowMs,
      limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (req, _res, next, options) => {
        const reset = (req as AugmentedRequest).rateLimit?.resetTime;
        const retryAfter = Math.max(
          1,
          Math.ceil(reset ? (reset.getTime() - Date.now()) / 1000 : options.windowMs / 1000),
        );
        next(new AppError("rate_limited", message, { retryAfter }));
      },
    }),
  ];
}

interface FailureLimitOptions {
  windowMs: number;
  limit: number;
  /** The answer that counts as a failure (404 for a wrong link token). */
  status: number;
  message: string;
}

/**
 * Limits failures rather than requests: an IP is refused (429) once it has had `limit` answers
 * with `status` in the window, however many good requests it makes. Counting happens when the
 * answer is known, so a burst of valid requests is never mistaken for guessing.
 */
export function perIpFailureLimit({
  windowMs,
  limit,
  status,
  message,
}: FailureLimitOptions): RequestHandler[] {
  if (limit === 0) {
    return [];
  }
  const store = new MemoryStore();
  store.init({ windowMs } as Options);
  return [
    (req, res, next) => {
      const key = ipKeyGenerator(req.ip ?? "unknown");
      store.get(key).then(
        (info) => {
          if (info !== undefined && info.totalHits >= limit) {
            const retryAfter = Math.max(
              1,
              Math.ceil(((info.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000),
            );
            next(new AppError("rate_limited", message, { retryAfter }));
            return;
          }
          res.on("finish", () => {
            if (res.statusCode === status) {
              void store.increment(key);
            }
          });
          next();
        },
        (error: unknown) => next(error),
      );
    },
  ];
}
