import type { Request, RequestHandler, Response } from "express";
import { MemoryStore, rateLimit } from "express-rate-limit";
import type { AugmentedRequest, Store } from "express-rate-limit";
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
 * with `status` in the window, however many good requests it makes. Every request is counted
 * before it runs (one atomic increment in the store), and its count is given back once its
 * answer is anything but `status`: parallel guesses can never all see the same count and all be
 * looked up. So at most `limit` requests of an IP are in flight or failed at any time.
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
  return [
    rateLimit({
      windowMs,
      limit,
      standardHeaders: false,
      legacyHeaders: false,
      store: stores(`greydesk:limit:${name}:`),
      // An unreachable shared store lets the request through, as perIpLimit does.
      passOnStoreError: true,
      // A request cut off before its answer keeps its count: it may have been looked up.
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== status,
      handler: (req, _res, next) => {
        const reset = (req as AugmentedRequest).rateLimit?.resetTime;
        const retryAfter = Math.max(
          1,
          Math.ceil(reset ? (reset.getTime() - Date.now()) / 1000 : windowMs / 1000),
        );
        next(new AppError("rate_limited", message, { retryAfter }));
      },
    }),
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
