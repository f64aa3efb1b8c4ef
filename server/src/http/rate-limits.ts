import type { Request, RequestHandler, Response } from "express";
import { MemoryStore, ipKeyGenerator, rateLimit } from "express-rate-limit";
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

/** This process's requests of one key that hold a slot, and those waiting for one to settle. */
interface KeyState {
  running: number;
  waiting: (() => void)[];
}

/**
 * Limits failures rather than requests: an IP is refused (429) once it has had `limit` answers
 * with `status` in the window, however many good requests it makes.
 *
 * Every request takes a slot before it runs (one atomic increment in the store) and gives it back
 * once its answer is anything but `status`; a request cut off before its answer keeps it (it may
 * have been looked up). So parallel guesses can never all see the same count: at most `limit` are
 * in flight or failed at any time. A request that finds no free slot while requests of its
 * address are still running here waits for one of them to settle rather than being refused: a
 * burst of good requests from one address (customers behind a carrier's NAT) is slowed to
 * `limit` at a time, never answered 429 for the others' sake. Only when nothing of the address is
 * running and the slots are still taken (failures) is it refused.
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
  void Promise.resolve(store.init?.({ windowMs } as Parameters<NonNullable<Store["init"]>>[0]));
  const local = new Map<string, KeyState>();

  const settle = (key: string, state: KeyState) => {
    state.running -= 1;
    const waiting = state.waiting.splice(0);
    if (state.running === 0 && waiting.length === 0) {
      local.delete(key);
    }
    for (const wake of waiting) {
      wake();
    }
  };

  /** Takes a slot for `key` (then true), or answers when the address must be refused. */
  const takeSlot = async (key: string, res: Response): Promise<true | Date | undefined | null> => {
    for (;;) {
      const { totalHits, resetTime } = await store.increment(key);
      if (totalHits <= limit) {
        return true;
      }
      await store.decrement(key);
      const state = local.get(key);
      if (state === undefined || state.running === 0) {
        return resetTime;
      }
      await new Promise<void>((resolve) => state.waiting.push(resolve));
      if (res.writableEnded || res.destroyed) {
        // The client went away while it waited: nothing to answer, no slot taken.
        return null;
      }
    }
  };

  const limiter: RequestHandler = (req, res, next) => {
    const key = ipKeyGenerator(req.ip ?? "");
    takeSlot(key, res).then(
      (slot) => {
        if (slot === null) {
          return;
        }
        if (slot !== true) {
          const retryAfter = Math.max(
            1,
            Math.ceil(slot ? (slot.getTime() - Date.now()) / 1000 : windowMs / 1000),
          );
          next(new AppError("rate_limited", message, { retryAfter }));
          return;
        }
        const state = local.get(key) ?? { running: 0, waiting: [] };
        local.set(key, state);
        state.running += 1;
        let settled = false;
        const done = (answered: boolean) => {
          if (settled) {
            return;
          }
          settled = true;
          const giveBack =
            answered && res.statusCode !== status
              ? Promise.resolve()
                  .then(() => store.decrement(key))
                  .catch(() => undefined)
              : Promise.resolve();
          void giveBack.then(() => settle(key, state));
        };
        res.once("finish", () => done(true));
        res.once("close", () => done(res.writableFinished));
        next();
      },
      // An unreachable shared store lets the request through, as perIpLimit does.
      () => next(),
    );
  };
  return [limiter];
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
