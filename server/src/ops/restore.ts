import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import {
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readFile,
  readdir,
  rename,
  rm,
  stat,
} from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { Client } from "pg";
import * as tar from "tar";
import type { DatabaseConfig } from "../config/config";
import { Database } from "../db/database";
import {
  BACKUP_FORMAT_VERSION,
  BackupError,
  MANIFEST_FILE,
  PG_DUMP_FILE,
  SECRET_FILE,
  SQLITE_FILE,
  hasProgram,
  knownMigrations,
  manifestSchema,
  sha256File,
} from "./backup";
import type { BackupManifest, OpsProgress } from "./backup";
import { checkSqliteFile, openSqliteFile } from "./sqlite-file";

const run = promisify(execFile);

export interface RestoreOptions {
  archive: string;
  database: DatabaseConfig;
  dataDir: string;
  /** Replace a desk that has data (it is kept beside, renamed); never a running one. */
  force?: boolean;
  onProgress?: (progress: OpsProgress) => void;
  now?: Date;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations newer than the backup, applied after it was restored. */
  migrated: string[];
  /** Where the desk that was replaced now is (with --force), if there was one. */
  keptAside: string[];
}

const damaged = (why: string) =>
  new BackupError(`The archive is damaged or not a Greydesk backup (${why}); nothing was changed.`);

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}

/** Every file under `dir`, as paths relative to it with `/`. */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      found.push(...(await walk(path.join(dir, entry.name), name)));
    } else {
      found.push(name);
    }
  }
  return found;
}

/** What the target already holds: a reason to refuse, or null when it is empty. */
async function targetContents(database: DatabaseConfig, dataDir: string): Promise<string | null> {
  const parts: string[] = [];
  if (database.type === "sqlite") {
    if (await exists(database.path)) {
      const db = await openSqliteFile(database.path, "readonly");
      try {
        const tables = await db.all<{ name: string }>(
          `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" IN ('tickets', 'agents')`,
        );
        tables.sort((a, b) => b.name.localeCompare(a.name));
        for (const { name } of tables) {
          const [row] = await db.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${name}"`);
          if ((row?.n ?? 0) > 0) {
            parts.push(`${row.n} ${name}`);
          }
        }
        if (tables.length === 0) {
          const [any] = await db.all<{ n: number }>(
            `SELECT COUNT(*) AS "n" FROM "sqlite_master" WHERE "type" = 'table'`,
          );
          if ((any?.n ?? 0) > 0) {
            parts.push("tables of something else");
          }
        }
      } finally {
        await db.close();
      }
    }
  } else {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ n: string }>(
        `SELECT COUNT(*) AS "n" FROM information_schema.tables WHERE table_schema = current_schema()`,
      );
      if (Number(tables.rows[0]?.n ?? 0) > 0) {
        parts.push(`${tables.rows[0].n} tables`);
      }
    } finally {
      await client.end();
    }
  }
  const attachments = path.join(dataDir, "attachments");
  if ((await exists(attachments)) && (await walk(attachments)).length > 0) {
    parts.push("attachment files");
  }
  return parts.length === 0 ? null : parts.join(", ");
}

