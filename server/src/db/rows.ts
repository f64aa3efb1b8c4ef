import { QueryFailedError } from "typeorm";
import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityMetadata } from "typeorm/metadata/EntityMetadata";
import type { QueryResult } from "typeorm/query-runner/QueryResult";
import { dialectFor, dialectOf } from "./dialect";
import type { DialectKind, Statement } from "./dialect";

/**
 * Row-level SQL for hot paths (opening a ticket), with the entity metadata doing the typing.
 *
 * TypeORM's repository and query builder spend a few hundred microseconds of CPU per statement
 * re-deriving SQL from metadata (aliasing, escaping, parameter scanning), all of it on the one
 * thread that also serves every request; on SQLite's single connection that time is spent while
 * the whole write queue waits. These helpers build each statement once per entity and database,
 * convert values with the driver's own rules (dates, JSON, booleans, transformers), and run it
 * as a plain query: the same rows, at a third of the cost. `?` placeholders are written once and
 * numbered for PostgreSQL.
 */

const kindOf = (em: EntityManager): DialectKind => dialectOf(em).kind;

/** `?` placeholders as the database of `kind` wants them. */
const placeholders = (kind: DialectKind, sql: string): string => dialectFor(kind).placeholders(sql);

const quote = (name: string): string => `"${name}"`;

interface InsertPlan {
  sql: string;
  columns: ColumnMetadata[];
}

/** By entity metadata, which belongs to one DataSource and so to one kind of database. */
const insertPlans = new WeakMap<EntityMetadata, InsertPlan>();

function insertPlan(em: EntityManager, metadata: EntityMetadata): InsertPlan {
  const kind = kindOf(em);
  let plan = insertPlans.get(metadata);
  if (plan === undefined) {
    const columns = metadata.columns.filter((column) => !column.isVirtual && column.isInsert);
    const names = columns.map((column) => quote(column.databaseName)).join(", ");
    const values = columns.map(() => "?").join(", ");
    plan = {
      sql: placeholders(
        kind,
        `INSERT INTO ${quote(metadata.tableName)} (${names}) VALUES (${values})`,
      ),
      columns,
    };
    insertPlans.set(metadata, plan);
  }
  return plan;
}

/**
 * Runs independent reads of one unit of work and gives their results in order. On SQLite they
 * are all handed to the driver at once (its one connection takes them in turn, with no trip
 * through the event loop in between); a PostgreSQL client takes one query at a time, so there
 * they run one after another.
 */
export async function allAtOnce<T extends readonly (() => Promise<unknown>)[]>(
  em: EntityManager,
  work: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Results = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if (kindOf(em) === "sqlite") {
    return (await Promise.all(work.map((read) => read()))) as Results;
  }
  const results: unknown[] = [];
  for (const read of work) {
    results.push(await read());
  }
  return results as Results;
}

export type { Statement };

/** The INSERT of one whole row (every column: a missing value is NULL). */
export function insertStatement<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  row: T,
): Statement {
  const metadata = em.connection.getMetadata(target);
  const plan = insertPlan(em, metadata);
  const driver = em.connection.driver;
  return {
    sql: plan.sql,
    parameters: plan.columns.map((column): unknown => {
      const value: unknown = column.getEntityValue(row);
      return value === undefined ? null : (driver.preparePersistentValue(value, column) as unknown);
    }),
  };
}

/**
 * One multi-row INSERT of whole rows (every column, converted like `insertStatement`'s), for bulk
 * writes such as a distributor's import: one statement per call, so the caller chunks the rows
 * to stay under the database's parameter limit.
 */
export function insertManyStatement<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  rows: readonly T[],
): Statement {
  const metadata = em.connection.getMetadata(target);
  const { columns } = insertPlan(em, metadata);
  const driver = em.connection.driver;
  return dialectOf(em).bulkInsert(
    metadata.tableName,
    columns.map((column) => column.databaseName),
    rows.map((row) =>
      columns.map((column): unknown => {
        const value: unknown = column.getEntityValue(row);
        return value === undefined || value === null
          ? null
          : (driver.preparePersistentValue(value, column) as unknown);
      }),
    ),
  );
}

/** Inserts whole rows with one statement (see insertManyStatement). */
export async function insertMany<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const { sql, parameters } = insertManyStatement(em, target, rows);
  await structuredQuery(em, sql, parameters);
}

/**
 * An UPDATE of the rows of `target` matching `where` (SQL over the table's column names, with
 * `?` placeholders): the columns of `set` get its values, converted like an insert's.
 */
export function updateStatement<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  set: Partial<T>,
  where: string,
  whereParameters: unknown[],
): Statement {
  const metadata = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const assignments: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, value] of Object.entries(set)) {
    const column = metadata.findColumnWithPropertyName(property);
    if (column === undefined) {
      throw new Error(`${metadata.name} has no column ${property}`);
    }
    assignments.push(`${quote(column.databaseName)} = ?`);
    parameters.push(
      value === null ? null : (driver.preparePersistentValue(value, column) as unknown),
    );
  }
  return {
    sql: placeholders(
      kindOf(em),
      `UPDATE ${quote(metadata.tableName)} SET ${assignments.join(", ")} WHERE ${where}`,
    ),
    parameters: [...parameters, ...whereParameters],
  };
}

