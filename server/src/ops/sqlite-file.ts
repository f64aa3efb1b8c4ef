import sqlite3 from "sqlite3";

/**
 * A plain connection to a SQLite file, apart from the server's own (which goes through the unit
 * of work queue): for snapshots, checks and restores, which work on whole files.
 */
export interface SqliteFile {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export function openSqliteFile(file: string, mode: "readonly" | "readwrite"): Promise<SqliteFile> {
  return new Promise((resolve, reject) => {
    const flags = mode === "readonly" ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE;
    const db = new sqlite3.Database(file, flags, (error) => {
      if (error) {
        reject(error);
        return;
      }
      // A running desk may hold the write lock for a moment (one group commit).
      db.configure("busyTimeout", 10_000);
      resolve({
        all: <T>(sql: string, params: unknown[] = []) =>
          new Promise<T[]>((done, fail) =>
            db.all(sql, params, (err: Error | null, rows: T[]) => (err ? fail(err) : done(rows))),
          ),
        run: (sql: string, params: unknown[] = []) =>
          new Promise<void>((done, fail) =>
            db.run(sql, params, (err) => (err ? fail(err) : done())),
          ),
        close: () =>
          new Promise<void>((done, fail) => db.close((err) => (err ? fail(err) : done()))),
      });
    });
  });
}

/** `PRAGMA integrity_check` and `foreign_key_check` of a file: the problems found (none: []). */
export async function checkSqliteFile(file: string): Promise<string[]> {
  const db = await openSqliteFile(file, "readonly");
  try {
    const integrity = await db.all<{ integrity_check: string }>("PRAGMA integrity_check");
    const problems = integrity.map((row) => row.integrity_check).filter((text) => text !== "ok");
    const keys = await db.all<{ table: string; parent: string }>("PRAGMA foreign_key_check");
    for (const row of keys.slice(0, 10)) {
      problems.push(`a row of ${row.table} points at a missing row of ${row.parent}`);
    }
    return problems;
  } finally {
    await db.close();
  }
}