/**
 * Restores an archive made by createBackup into the desk DATABASE_URL and the data folder name.
 * Everything is checked before anything is touched: the archive's own checksum (`.sha256` beside
 * it, when there), that it unpacks, its manifest, each file's size and SHA-256, that it comes from
 * this Greydesk or an older one, and (SQLite) `PRAGMA integrity_check` on the database, with newer
 * migrations applied to the unpacked copy first. Only then is it put in place, by renames; a desk
 * that is running, or holds data, is refused unless `force` (and a running one always). See
 * docs/ARCHITECTURE.md, "Operations".
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const progress = options.onProgress ?? (() => undefined);
  const { database, dataDir } = options;
  if (database.type === "sqlite" && database.path === ":memory:") {
    throw new BackupError("Cannot restore into an in-memory database (sqlite::memory:)");
  }
  const archiveInfo = await stat(options.archive).catch(() => null);
  if (archiveInfo === null || !archiveInfo.isFile()) {
    throw new BackupError(`There is no archive at ${options.archive}`);
  }

  // The target first: a refusal must come before any work, and change nothing.
  if (database.type === "sqlite") {
    for (const suffix of ["-wal", "-shm"]) {
      if (await exists(`${database.path}${suffix}`)) {
        throw new BackupError(
          `The database ${database.path} is open (its ${suffix} file exists): stop Greydesk ` +
            "first. (After a crash, start and stop it once so SQLite tidies up.) Nothing was changed.",
        );
      }
    }
  }
  const contents = await targetContents(database, dataDir);
  if (contents !== null && !options.force) {
    throw new BackupError(
      `The target desk is not empty (${contents}); nothing was changed. Restore into an empty ` +
        "data folder and database, or pass --force to replace it (SQLite: the current files are " +
        "kept beside it, renamed).",
    );
  }
  if (contents !== null && database.type === "postgres") {
    throw new BackupError(
      `The PostgreSQL database is not empty (${contents}); nothing was changed. Create an empty ` +
        "database and point DATABASE_URL at it (--force does not drop a PostgreSQL database).",
    );
  }

  const sidecar = `${options.archive}.sha256`;
  if (await exists(sidecar)) {
    const expected = (await readFile(sidecar, "utf8")).trim().split(/\s+/)[0] ?? "";
    progress({ phase: "checking", done: 0, total: archiveInfo.size });
    if ((await sha256File(options.archive)) !== expected) {
      throw damaged(`its SHA-256 differs from ${path.basename(sidecar)}`);
    }
  }

  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(path.join(dataDir, ".restore-"));
  try {
    let read = 0;
    try {
      await pipeline(
        createReadStream(options.archive),
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            read += chunk.length;
            progress({ phase: "checking", done: read, total: archiveInfo.size });
            callback(null, chunk);
          },
        }),
        tar.x({
          cwd: staging,
          strict: true,
          // Plain files and folders only: no links, devices or anything else.
          filter: (_path, entry) =>
            "type" in entry ? entry.type === "File" || entry.type === "Directory" : true,
        }),
      );
    } catch (error) {
      throw damaged(error instanceof Error ? error.message : String(error));
    }

    let manifest: BackupManifest;
    try {
      const text = await readFile(path.join(staging, MANIFEST_FILE), "utf8");
      manifest = manifestSchema.parse(JSON.parse(text));
    } catch {
      throw damaged("no readable manifest.json");
    }
    if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
      throw new BackupError(
        `The archive has format version ${manifest.formatVersion}; this Greydesk reads up to ` +
          `${BACKUP_FORMAT_VERSION}. Restore it with the Greydesk that made it, or a newer one.`,
      );
    }
    const known = knownMigrations();
    const unknown = manifest.database.migrations.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new BackupError(
        `The archive was made by a newer Greydesk (migration ${unknown[0]} is unknown here); ` +
          "upgrade first. Nothing was changed.",
      );
    }
    if (manifest.database.kind !== database.type) {
      throw new BackupError(
        `The archive holds a ${manifest.database.kind} database and DATABASE_URL names a ` +
          `${database.type} one; nothing was changed.`,
      );
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const file of await walk(staging)) {
      if (file !== MANIFEST_FILE && !listed.has(file)) {
        throw damaged(`${file} is not in its manifest`);
      }
    }
    for (const [index, file] of manifest.files.entries()) {
      const where = path.join(staging, file.path);
      const info = await stat(where).catch(() => null);
      if (info === null) {
        throw damaged(`${file.path} is missing`);
      }
      if (info.size !== file.size || (await sha256File(where)) !== file.sha256) {
        throw damaged(`the checksum of ${file.path} does not match its manifest`);
      }
      progress({ phase: "checking", done: index + 1, total: manifest.files.length });
    }

    let migrated: string[] = [];
    const keptAside: string[] = [];
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
    if (database.type === "sqlite") {
      if (manifest.database.file !== SQLITE_FILE) {
        throw damaged("it holds no SQLite database");
      }
      const staged = path.join(staging, SQLITE_FILE);
      const problems = await checkSqliteFile(staged);
      if (problems.length > 0) {
        throw new BackupError(
          `The archived database fails PRAGMA integrity_check (${problems.slice(0, 3).join("; ")}); ` +
            "nothing was changed.",
        );
      }
      // Newer migrations run on the unpacked copy, so a failing one leaves the target untouched.
      migrated = known.filter((name) => !manifest.database.migrations.includes(name));
      const db = new Database({ type: "sqlite", path: staged });
      await db.open();
      await db.close();
      const after = await checkSqliteFile(staged);
      if (after.length > 0) {
        throw new BackupError(`The migrated database fails its integrity check: ${after[0]}`);
      }
      progress({ phase: "installing", done: 0, total: 1 });
      await installSqlite(staging, staged, database.path, dataDir, stamp, keptAside);
    } else {
      if (manifest.database.file !== PG_DUMP_FILE) {
        throw new BackupError(
          "The archive holds no database dump (it was made without pg_dump). Restore the dump " +
            "you made beside it with `pg_restore --no-owner --single-transaction " +
            '--dbname="$DATABASE_URL" FILE` first; nothing was changed.',
        );
      }
      if (!(await hasProgram("pg_restore"))) {
        throw new BackupError("pg_restore is not on PATH; nothing was changed.");
      }
      progress({ phase: "installing", done: 0, total: 1 });
      try {
        await run("pg_restore", [
          "--no-owner",
          "--no-privileges",
          "--single-transaction",
          "--exit-on-error",
          `--dbname=${database.url}`,
          path.join(staging, PG_DUMP_FILE),
        ]);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        throw new BackupError(`pg_restore failed, nothing was restored: ${stderr.trim()}`);
      }
      await installAttachments(staging, dataDir, stamp, keptAside);
      migrated = known.filter((name) => !manifest.database.migrations.includes(name));
      const db = new Database(database);
      await db.open();
      await db.close();
    }
    progress({ phase: "installing", done: 1, total: 1 });
    return { manifest, migrated, keptAside };
  } finally {
    // A damaged archive stops the unpacking with writes still in flight: retry until they end.
    await rm(staging, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 }).catch(
      () => undefined,
    );
  }
}

/** The unpacked attachments (and session secret) into the data folder, by rename. */
async function installAttachments(
  staging: string,
  dataDir: string,
  stamp: string,
  keptAside: string[],
): Promise<() => Promise<void>> {
  const undo: (() => Promise<void>)[] = [];
  const target = path.join(dataDir, "attachments");
  if (await exists(target)) {
    const aside = `${target}.before-restore-${stamp}`;
    await rename(target, aside);
    keptAside.push(aside);
    undo.push(() => rename(aside, target));
  }
  const staged = path.join(staging, "attachments");
  if (await exists(staged)) {
    await rename(staged, target);
  } else {
    await mkdir(target);
  }
  undo.push(() => rm(target, { recursive: true, force: true }));
  const secret = path.join(staging, SECRET_FILE);
  if (await exists(secret)) {
    const current = path.join(dataDir, SECRET_FILE);
    if (await exists(current)) {
      const aside = `${current}.before-restore-${stamp}`;
      await rename(current, aside);
      keptAside.push(aside);
      undo.push(() => rename(aside, current));
    }
    await copyFile(secret, current);
  }
  return async () => {
    for (const step of undo.reverse()) {
      await step().catch(() => undefined);
    }
  };
}

/**
 * Attachments first, then the database file by one rename (the moment the restore takes effect);
 * a failure before it puts the attachments back.
 */
async function installSqlite(
  staging: string,
  staged: string,
  target: string,
  dataDir: string,
  stamp: string,
  keptAside: string[],
): Promise<void> {
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const undo = await installAttachments(staging, dataDir, stamp, keptAside);
  const incoming = `${target}.restoring`;
  try {
    await copyFile(staged, incoming);
    const handle = await open(incoming, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (await exists(target)) {
      const aside = `${target}.before-restore-${stamp}`;
      await rename(target, aside);
      keptAside.push(aside);
    }
    await rename(incoming, target);
  } catch (error) {
    await rm(incoming, { force: true });
    await undo();
    throw error;
  }
}
