import type { QueryRunner, TableColumnOptions } from "typeorm";

/**
 * Column helpers for hand-written migrations that run unchanged on SQLite and PostgreSQL:
 * only the few types that differ between the two are chosen per engine.
 */
export function columnTypes(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === "postgres";
  return {
    id: (name = "id"): TableColumnOptions => ({
      name,
      type: "varchar",
      length: "36",
      isPrimary: true,
    }),
    ref: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: "varchar",
      length: "36",
      isNullable: nullable,
    }),
    varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: "varchar",
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: "text",
      isNullable: nullable,
    }),
    integer: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: "integer",
      isNullable: nullable,
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: "bigint",
      isNullable: nullable,
    }),
    boolean: (name: string, defaultValue?: boolean): TableColumnOptions => ({
      name,
      type: "boolean",
      isNullable: false,
      default:
        defaultValue === undefined
          ? undefined
          : postgres
            ? String(defaultValue)
            : defaultValue
              ? 1
              : 0,
    }),
    date: (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: "date",
      isNullable: nullable,
    }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: postgres ? "timestamptz" : "datetime",
      isNullable: nullable,
    }),
  };
}

/** A CHECK expression that keeps a column within a list of wire values. */
export function oneOf(column: string, values: readonly string[], nullable = false): string {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
  return nullable ? `"${column}" IS NULL OR "${column}" IN (${list})` : `"${column}" IN (${list})`;
}
