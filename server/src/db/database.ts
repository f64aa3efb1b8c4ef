import { performance } from "node:perf_hooks";
import sqlite3 from "sqlite3";
import { DataSource } from "typeorm";
import type { EntityManager, QueryRunner } from "typeorm";
import type { DatabaseConfig } from "../config/config";
import { dialectFor } from "./dialect";
import type { Dialect } from "./dialect";
import { entities } from "./entities";
import { migrations } from "./migrations";
import { translateDatabaseError, UniqueClashError } from "./db-errors";
import type { UnitDeadlines } from "./unit-of-work";
import {
  DEFAULT_DEADLINES,
  guardQueries,
  insideUnit,
  NestedUnitOfWorkError,
  outsideUnits,
  Unit,
  within,
} from "./unit-of-work";

export type DatabaseKind = DatabaseConfig["type"];

export interface DatabaseOptions {
  /** How long a unit of work may run; DEFAULT_DEADLINES where not given. */
  deadlines?: Partial<UnitDeadlines>;
}

/** Per call: a deadline other than the database's own for this kind of unit (ms). */
export interface UnitOptions {
  deadlineMs?: number;
}

interface Pending {
  fn: (em: EntityManager) => Promise<unknown>;
  /** When it joined the queue (performance.now()), for the wait it reports. */
  queuedAt: number;
  deadlineMs: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** TypeORM keeps the savepoint depth of a runner to itself; the queue must set it back. */
interface RunnerState {
  transactionDepth: number;
  isTransactionActive: boolean;
}
const stateOf = (runner: QueryRunner): RunnerState => runner as unknown as RunnerState;

/** Told how long each SQLite unit of work waited in the queue before it ran (ms). */
export type QueueWaitObserver = (kind: "read" | "write", waitedMs: number) => void;

/** Units of work committed together at most; a batch is one fsync instead of this many. */
const MAX_BATCH = 64;

/**
 * The one DataSource of a server, with the rules every unit of work follows.
 *
 * TypeORM's SQLite drivers share a single connection, so two overlapping transactions interleave
 * on it and corrupt each other (a plain save issued meanwhile is even rolled back with the other
 * transaction: typeorm#1884; docs/CONVENTIONS.md, "Stack notes"). On SQLite every unit of work therefore goes
 * through one queue, in order: reads run between write batches, never inside one; writes that
 * queued up meanwhile run as one batch, each in its own savepoint (so one failing unit rolls back
 * alone), under a single BEGIN IMMEDIATE ... COMMIT. Every unit of a batch is acknowledged only
 * after that COMMIT returned (group commit: one fsync for the batch, not one per unit).
 * PostgreSQL uses its pool and needs no queue.
 *
 * Two rules keep the queue from stalling, on both databases alike. A unit may not open another
 * (db.transaction or db.read inside a unit throws NestedUnitOfWorkError at once: on SQLite the
 * inner unit would wait for the outer one for ever); pass the EntityManager down instead. And
 * each unit has a deadline: past it the unit is rolled back (on SQLite its savepoint alone) once
 * the statement it has running, if any, has ended; its caller gets a 503, the queue moves on, and
 * any query the unit still issues is refused.
 */
export class Database {
  private readonly writes: Pending[] = [];
  private readonly reads: Pending[] = [];
  private draining: Promise<void> | null = null;
  private waitObserver: QueueWaitObserver | null = null;

  readonly dataSource: DataSource;
  readonly kind: DatabaseKind;
  /** What differs between the two databases (placeholders, dates, locks, search, bulk inserts). */
  readonly dialect: Dialect;
  readonly deadlines: Readonly<UnitDeadlines>;

  /** Describes the connection; nothing connects until open(). */
  constructor(config: DatabaseConfig, options: DatabaseOptions = {}) {
    this.kind = config.type;
    this.dialect = dialectFor(config.type);
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    this.dataSource = new DataSource(
      config.type === "sqlite"
        ? {
            type: "sqlite",
            // TypeORM calls verbose() on the driver, which wraps every call to keep long stack
            // traces: a fifth of the CPU of a busy desk. Handing it a module whose verbose() is
            // the plain driver keeps the traces off.
            driver: { ...sqlite3, verbose: () => sqlite3 },
            database: config.path,
            enableWAL: config.path !== ":memory:",
            busyTimeout: 5000,
            entities,
            migrations,
            synchronize: false,
            migrationsTransactionMode: "each",
          }
        : {
            type: "postgres",
            url: config.url,
            entities,
            migrations,
            synchronize: false,
            migrationsTransactionMode: "each",
            // A request waits at most this long for a pooled connection; then it is a 503.
            extra: { max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 },
          },
    );
    // Every query runner (SQLite's one, each PostgreSQL connection's) checks the unit of work
    // it is called from: a unit that is over may no longer query.
    const driver = this.dataSource.driver;
    const create = driver.createQueryRunner.bind(driver);
    driver.createQueryRunner = (mode) => guardQueries(create(mode));
  }

