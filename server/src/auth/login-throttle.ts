import { AppError } from "../errors/app-error";

/** How failed password checks slow down further tries; see LoginThrottle. */
export interface ThrottlePolicy {
  /** Failures within the window before the first wait. */
  freeFailures: number;
  windowMs: number;
  /** The first wait; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
};

export const IP_POLICY: ThrottlePolicy = {
  freeFailures: 30,
  windowMs: 15 * 60_000,
  baseDelayMs: 60_000,
  maxDelayMs: 15 * 60_000,
};

export interface ThrottleEntry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

/**
 * A failure counted in advance by `reserve`: what `release` needs to take exactly this one back
 * (the window it was counted in, and the wait it set, if any).
 */
export interface ThrottleSlot {
  firstAt: number;
  blockedUntil: number;
  previousBlockedUntil: number;
}

/** What `reserve` decided: a slot, or how long the key must still wait. */
export type Reservation = { slot: ThrottleSlot } | { waitMs: number };

/**
 * Where failure counts live: this process's memory, or Redis so that every server process
 * applies the same limits. Each method is one atomic step on the store, so parallel requests
 * can never read the same count. A store that fails makes the check fail (503), never skip it.
 */
export interface ThrottleStore {
  /** Counts a failure now, unless the key must wait (see `reserveEntry`). */
  reserve(key: string, policy: ThrottlePolicy, now: number): Promise<Reservation>;
  /** Takes back a failure counted by `reserve` (see `releaseEntry`). */
  release(key: string, policy: ThrottlePolicy, slot: ThrottleSlot): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * The reservation rule, shared by every store (Redis runs the same steps in a script): an entry
 * whose window and wait are both over starts again; while a wait runs nothing is counted and
 * the answer is the wait; otherwise one more failure is counted, and from the `freeFailures`-th
 * on it sets a wait that doubles with each failure. `ttlMs` is how long the entry can matter.
 */
export function reserveEntry(
  found: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  now: number,
): { reservation: Reservation; entry?: ThrottleEntry; ttlMs?: number } {
  const live =
    found !== undefined && (now - found.firstAt <= policy.windowMs || now < found.blockedUntil);
  const entry = live ? { ...found } : { failures: 0, firstAt: now, blockedUntil: 0 };
  if (entry.blockedUntil > now) {
    return { reservation: { waitMs: entry.blockedUntil - now } };
  }
  const previousBlockedUntil = entry.blockedUntil;
  entry.failures += 1;
  const over = entry.failures - policy.freeFailures;
  if (over >= 0) {
    entry.blockedUntil = now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** over);
  }
  const ttlMs = Math.max(entry.firstAt + policy.windowMs, entry.blockedUntil) - now;
  return {
    reservation: {
      slot: { firstAt: entry.firstAt, blockedUntil: entry.blockedUntil, previousBlockedUntil },
    },
    entry,
    ttlMs: Math.max(1000, ttlMs + policy.maxDelayMs),
  };
}

/**
 * The release rule: the entry loses the failure counted for `slot`, as if it had never been
 * counted. Nothing changes if the entry has started a new window since. Below `freeFailures`
 * there is no wait; at or above, the wait this slot set (if it is still the current one) goes
 * back to the one before it. `null` means the entry is empty and can go.
 */
export function releaseEntry(
  found: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  slot: ThrottleSlot,
): ThrottleEntry | null | undefined {
  if (found === undefined || found.firstAt !== slot.firstAt) {
    return undefined;
  }
  const entry = { ...found, failures: found.failures - 1 };
  if (entry.failures <= 0) {
    return null;
  }
  if (entry.failures < policy.freeFailures) {
    entry.blockedUntil = 0;
  } else if (entry.blockedUntil === slot.blockedUntil) {
    entry.blockedUntil = slot.previousBlockedUntil;
  }
  return entry;
}

/** Counts in this process; each method reads and writes its entry in one synchronous step. */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, { entry: ThrottleEntry; expiresAt: number }>();

  reserve(key: string, policy: ThrottlePolicy, now: number): Promise<Reservation> {
    const { reservation, entry, ttlMs } = reserveEntry(this.live(key), policy, now);
    if (entry !== undefined && ttlMs !== undefined) {
      this.entries.set(key, { entry, expiresAt: Date.now() + ttlMs });
      this.sweep();
    }
    return Promise.resolve(reservation);
  }

