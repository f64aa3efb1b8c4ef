import sqlite3 from "sqlite3";
import { DataSource } from "typeorm";
import type { EntityManager, QueryRunner } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";
import type { DatabaseConfig } from "../config/config";
import { entities } from "./entities";
import { migrations } from "./migrations";
import { translateDatabaseError, UniqueClashError } from "./db-errors";

export type DatabaseKind = DatabaseConfig["type"];

interface Pending {
  fn: (em: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Units of work committed together at most; a batch is one fsync instead of this many. */
const MAX_BATCH = 64;

/**
 * The one DataSource of a server, with the rules every unit of work follows.
 *
 * TypeORM's SQLite drivers share a single connection, so two overlapping transactions interleave
 * on it and corrupt each other (a plain save issued meanwhile is even rolled back with the other
 * transaction: ../shared/STACK.md 0.2, typeorm#1884). On SQLite every unit of work therefore goes
 * through one queue, in order: reads run between write batches, never inside one; writes that
 * queued up meanwhile run as one batch, each in its own savepoint (so one failing unit rolls back
 * alone), under a single BEGIN IMMEDIATE ... COMMIT. Every unit of a batch is acknowledged only
 * after that COMMIT returned (group commit: one fsync for the batch, not one per unit).
 * PostgreSQL uses its pool and needs no queue.
 */
export class Database {
  private readonly writes: Pending[] = [];
  private readonly reads: Pending[] = [];
  private draining: Promise<void> | null = null;

  readonly dataSource: DataSource;
  readonly kind: DatabaseKind;

  /** Describes the connection; nothing connects until open(). */
  constructor(config: DatabaseConfig) {
    this.kind = config.type;
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
   */
  async transaction<T>(
    fn: (em: EntityManager) => Promise<T>,
    options: { retryOnClash?: boolean } = {},
  ): Promise<T> {
    const once = (): Promise<T> =>
      this.kind === "sqlite"
        ? this.enqueue(this.writes, fn)
        : translated(() => this.dataSource.transaction(fn));
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
  }

  /** Runs reads outside any transaction; on SQLite between write batches, never inside one. */
  read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind !== "sqlite") {
      return translated(() => fn(this.dataSource.manager));
    }
    return this.enqueue(this.reads, fn);
  }

  /**
   * Find options that lock the rows read until commit (PostgreSQL), so concurrent writers of one
   * row take turns and each decides from the other's result. SQLite runs one unit of work at a
   * time through the queue and has no row locks.
   */
  get forUpdate(): { lock?: { mode: "pessimistic_write" } } {
    return this.kind === "postgres" ? { lock: { mode: "pessimistic_write" } } : {};
  }

  /** A Date as a query parameter: SQLite compares TypeORM's UTC text form, PostgreSQL a timestamp. */
  dateParam(date: Date): Date | string {
    return this.kind === "sqlite" ? (DateUtils.mixedDateToUtcDatetimeString(date) as string) : date;
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

  private enqueue<T>(queue: Pending[], fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
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
        const reads = this.reads.splice(0);
        await Promise.all(
          reads.map((unit) =>
            unit
              .fn(this.dataSource.manager)
              .then(unit.resolve, (error: unknown) => unit.reject(translateDatabaseError(error))),
          ),
        );
      }
      if (this.writes.length > 0) {
        await this.commitBatch(this.writes.splice(0, MAX_BATCH));
      }
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    const runner = this.dataSource.driver.createQueryRunner("master");
    try {
      await runner.startTransaction();
    } catch (error) {
      for (const unit of batch) {
        unit.reject(translateDatabaseError(error));
      }
      return;
    }
    const done: { unit: Pending; value: unknown }[] = [];
    for (const unit of batch) {
      try {
        // On the shared runner this nests: SAVEPOINT ... RELEASE, or ROLLBACK TO on failure.
        done.push({ unit, value: await this.dataSource.transaction(unit.fn) });
      } catch (error) {
        unit.reject(translateDatabaseError(error));
      }
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      for (const { unit } of done) {
        unit.reject(translateDatabaseError(error));
      }
      return;
    }
    for (const { unit, value } of done) {
      unit.resolve(value);
    }
  }
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
