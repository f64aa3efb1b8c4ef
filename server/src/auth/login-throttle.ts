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

export interface ThrottleEntry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

/**
 * Where failure counts live: this process's memory, or Redis so that every server process
 * applies the same limits. A store that fails makes sign-in fail (503), never skip the check.
 */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleEntry | undefined>;
  set(key: string, entry: ThrottleEntry, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, { entry: ThrottleEntry; expiresAt: number }>();

  get(key: string): Promise<ThrottleEntry | undefined> {
    const found = this.entries.get(key);
    if (found !== undefined && found.expiresAt <= Date.now()) {
      this.entries.delete(key);
    }
    return Promise.resolve(found && found.expiresAt > Date.now() ? found.entry : undefined);
  }

  set(key: string, entry: ThrottleEntry, ttlMs: number): Promise<void> {
    this.entries.set(key, { entry, expiresAt: Date.now() + ttlMs });
    if (this.entries.size > 100_000) {
      const now = Date.now();
      for (const [k, v] of this.entries) {
        if (v.expiresAt <= now) {
          this.entries.delete(k);
        }
      }
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

/**
 * Counts failed sign-ins per key (an account's email, a client IP). After `freeFailures` in the
 * window every further try waits, the wait doubling per failure: answered 429 with Retry-After
 * whether or not the password is right, so guessing gains nothing. There is no permanent lock:
 * once the wait is over the real user signs in, and success clears the account's count.
 */
export class LoginThrottle {
  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly store: ThrottleStore,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the key must still wait, or 0 when it may try now. */
  async retryAfter(key: string): Promise<number> {
    const entry = await this.current(key);
    if (entry === undefined) {
      return 0;
    }
    const wait = entry.blockedUntil - this.now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  async fail(key: string): Promise<void> {
    const now = this.now();
    const entry = (await this.current(key)) ?? { failures: 0, firstAt: now, blockedUntil: 0 };
    entry.failures += 1;
    const over = entry.failures - this.policy.freeFailures;
    if (over >= 0) {
      const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** over);
      entry.blockedUntil = now + delay;
    }
    // Kept as long as it can matter: the window, or the wait if that ends later.
    const ttl = Math.max(entry.firstAt + this.policy.windowMs, entry.blockedUntil) - now;
    await this.store.set(this.prefix + key, entry, Math.max(1000, ttl + this.policy.maxDelayMs));
  }

  async succeed(key: string): Promise<void> {
    await this.store.delete(this.prefix + key);
  }

  private async current(key: string): Promise<ThrottleEntry | undefined> {
    const entry = await this.store.get(this.prefix + key);
    if (entry === undefined) {
      return undefined;
    }
    const now = this.now();
    if (now - entry.firstAt > this.policy.windowMs && now >= entry.blockedUntil) {
      return undefined;
    }
    return entry;
  }
}
