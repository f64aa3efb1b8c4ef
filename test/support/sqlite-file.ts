import sqlite3 from "sqlite3";

/**
 * A raw connection to a SQLite file, outside Greydesk (to inspect what a crashed server left, or
 * to play a second writer): promise wrappers over the sqlite3 driver.
 */
export interface SqliteFile {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export function openSqliteFile(file: string): Promise<SqliteFile> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => {
      if (error) {
        return reject(error);
      }
      db.configure("busyTimeout", 10_000);
      resolve({
        all: <T>(sql: string, params: unknown[] = []) =>
          new Promise<T[]>((done, fail) =>
            db.all(sql, params, (err: Error | null, rows: T[]) => (err ? fail(err) : done(rows))),
          ),
        exec: (sql: string) =>
          new Promise<void>((done, fail) => db.exec(sql, (err) => (err ? fail(err) : done()))),
        close: () =>
          new Promise<void>((done, fail) => db.close((err) => (err ? fail(err) : done()))),
      });
    });
  });
}
