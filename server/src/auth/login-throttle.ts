/** How failed sign-ins slow down further tries; see LoginThrottle. */
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

interface Entry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

/**
 * Counts failed sign-ins per key (an account's email, a client IP). After `freeFailures` in the
 * window every further try waits, the wait doubling per failure: answered 429 with Retry-After
 * whether or not the password is right, so guessing gains nothing. There is no permanent lock:
 * once the wait is over the real user signs in, and success clears the account's count.
 * Kept in this process's memory; several processes each apply the same limits.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the key must still wait, or 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.current(key);
    if (entry === undefined) {
      return 0;
    }
    const wait = entry.blockedUntil - this.now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  fail(key: string): void {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, firstAt: now, blockedUntil: 0 };
    entry.failures += 1;
    const over = entry.failures - this.policy.freeFailures;
    if (over >= 0) {
      const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** over);
      entry.blockedUntil = now + delay;
    }
    this.entries.set(key, entry);
    if (this.entries.size > 100_000) {
      this.sweep();
    }
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    const now = this.now();
    if (now - entry.firstAt > this.policy.windowMs && now >= entry.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of [...this.entries.keys()]) {
      this.current(key);
    }
  }
}
