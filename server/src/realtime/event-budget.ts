/** What to do with a client event: handle it, refuse it, or give up on the socket. */
export type Verdict = "ok" | "refused" | "abusive";

export interface BudgetPolicy {
  /** Events a socket may send at once. */
  burst: number;
  /** Events per second it may keep sending. */
  perSecond: number;
  /** Refusals in a row (no event allowed in between) after which the socket is cut off. */
  abusiveAfter: number;
}

/**
 * A token bucket of one socket's client events (see docs/SECURITY.md, T38). It lives and dies with
 * its socket, in the process that holds the connection, so it needs no shared store; the HTTP
 * limiters (express-rate-limit) count requests per key instead and fit this badly.
 */
export class EventBudget {
  private tokens: number;
  private at: number;
  private refusedInARow = 0;

  constructor(
    private readonly policy: BudgetPolicy,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = policy.burst;
    this.at = now();
  }

  /** Spends one event of the budget. */
  take(): Verdict {
    const now = this.now();
    const { burst, perSecond, abusiveAfter } = this.policy;
    this.tokens = Math.min(burst, this.tokens + ((now - this.at) / 1000) * perSecond);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return "ok";
    }
    this.refusedInARow += 1;
    return this.refusedInARow > abusiveAfter ? "abusive" : "refused";
  }
}
