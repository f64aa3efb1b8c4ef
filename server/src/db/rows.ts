import { QueryFailedError } from "typeorm";
import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityMetadata } from "typeorm/metadata/EntityMetadata";
import type { QueryResult } from "typeorm/query-runner/QueryResult";

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

type Kind = "sqlite" | "postgres";

const kindOf = (em: EntityManager): Kind =>
  em.connection.driver.options.type === "postgres" ? "postgres" : "sqlite";

/** `?` placeholders as the database wants them: `$1, $2, ...` on PostgreSQL. */
export function placeholders(kind: Kind, sql: string): string {
  if (kind === "sqlite") {
    return sql;
  }
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const quote = (name: string): string => `"${name}"`;

interface InsertPlan {
  sql: string;
  columns: ColumnMetadata[];
}

const insertPlans = new WeakMap<EntityMetadata, Map<string, InsertPlan>>();

function insertPlan(em: EntityManager, metadata: EntityMetadata, ignore: boolean): InsertPlan {
  const kind = kindOf(em);
  const key = `${kind}:${ignore}`;
  let plans = insertPlans.get(metadata);
  if (plans === undefined) {
    plans = new Map();
    insertPlans.set(metadata, plans);
  }
  let plan = plans.get(key);
  if (plan === undefined) {
    const columns = metadata.columns.filter((column) => !column.isVirtual && column.isInsert);
    const names = columns.map((column) => quote(column.databaseName)).join(", ");
    const values = columns.map(() => "?").join(", ");
    const head = ignore && kind === "sqlite" ? "INSERT OR IGNORE INTO" : "INSERT INTO";
    const tail = ignore && kind === "postgres" ? " ON CONFLICT DO NOTHING" : "";
    plan = {
      sql: placeholders(
        kind,
        `${head} ${quote(metadata.tableName)} (${names}) VALUES (${values})${tail}`,
      ),
      columns,
    };
    plans.set(key, plan);
  }
  return plan;
}

async function runInsert<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  row: T,
  ignore: boolean,
): Promise<number> {
  const metadata = em.connection.getMetadata(target);
  const plan = insertPlan(em, metadata, ignore);
  const driver = em.connection.driver;
  const parameters = plan.columns.map((column): unknown => {
    const value: unknown = column.getEntityValue(row);
    return value === undefined ? null : (driver.preparePersistentValue(value, column) as unknown);
  });
  const result = await structuredQuery(em, plan.sql, parameters);
  return result.affected ?? 0;
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
  await runInsert(em, target, row, false);
}

/**
 * Inserts one whole row unless it clashes with a unique key, and says whether it was inserted:
 * INSERT OR IGNORE on SQLite, ON CONFLICT DO NOTHING on PostgreSQL, one round trip either way.
 * Lets find-or-create skip re-reading what it just wrote.
 */
export async function insertRowOrIgnore<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  row: T,
): Promise<boolean> {
  return (await runInsert(em, target, row, true)) > 0;
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
  // SQLite's runners all share the driver's one connection.
  const runner = em.queryRunner ?? em.connection.driver.createQueryRunner("master");
  const connection = (await runner.connect()) as {
    all(sql: string, params: unknown[], done: (error: Error | null, rows: R[]) => void): void;
  };
  return new Promise<R[]>((resolve, reject) =>
    connection.all(sql, parameters, (error, rows) =>
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
