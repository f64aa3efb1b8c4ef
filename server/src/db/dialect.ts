import type { EntityManager } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";

/**
 * What differs between SQLite and PostgreSQL, in one place. Modules ask the dialect of the unit
 * of work they run in (`dialectOf(em)`, or `db.dialect`) and never test the driver's type
 * themselves (docs/CONVENTIONS.md, "The database dialect").
 */

export type DialectKind = "sqlite" | "postgres";

/** One statement and its parameters, ready for the database at hand. */
export interface Statement {
  sql: string;
  parameters: unknown[];
}

/** A condition over named parameters, for TypeORM's query builder. */
export type Condition = [sql: string, parameters: Record<string, unknown>];

/**
 * A full-text index over a table's text columns (created by a migration): PostgreSQL's GIN index
 * on `to_tsvector('simple', col1 || ' ' || col2 ...)`, SQLite's FTS5 table whose rowid is the
 * table's integer `key`.
 */
export interface FullTextIndex {
  table: string;
  key: string;
  columns: readonly string[];
  fts5Table: string;
}

export interface Dialect {
  readonly kind: DialectKind;
  /**
   * Whether writers hold row locks until commit (PostgreSQL's pool). SQLite runs one writer at a
   * time through the unit-of-work queue, so locks there are no-ops and lock order does not matter.
   */
  readonly rowLocks: boolean;
  /** Find options that lock the rows read until commit, where the database has row locks. */
  readonly forUpdate: { lock?: { mode: "pessimistic_write" } };
  /** `?` placeholders as the database wants them: `$1, $2, ...` on PostgreSQL. */
  placeholders(sql: string): string;
  /** A Date as a query parameter: SQLite compares TypeORM's UTC text form, PostgreSQL a timestamp. */
  dateParam(date: Date): Date | string;
  /**
   * One multi-row INSERT of `rows` (values in `columns` order, already converted for the
   * database) into `table`, with bound parameters.
   */
  bulkInsert(table: string, columns: readonly string[], rows: readonly unknown[][]): Statement;
  /** A column as a value the planner will not answer from an index (SQLite: unary `+`). */
  noIndex(column: string): string;
  /** A named parameter as an integer in a SELECT list. */
  integerParam(name: string): string;
  /** `expression` is one of the values `subquery` lists (PostgreSQL: looked up one by one). */
  inSubquery(expression: string, subquery: string): string;
  /** Text as the database's LOWER() folds it (SQLite folds only A-Z). */
  lower(text: string): string;
  /**
   * `expression` starts with `prefix` (already folded like the expression), answered by the
   * expression's index: a LIKE over a *_pattern_ops index, or a range in binary order.
   */
  startsWith(expression: string, prefix: string, name: string): Condition;
  /** `expression` holds `text` anywhere (a LIKE scan: for small tables or a row already found). */
  contains(expression: string, text: string, name: string): Condition;
  /** The text value of `key` in a JSON object stored as text in `column` (null when absent). */
  jsonText(column: string, key: string): string;
  /** Full-text search over a FullTextIndex. */
  readonly fullText: {
    /** The words as query text: all of them, the last also as a prefix when asked. */
    query(words: readonly string[], lastAsPrefix: boolean): string;
    /** The row `alias` of the index's table matches the query in parameter `name`. */
    matches(index: FullTextIndex, alias: string, name: string): string;
    /** A subquery listing the key of every matching row, from the index alone. */
    matchingKeys(index: FullTextIndex, name: string): string;
  };
}

const quote = (name: string): string => `"${name}"`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order
 * (SQLite's BINARY collation): the prefix with its last code point raised by one. Undefined when
 * there is none (the prefix ends in U+10FFFF).
 */
function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  const last = points.pop()?.codePointAt(0);
  if (last === undefined || last === 0x10ffff) {
    return undefined;
  }
  // A surrogate code point cannot be sent as text: the next one after them stands in.
  return points.join("") + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
}

function tuples(rows: readonly unknown[][], mark: (n: number) => string): Statement {
  const parameters: unknown[] = [];
  const sql = rows
    .map((row) => {
      const marks = row.map((value) => {
        parameters.push(value);
        return mark(parameters.length);
      });
      return `(${marks.join(", ")})`;
    })
    .join(", ");
  return { sql, parameters };
}

function insertInto(
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  mark: (n: number) => string,
): Statement {
  const values = tuples(rows, mark);
  return {
    sql: `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${values.sql}`,
    parameters: values.parameters,
  };
}

/** The PostgreSQL GIN index's expression over `alias` (the planner uses it only when it is exact). */
const tsVector = (index: FullTextIndex, alias: string): string =>
  `to_tsvector('simple', ${index.columns
    .map((column) => `COALESCE(${quote(alias)}.${quote(column)}, '')`)
    .join(" || ' ' || ")})`;

