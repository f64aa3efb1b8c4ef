import { DataSource } from "typeorm";
import type { EntityManager, QueryRunner } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";
import type { DatabaseConfig } from "../config/config";
import { entities } from "./entities";
import { migrations } from "./migrations";
import { translateDatabaseError } from "./db-errors";

export type DatabaseKind = DatabaseConfig["type"];

/**
 * The one DataSource of a server, with the rules every unit of work follows.
 *
 * TypeORM's SQLite drivers share a single connection, so two overlapping transactions interleave
 * on it and corrupt each other (a plain save issued meanwhile is even rolled back with the other
 * transaction: ../shared/STACK.md 0.2, typeorm#1884). On SQLite every unit of work, read or write,
 * therefore runs through one FIFO queue. PostgreSQL uses its pool and needs no queue.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  readonly dataSource: DataSource;
  readonly kind: DatabaseKind;

  /** Describes the connection; nothing connects until open(). */
  constructor(config: DatabaseConfig) {
    this.kind = config.type;
    this.dataSource = new DataSource(
      config.type === "sqlite"
        ? {
            type: "sqlite",
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

  /** Runs `fn` in one transaction; on SQLite, after every unit of work queued before it. */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => this.dataSource.transaction(fn));
  }

  /** Runs reads outside a transaction; on SQLite still in queue order, never inside another's. */
  read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => fn(this.dataSource.manager));
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
    await this.tail.catch(() => undefined);
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw translateDatabaseError(error);
      }
    };
    if (this.kind !== "sqlite") {
      return run();
    }
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