/**
 * Inserts one whole row (every column: a missing value is NULL, so pass the row as the entity
 * would be saved). Fails on a clash with a unique key, like any INSERT.
 */
export async function insertRow<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  row: T,
): Promise<void> {
  const { sql, parameters } = insertStatement(em, target, row);
  await structuredQuery(em, sql, parameters);
}

interface SqliteConnection {
  serialize(schedule: () => void): void;
  run(
    sql: string,
    parameters: unknown[],
    done: (this: { changes?: number } | undefined, error: Error | null) => void,
  ): void;
  all<R>(sql: string, parameters: unknown[], done: (error: Error | null, rows: R[]) => void): void;
}

/** SQLite's one connection (every runner of the driver shares it). */
async function sqliteConnection(em: EntityManager): Promise<SqliteConnection> {
  const runner = em.queryRunner ?? em.connection.driver.createQueryRunner("master");
  return (await runner.connect()) as SqliteConnection;
}

/**
 * Runs writes in the given order inside the caller's unit of work, and fails with the first
 * failure. On SQLite they are handed to the driver all at once in its serialized mode, so each
 * starts as the one before finishes, without a trip back through the event loop and the ORM in
 * between; the caller's unit of work (a savepoint) is rolled back on a failure, after every
 * statement handed over has finished. On PostgreSQL they run one after another.
 */
export async function runInOrder(em: EntityManager, statements: Statement[]): Promise<void> {
  if (statements.length === 0) {
    return;
  }
  if (kindOf(em) === "postgres") {
    for (const { sql, parameters } of statements) {
      await structuredQuery(em, sql, parameters);
    }
    return;
  }
  const connection = await sqliteConnection(em);
  const outcomes: Promise<QueryFailedError | null>[] = [];
  connection.serialize(() => {
    for (const { sql, parameters } of statements) {
      outcomes.push(
        new Promise((resolve) =>
          connection.run(sql, parameters, (error) =>
            resolve(error ? new QueryFailedError(sql, parameters, error) : null),
          ),
        ),
      );
    }
  });
  const failure = (await Promise.all(outcomes)).find((outcome) => outcome !== null);
  if (failure) {
    throw failure;
  }
}

const selectLists = new WeakMap<EntityMetadata, string>();

/**
 * The entities of `target` matching `where` (SQL over the table's own column names, with `?`
 * placeholders), at most `limit`, typed by the driver like a repository read. Columns hidden
 * from default selects (`select: false`) stay hidden; relations are not loaded.
 */
export async function selectRows<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  where: string,
  parameters: unknown[],
  limit?: number,
): Promise<T[]> {
  const metadata = em.connection.getMetadata(target);
  let list = selectLists.get(metadata);
  if (list === undefined) {
    list = metadata.columns
      .filter((column) => !column.isVirtual && column.isSelect)
      .map((column) => quote(column.databaseName))
      .join(", ");
    selectLists.set(metadata, list);
  }
  const sql = placeholders(
    kindOf(em),
    `SELECT ${list} FROM ${quote(metadata.tableName)} WHERE ${where}${limit === undefined ? "" : ` LIMIT ${Math.floor(limit)}`}`,
  );
  const raw = await em.query<Record<string, unknown>[]>(sql, parameters);
  return raw.map((record) => hydrate(em, metadata, record) as T);
}

/** One raw record (column names as keys) as an entity of `metadata`, typed by the driver. */
function hydrate(
  em: EntityManager,
  metadata: EntityMetadata,
  record: Record<string, unknown>,
): ObjectLiteral {
  const entity = metadata.create() as ObjectLiteral;
  const driver = em.connection.driver;
  for (const column of metadata.columns) {
    if (column.databaseName in record) {
      column.setEntityValue(
        entity,
        driver.prepareHydratedValue(record[column.databaseName], column),
      );
    }
  }
  return entity;
}

/**
 * Runs an UPDATE, INSERT or DELETE with a RETURNING clause and gives the returned records (both
 * databases support RETURNING). TypeORM's SQLite runner discards the rows of a statement that
 * starts with UPDATE/INSERT/DELETE, so on SQLite it goes to the driver's connection directly,
 * which is the one the current unit of work holds (SQLite has a single connection).
 */
export async function queryReturning<R>(
  em: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<R[]> {
  const kind = kindOf(em);
  if (kind === "postgres") {
    const result = await structuredQuery(em, placeholders(kind, sql), parameters);
    return result.records as R[];
  }
  const connection = await sqliteConnection(em);
  return new Promise<R[]>((resolve, reject) =>
    connection.all<R>(sql, parameters, (error, rows) =>
      error ? reject(new QueryFailedError(sql, parameters, error)) : resolve(rows),
    ),
  );
}

/** A query with the driver's whole answer (affected rows, records), on the unit's own runner. */
async function structuredQuery(
  em: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<QueryResult> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    return await runner.query(sql, parameters, true);
  } finally {
    if (em.queryRunner === undefined) {
      await runner.release();
    }
  }
}
