import { AsyncLocalStorage } from "node:async_hooks";
import type { QueryRunner } from "typeorm";
import { ServiceUnavailableError } from "../errors/app-error";

/** Whether a unit of work reads only (db.read) or may write (db.transaction). */
export type UnitKind = "read" | "write";

/** How long a unit of work may run before it is given up and rolled back, in milliseconds. */
export interface UnitDeadlines {
  read: number;
  write: number;
}

/**
 * Long enough for any request's work at a million tickets, short enough that a unit stuck on
 * something that never answers frees the SQLite queue (or a PostgreSQL connection) again.
 */
export const DEFAULT_DEADLINES: Readonly<UnitDeadlines> = { read: 30_000, write: 30_000 };

/**
 * db.transaction() or db.read() called while another unit of work runs in the same async flow.
 * On SQLite the inner unit would wait behind the outer one in the queue for ever; it is refused
 * on PostgreSQL too, so the tests of both databases catch it.
 */
export class NestedUnitOfWorkError extends Error {
  constructor(call: "db.transaction()" | "db.read()") {
    super(`${call} called inside a unit of work; pass the EntityManager down instead`);
    this.name = "NestedUnitOfWorkError";
  }
}

/** A unit of work ran past its deadline: nothing of it was kept, and the caller may retry. */
export class UnitDeadlineError extends ServiceUnavailableError {
  constructor(
    readonly kind: UnitKind,
    readonly deadlineMs: number,
  ) {
    super(
      kind === "write"
        ? "This took too long and was not saved, try again"
        : "This took too long, try again",
      2,
    );
    this.name = "UnitDeadlineError";
  }
}

/** A query issued by a unit of work that is over (ran past its deadline, or already returned). */
export class UnitClosedError extends Error {
  constructor(reason: "expired" | "ended") {
    super(
      reason === "expired"
        ? "A unit of work issued a query after its deadline; it was not run"
        : "A unit of work issued a query after it returned; await every query inside the unit",
    );
    this.name = "UnitClosedError";
  }
}

/** One run of a unit of work: whether it may still query, and its queries still in flight. */
export class Unit {
  private state: "running" | "ended" | "expired" = "running";
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly kind: UnitKind,
    readonly deadlineMs: number,
  ) {}

  /** Over and done: what it scheduled to run later (post-commit work) may open units again. */
  get ended(): boolean {
    return this.state === "ended";
  }

  /** Runs one of this unit's queries, unless the unit is over. */
  query<T>(run: () => Promise<T>): Promise<T> {
    if (this.state !== "running") {
      return Promise.reject(new UnitClosedError(this.state));
    }
    const pending = run();
    this.inFlight.add(pending);
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  /**
   * Resolves once no query of this unit is on the connection any more. A unit given up at its
   * deadline may have one statement running; the rollback (and, on SQLite, the next unit) waits
   * for it rather than landing between it and the driver.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  end(): void {
    if (this.state === "running") {
      this.state = "ended";
    }
  }

  expire(): void {
    this.state = "expired";
  }
}

const current = new AsyncLocalStorage<Unit>();

/** Whether the caller runs inside a unit of work that is still going (or was given up). */
export function insideUnit(): boolean {
  const unit = current.getStore();
  return unit !== undefined && !unit.ended;
}

/**
 * Runs `work` outside any unit's context: the queue and the transaction bookkeeping must not
 * inherit the context of whichever caller happened to start them (a post-commit callback of an
 * ended unit, say), or their own queries would be refused as that unit's.
 */
export function outsideUnits<T>(work: () => T): T {
  return current.exit(work);
}

/**
 * Runs `fn` as `unit` until it settles or the unit's deadline passes, whichever comes first; at
 * the deadline the unit is expired (its later queries are refused) and this rejects with a
 * UnitDeadlineError. Only `fn` runs in the unit's context, so what the caller does with the
 * result is outside it.
 */
export async function within<T>(unit: Unit, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      unit.expire();
      reject(new UnitDeadlineError(unit.kind, unit.deadlineMs));
    }, unit.deadlineMs);
  });
  // Promise.race handles a late settling of `fn` too: nothing is left unhandled.
  const work = current.run(unit, async () => fn());
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    unit.end();
  }
}

const guarded = new WeakSet<QueryRunner>();

/**
 * Makes every query of `runner` go through the unit of work it is issued from (if any): refused
 * once the unit is over, tracked while it runs. Queries outside any unit (migrations, the
 * queue's own BEGIN and COMMIT) pass as they are.
 */
export function guardQueries(runner: QueryRunner): QueryRunner {
  if (guarded.has(runner)) {
    return runner;
  }
  const query: QueryRunner["query"] = runner.query.bind(runner);
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    const unit = current.getStore();
    const run = () => query(sql, parameters, structured as true);
    return unit === undefined ? run() : unit.query(run);
  }) as QueryRunner["query"];
  guarded.add(runner);
  return runner;
}