  /** Connects, applies the connection settings and runs pending migrations. */
  async open(): Promise<void> {
    await this.dataSource.initialize();
    try {
      if (this.kind === "sqlite") {
        await this.configureSqlite();
      }
      await this.dataSource.runMigrations({ transaction: "each" });
    } catch (error) {
      await this.dataSource.destroy();
      throw error;
    }
  }

  private async configureSqlite(): Promise<void> {
    // WAL, busy_timeout and foreign_keys are set by the driver on connect; durability is ours:
    // with FULL, a COMMIT has reached the disk before we acknowledge anything.
    await this.dataSource.query("PRAGMA synchronous = FULL");
    // SQLite's default page cache is 2 MiB: at a million tickets every queue page re-read its
    // index pages from the OS. 32 MiB of cache, and reads through a memory map of the file
    // (shared with the OS page cache, not copied), keep the hot pages a pointer away.
    await this.dataSource.query("PRAGMA cache_size = -32768");
    await this.dataSource.query("PRAGMA mmap_size = 268435456");
    const runner = this.dataSource.driver.createQueryRunner("master");
    const query: QueryRunner["query"] = runner.query.bind(runner);
    // A deferred BEGIN that later writes can fail at once with SQLITE_BUSY when another process
    // (the import CLI, a second server during a restart) holds the write lock; IMMEDIATE takes the
    // lock up front, so busy_timeout applies. The driver reuses this one runner for everything.
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
      query(
        sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql,
        parameters,
        structured as true,
      )) as QueryRunner["query"];
  }

  /**
   * Runs `fn` as one atomic unit of work and resolves once it is durably committed. On SQLite it
   * may share a COMMIT with other units queued at the same time (see the class comment).
   *
   * With `retryOnClash`, a unit that fails on a unique key is run once more from the start: for
   * find-or-create work that reads first and then inserts, where a concurrent writer (PostgreSQL)
   * can create the same row in between; the second run finds it.
   * @throws NestedUnitOfWorkError when called from inside another unit of work.
   * @throws UnitDeadlineError (503) when `fn` runs past the deadline; nothing of it is kept.
   */
  transaction<T>(
    fn: (em: EntityManager) => Promise<T>,
    options: UnitOptions & { retryOnClash?: boolean } = {},
  ): Promise<T> {
    if (insideUnit()) {
      return Promise.reject(new NestedUnitOfWorkError("db.transaction()"));
    }
    const deadlineMs = options.deadlineMs ?? this.deadlines.write;
    const once = (): Promise<T> =>
      this.kind === "sqlite"
        ? this.enqueue(this.writes, fn, deadlineMs)
        : translated(() => this.postgresTransaction(fn, deadlineMs));
    return outsideUnits(async () => {
      if (!options.retryOnClash) {
        return once();
      }
      try {
        return await once();
      } catch (error) {
        if (error instanceof UniqueClashError) {
          return once();
        }
        throw error;
      }
    });
  }

  /**
   * Runs reads outside any transaction; on SQLite between write batches, never inside one.
   * @throws NestedUnitOfWorkError when called from inside another unit of work.
   * @throws UnitDeadlineError (503) when `fn` runs past the deadline.
   */
  read<T>(fn: (em: EntityManager) => Promise<T>, options: UnitOptions = {}): Promise<T> {
    if (insideUnit()) {
      return Promise.reject(new NestedUnitOfWorkError("db.read()"));
    }
    const deadlineMs = options.deadlineMs ?? this.deadlines.read;
    return outsideUnits(() => {
      if (this.kind === "sqlite") {
        return this.enqueue(this.reads, fn, deadlineMs);
      }
      // Given up at the deadline, a read's statement still running ends on its own connection.
      const unit = new Unit("read", deadlineMs);
      return translated(() => within(unit, () => fn(this.dataSource.manager)));
    });
  }

  private async postgresTransaction<T>(
    fn: (em: EntityManager) => Promise<T>,
    deadlineMs: number,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // The server cancels any statement of the unit that runs longer than its deadline: a unit
      // given up mid-statement keeps its connection (and its row locks) one deadline more at
      // most, not until the statement ends by itself.
      await runner.query("SELECT set_config('statement_timeout', $1, true)", [String(deadlineMs)]);
      const unit = new Unit("write", deadlineMs);
      let value: T;
      try {
        value = await within(unit, () => fn(runner.manager));
        await unit.settled();
      } catch (error) {
        await unit.settled();
        // The whole transaction, whatever savepoint of its own a unit given up was left in.
        await runner.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
      await runner.query("COMMIT");
      return value;
    } finally {
      await runner.release();
    }
  }