  release(key: string, policy: ThrottlePolicy, slot: ThrottleSlot): Promise<void> {
    const found = this.entries.get(key);
    const entry = releaseEntry(this.live(key), policy, slot);
    if (entry === null) {
      this.entries.delete(key);
    } else if (entry !== undefined && found !== undefined) {
      this.entries.set(key, { entry, expiresAt: found.expiresAt });
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  private live(key: string): ThrottleEntry | undefined {
    const found = this.entries.get(key);
    if (found !== undefined && found.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return found?.entry;
  }

  private sweep(): void {
    if (this.entries.size > 100_000) {
      const now = Date.now();
      for (const [k, v] of this.entries) {
        if (v.expiresAt <= now) {
          this.entries.delete(k);
        }
      }
    }
  }
}

/**
 * Counts failed password checks per key (an account's email, a client IP). After
 * `freeFailures` in the window every further try waits, the wait doubling per failure: answered
 * 429 with Retry-After whether or not the password is right, so guessing gains nothing. There
 * is no permanent lock: once the wait is over the real user gets in, and success clears the
 * account's count. Every try is counted before its password is checked (see PasswordGuard).
 */
export class LoginThrottle {
  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly store: ThrottleStore,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a failure for `key` in advance; or the wait, when it may not try now. */
  reserve(key: string): Promise<Reservation> {
    return this.store.reserve(this.prefix + key, this.policy, this.now());
  }

  /** Takes back a failure counted by `reserve` (the try did not fail). */
  release(key: string, slot: ThrottleSlot): Promise<void> {
    return this.store.release(this.prefix + key, this.policy, slot);
  }

  /** Forgets every failure of `key`. */
  clear(key: string): Promise<void> {
    return this.store.delete(this.prefix + key);
  }
}

/** Who a password check is for: the account it names and the address it comes from. */
export interface GuessKeys {
  account: string;
  ip: string;
}

/**
 * Runs password checks (sign-in, an agent's current password) under the account and address
 * throttles, counting each as a failure before it runs: parallel tries can never all read the
 * same count and all be checked. A right password then clears the account's count and gives the
 * address its slot back; a wrong one leaves both counted.
 */
export class PasswordGuard {
  constructor(
    readonly account: LoginThrottle,
    readonly ip: LoginThrottle,
  ) {}

  /**
   * Resolves what `verify` resolves (`false`: wrong password). Throws 429 `rate_limited` with
   * Retry-After without calling `verify` while the account or the address must wait, and 503
   * when the counts cannot be reached.
   */
  async check<T>(keys: GuessKeys, verify: () => Promise<T | false>): Promise<T | false> {
    const [account, ip] = await Promise.allSettled([
      this.account.reserve(keys.account),
      this.ip.reserve(keys.ip),
    ]);
    const accountSlot = account.status === "fulfilled" ? slotOf(account.value) : undefined;
    const ipSlot = ip.status === "fulfilled" ? slotOf(ip.value) : undefined;
    if (accountSlot === undefined || ipSlot === undefined) {
      // Not checked, so not a failure: the slot one throttle did grant goes back.
      await this.giveBack(keys, accountSlot, ipSlot);
      for (const result of [account, ip]) {
        if (result.status === "rejected") {
          throw result.reason;
        }
      }
      const waitMs = Math.max(waitOf(account), waitOf(ip));
      throw new AppError("rate_limited", "Too many wrong passwords; wait and try again", {
        retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
    let outcome: T | false;
    try {
      outcome = await verify();
    } catch (error) {
      await this.giveBack(keys, accountSlot, ipSlot);
      throw error;
    }
    if (outcome !== false) {
      await Promise.all([this.account.clear(keys.account), this.ip.release(keys.ip, ipSlot)]);
    }
    return outcome;
  }

  private async giveBack(
    keys: GuessKeys,
    accountSlot: ThrottleSlot | undefined,
    ipSlot: ThrottleSlot | undefined,
  ): Promise<void> {
    // Best effort: a store that fails here has already failed the request.
    await Promise.allSettled([
      accountSlot && this.account.release(keys.account, accountSlot),
      ipSlot && this.ip.release(keys.ip, ipSlot),
    ]);
  }
}

function slotOf(reservation: Reservation): ThrottleSlot | undefined {
  return "slot" in reservation ? reservation.slot : undefined;
}

function waitOf(result: PromiseSettledResult<Reservation>): number {
  return result.status === "fulfilled" && "waitMs" in result.value ? result.value.waitMs : 0;
}
