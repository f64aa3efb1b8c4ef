import type { Request, RequestHandler, Response } from "express";
import { MemoryStore, ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AugmentedRequest, Options, Store } from "express-rate-limit";
import { AppError } from "../errors/app-error";

/**
 * Makes the counter store of a limit: in memory for one process, or shared (Redis) so several
 * processes count together. `prefix` keeps each limit's keys apart.
 */
export type LimitStoreFactory = (prefix: string) => Store;

export const memoryStores: LimitStoreFactory = () => new MemoryStore();

interface LimitOptions {
  name: string;
  windowMs: number;
  limit: number;
  message: string;
  stores?: LimitStoreFactory;
}

/**
 * A per-IP rate limit answering 429 `rate_limited` with Retry-After; none when limit is 0. If a
 * shared store is unreachable the request passes: these limits protect against floods, and a
 * customer must still be able to open a ticket while Redis restarts.
 */
export function perIpLimit({
  name,
  windowMs,
  limit,
  message,
  stores = memoryStores,
}: LimitOptions): RequestHandler[] {
  if (limit === 0) {
    return [];
  }
  return [
    rateLimit({
      windowMs,
      limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      store: stores(`greydesk:limit:${name}:`),
      passOnStoreError: true,
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

interface FailureLimitOptions extends LimitOptions {
  /** The answer that counts as a failure (404 for a wrong link token). */
  status: number;
}

/**
 * Limits failures rather than requests: an IP is refused (429) once it has had `limit` answers
 * with `status` in the window, however many good requests it makes. Counting happens when the
 * answer is known, so a burst of valid requests is never mistaken for guessing.
 */
export function perIpFailureLimit({
  name,
  windowMs,
  limit,
  status,
  message,
  stores = memoryStores,
}: FailureLimitOptions): RequestHandler[] {
  if (limit === 0) {
    return [];
  }
  const store = stores(`greydesk:limit:${name}:`);
  void store.init?.({ windowMs } as Options);
  return [
    (req, res, next) => {
      const key = ipKeyGenerator(req.ip ?? "unknown");
      const count = () => {
        res.on("finish", () => {
          if (res.statusCode === status) {
            Promise.resolve(store.increment(key)).catch(() => undefined);
          }
        });
        next();
      };
      Promise.resolve(store.get?.(key)).then(
        (info) => {
          if (info !== undefined && info.totalHits >= limit) {
            const retryAfter = Math.max(
              1,
              Math.ceil(((info.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000),
            );
            next(new AppError("rate_limited", message, { retryAfter }));
            return;
          }
          count();
        },
        // An unreachable shared store lets the request through, as perIpLimit does.
        () => count(),
      );
    },
  ];
}

interface KeyedLimitOptions extends LimitOptions {
  /**
   * What is counted, e.g. the ticket a link opens (set on `res.locals` by a check before the
   * limit). A request without a key is not counted by this limit.
   */
  key: (req: Request, res: Response) => string | undefined;
}

/**
 * A rate limit per key rather than per IP: `limit` requests per key in the window, then 429
 * `rate_limited` with Retry-After; none when limit is 0. A ticket's limit holds however many
 * addresses its link is used from. Shared stores and store errors behave as in perIpLimit.
 */
export function perKeyLimit({
  name,
  windowMs,
  limit,
  message,
  key,
  stores = memoryStores,
}: KeyedLimitOptions): RequestHandler[] {
  if (limit === 0) {
    return [];
  }
  return [
    rateLimit({
      windowMs,
      limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      store: stores(`greydesk:limit:${name}:`),
      passOnStoreError: true,
      skip: (req, res) => key(req, res) === undefined,
      keyGenerator: (req, res) => key(req, res) ?? "",
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