  /**
   * Find options that lock the rows read until commit (PostgreSQL), so concurrent writers of one
   * row take turns and each decides from the other's result. SQLite runs one unit of work at a
   * time through the queue and has no row locks.
   */
  get forUpdate(): { lock?: { mode: "pessimistic_write" } } {
    return this.dialect.forUpdate;
  }

  /** A Date as a query parameter: SQLite compares TypeORM's UTC text form, PostgreSQL a timestamp. */
  dateParam(date: Date): Date | string {
    return this.dialect.dateParam(date);
  }

  /** Units of work waiting in the SQLite queue now (always 0 on PostgreSQL). */
  get queueDepth(): { reads: number; writes: number } {
    return { reads: this.reads.length, writes: this.writes.length };
  }

  /** Reports each SQLite unit's wait in the queue (the metrics); one observer at a time. */
  observeQueueWait(observer: QueueWaitObserver | null): void {
    this.waitObserver = observer;
  }

  /** Whether the database answers a trivial query now. */
  async ping(): Promise<boolean> {
    try {
      await this.read((em) => em.query("SELECT 1"));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.draining;
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }

  private enqueue<T>(
    queue: Pending[],
    fn: (em: EntityManager) => Promise<T>,
    deadlineMs: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({
        fn,
        deadlineMs,
        queuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.draining !== null) {
      return;
    }
    this.draining = (async () => {
      try {
        await this.drain();
      } finally {
        this.draining = null;
        // Work queued between the last check and here would otherwise wait for the next caller.
        if (this.reads.length > 0 || this.writes.length > 0) {
          this.pump();
        }
      }
    })();
  }

  private async drain(): Promise<void> {
    while (this.reads.length > 0 || this.writes.length > 0) {
      if (this.reads.length > 0) {
        await Promise.all(this.reads.splice(0).map((pending) => this.runRead(pending)));
      }
      if (this.writes.length > 0) {
        await this.commitBatch(this.writes.splice(0, MAX_BATCH));
      }
    }
  }

  private async runRead(pending: Pending): Promise<void> {
    this.waitObserver?.("read", performance.now() - pending.queuedAt);
    const unit = new Unit("read", pending.deadlineMs);
    try {
      pending.resolve(await within(unit, () => pending.fn(this.dataSource.manager)));
    } catch (error) {
      pending.reject(translateDatabaseError(error));
    }
    // A read given up at its deadline answers its caller at once, but the next write batch
    // waits for its statement still on the connection.
    await unit.settled();
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    if (this.waitObserver !== null) {
      const now = performance.now();
      for (const pending of batch) {
        this.waitObserver("write", now - pending.queuedAt);
      }
    }
    const runner = this.dataSource.driver.createQueryRunner("master");
    try {
      await runner.startTransaction();
    } catch (error) {
      for (const pending of batch) {
        pending.reject(translateDatabaseError(error));
      }
      return;
    }
    const done: { pending: Pending; value: unknown }[] = [];
    for (const [index, pending] of batch.entries()) {
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        outcome = await this.runInSavepoint(runner, pending);
      } catch (error) {
        // A savepoint that cannot be set, released or rolled back leaves the batch in no known
        // state: none of it is kept.
        await this.abandon(runner);
        for (const unit of [...done.map((d) => d.pending), ...batch.slice(index)]) {
          unit.reject(translateDatabaseError(error));
        }
        return;
      }
      if (outcome.ok) {
        done.push({ pending, value: outcome.value });
      } else {
        pending.reject(translateDatabaseError(outcome.error));
      }
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      await this.abandon(runner);
      for (const { pending } of done) {
        pending.reject(translateDatabaseError(error));
      }
      return;
    }
    for (const { pending, value } of done) {
      pending.resolve(value);
    }
  }

  /**
   * Runs one unit of a batch in a savepoint of its own: released when `fn` resolves, rolled back
   * when it throws or runs past its deadline (whatever savepoints of its own it left open), so
   * the batch's other units keep their work. Throws only when the savepoint itself fails.
   */
  private async runInSavepoint(
    runner: QueryRunner,
    pending: Pending,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    const state = stateOf(runner);
    const depth = state.transactionDepth;
    // TypeORM's own name for this depth, so that em.transaction() inside the unit nests below.
    const savepoint = `typeorm_${depth}`;
    await runner.query(`SAVEPOINT ${savepoint}`);
    state.transactionDepth = depth + 1;
    const unit = new Unit("write", pending.deadlineMs);
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await within(unit, () => pending.fn(runner.manager)) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await unit.settled();
    if (!outcome.ok) {
      await runner.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    }
    await runner.query(`RELEASE SAVEPOINT ${savepoint}`);
    state.transactionDepth = depth;
    return outcome;
  }

  /** Rolls the batch's transaction back, whatever depth it was left at. */
  private async abandon(runner: QueryRunner): Promise<void> {
    await runner.query("ROLLBACK").catch(() => undefined);
    const state = stateOf(runner);
    state.transactionDepth = 0;
    state.isTransactionActive = false;
  }
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