const postgres: Dialect = Object.freeze({
  kind: "postgres",
  rowLocks: true,
  forUpdate: Object.freeze({ lock: Object.freeze({ mode: "pessimistic_write" as const }) }),
  placeholders(sql: string): string {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  },
  dateParam: (date: Date): Date => date,
  bulkInsert: (table: string, columns: readonly string[], rows: readonly unknown[][]) =>
    insertInto(table, columns, rows, (n) => `$${n}`),
  noIndex: (column: string) => column,
  integerParam: (name: string) => `CAST(:${name} AS integer)`,
  // An array, not IN (...): PostgreSQL then looks the values up rather than scanning in order.
  inSubquery: (expression: string, subquery: string) => `${expression} = ANY(ARRAY(${subquery}))`,
  lower: (text: string) => text.toLowerCase(),
  // b-tree *_pattern_ops indexes answer a LIKE with a fixed start; `\` is LIKE's escape.
  startsWith: (expression: string, prefix: string, name: string): Condition => [
    `${expression} LIKE :${name}`,
    { [name]: `${escapeLike(prefix)}%` },
  ],
  contains: (expression: string, text: string, name: string): Condition => [
    `${expression} LIKE :${name} ESCAPE '\\'`,
    { [name]: `%${escapeLike(text)}%` },
  ],
  jsonText: (column: string, key: string) => `(${column}::json ->> '${key}')`,
  fullText: Object.freeze({
    query: (words: readonly string[], lastAsPrefix: boolean) =>
      words
        .map((word, i) => `'${word}'${lastAsPrefix && i === words.length - 1 ? ":*" : ""}`)
        .join(" & "),
    matches: (index: FullTextIndex, alias: string, name: string) =>
      `${tsVector(index, alias)} @@ to_tsquery('simple', :${name})`,
    matchingKeys: (index: FullTextIndex, name: string) =>
      `SELECT s.${quote(index.key)} FROM ${quote(index.table)} s WHERE ` +
      `${tsVector(index, "s")} @@ to_tsquery('simple', :${name})`,
  }),
});

const sqlite: Dialect = Object.freeze({
  kind: "sqlite",
  rowLocks: false,
  forUpdate: Object.freeze({}),
  placeholders: (sql: string) => sql,
  dateParam: (date: Date): string => DateUtils.mixedDateToUtcDatetimeString(date) as string,
  bulkInsert: (table: string, columns: readonly string[], rows: readonly unknown[][]) =>
    insertInto(table, columns, rows, () => "?"),
  // Unary + changes no value and keeps SQLite from using the column's index.
  noIndex: (column: string) => `+${column}`,
  integerParam: (name: string) => `:${name}`,
  inSubquery: (expression: string, subquery: string) => `${expression} IN (${subquery})`,
  lower: (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  startsWith(expression: string, prefix: string, name: string): Condition {
    const end = prefixEnd(prefix);
    return end === undefined
      ? [`${expression} >= :${name}`, { [name]: prefix }]
      : [
          `${expression} >= :${name} AND ${expression} < :${name}End`,
          { [name]: prefix, [`${name}End`]: end },
        ];
  },
  contains: (expression: string, text: string, name: string): Condition => [
    `${expression} LIKE :${name} ESCAPE '\\'`,
    { [name]: `%${escapeLike(text)}%` },
  ],
  jsonText: (column: string, key: string) => `json_extract(${column}, '$.${key}')`,
  fullText: Object.freeze({
    query: (words: readonly string[], lastAsPrefix: boolean) =>
      words
        .map((word, i) => `"${word}"${lastAsPrefix && i === words.length - 1 ? "*" : ""}`)
        .join(" AND "),
    // FTS5 lists the matches once; each row is then looked up among them.
    matches: (index: FullTextIndex, alias: string, name: string) =>
      `+${quote(alias)}.${quote(index.key)} IN (SELECT rowid FROM ${index.fts5Table} ` +
      `WHERE ${index.fts5Table} MATCH :${name})`,
    matchingKeys: (index: FullTextIndex, name: string) =>
      `SELECT rowid FROM ${index.fts5Table} WHERE ${index.fts5Table} MATCH :${name}`,
  }),
});

/** The dialect of a kind of database. */
export function dialectFor(kind: DialectKind): Dialect {
  return kind === "postgres" ? postgres : sqlite;
}

/** The dialect of the database an entity manager (a unit of work's) talks to. */
export function dialectOf(em: EntityManager): Dialect {
  return em.connection.driver.options.type === "postgres" ? postgres : sqlite;
}
