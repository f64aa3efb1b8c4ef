import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import {
  copyFile,
  link,
  mkdir,
  mkdtemp,
  open,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGzip } from "node:zlib";
import { Client } from "pg";
import * as tar from "tar";
import { z } from "zod";
import type { DatabaseConfig } from "../config/config";
import { migrations } from "../db/migrations";
import { checkSqliteFile, openSqliteFile } from "./sqlite-file";

const run = promisify(execFile);

/** What an archive says it is; restore refuses any other. */
export const BACKUP_FORMAT = "greydesk-backup";
export const BACKUP_FORMAT_VERSION = 1;

export const SQLITE_FILE = "database.sqlite";
export const PG_DUMP_FILE = "database.pgdump";
export const MANIFEST_FILE = "manifest.json";
export const SECRET_FILE = "session-secret";
const ATTACHMENT_KEY = /^[0-9a-f]{32}$/;

export const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    formatVersion: z.number().int().min(1),
    createdAt: z.string(),
    database: z
      .object({
        kind: z.enum(["sqlite", "postgres"]),
        /** The file in the archive; null: PostgreSQL without pg_dump (attachments only). */
        file: z.enum([SQLITE_FILE, PG_DUMP_FILE]).nullable(),
        /** Migrations applied in the snapshot, oldest first. */
        migrations: z.array(z.string()),
      })
      .strict(),
    attachments: z.object({ count: z.number().int(), bytes: z.number().int() }).strict(),
    /** Attachments the snapshot names whose file was already gone when it was archived. */
    missingAttachments: z.array(z.string()),
    files: z.array(
      z.object({ path: z.string(), size: z.number().int(), sha256: z.string() }).strict(),
    ),
  })
  .strict();
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A backup or restore that cannot go on; its message is for the person running it. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

export interface OpsProgress {
  phase: "database" | "attachments" | "archive" | "checking" | "installing";
  done: number;
  total: number;
}

export interface BackupOptions {
  database: DatabaseConfig;
  dataDir: string;
  /** The archive to write (`.tar.gz`); a temporary name until it is complete. */
  target: string;
  onProgress?: (progress: OpsProgress) => void;
  now?: Date;
}

export interface BackupResult {
  file: string;
  sha256: string;
  bytes: number;
  manifest: BackupManifest;
  /** Things the operator should know (PostgreSQL without pg_dump, files gone meanwhile). */
  notes: string[];
}

/** Where the attachment with `key` lives under a data folder. */
export function attachmentPath(root: string, key: string): string {
  return path.join(root, key.slice(0, 2), key);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether a program is on PATH (pg_dump, pg_restore). */
export async function hasProgram(name: string): Promise<boolean> {
  try {
    await run(name, ["--version"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The snapshot of a SQLite desk, taken with `VACUUM INTO` on a read-only connection of its own:
 * one read transaction, so the copy is the database as of one commit; in WAL mode readers never
 * block writers, so agents and customers go on writing meanwhile. Returns the attachment keys it
 * names and its migrations.
 */
async function snapshotSqlite(
  source: string,
  target: string,
): Promise<{ keys: string[]; migrations: string[] }> {
  if (source === ":memory:") {
    throw new BackupError("An in-memory database (sqlite::memory:) cannot be backed up");
  }
  const info = await stat(source).catch(() => null);
  if (info === null) {
    throw new BackupError(`There is no database at ${source} (DATABASE_URL)`);
  }
  const live = await openSqliteFile(source, "readonly");
  try {
    await live.run("VACUUM INTO ?", [target]);
  } finally {
    await live.close();
  }
  const problems = await checkSqliteFile(target);
  if (problems.length > 0) {
    throw new BackupError(`The snapshot failed its integrity check: ${problems.join("; ")}`);
  }
  const snapshot = await openSqliteFile(target, "readonly");
  try {
    const keys = await snapshot.all<{ storageKey: string }>(
      `SELECT "storageKey" FROM "attachments"`,
    );
    const applied = await snapshot.all<{ name: string }>(
      `SELECT "name" FROM "migrations" ORDER BY "timestamp"`,
    );
    return { keys: keys.map((row) => row.storageKey), migrations: applied.map((row) => row.name) };
  } finally {
    await snapshot.close();
  }
}

/**
 * PostgreSQL: `pg_dump --format=custom` (one consistent snapshot of its own) when it is on PATH.
 * The attachment keys are read after the dump, so they cover every row it holds (a few newer
 * files are harmless: unreferenced, the attachment GC removes them after a restore).
 */
async function snapshotPostgres(
  url: string,
  target: string | null,
): Promise<{ keys: string[]; migrations: string[] }> {
  if (target !== null) {
    try {
      await run("pg_dump", [
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        `--file=${target}`,
        `--dbname=${url}`,
      ]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new BackupError(`pg_dump failed: ${stderr.trim()}`);
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const keys = await client.query<{ storageKey: string }>(
      `SELECT "storageKey" FROM "attachments"`,
    );
    const applied = await client.query<{ name: string }>(
      `SELECT "name" FROM "migrations" ORDER BY "timestamp"`,
    );
    return {
      keys: keys.rows.map((row) => row.storageKey),
      migrations: applied.rows.map((row) => row.name),
    };
  } finally {
    await client.end();
  }
}

/**
 * Writes one `.tar.gz` holding a consistent snapshot of the desk: the database (SQLite's
 * `VACUUM INTO`, or pg_dump), every attachment the snapshot names, the generated session secret
 * if there is one, and `manifest.json` with each file's size and SHA-256. The archive is written
 * under a temporary name and renamed when complete and on disk; its own SHA-256 goes beside it
 * (`<file>.sha256`, the `sha256sum` format). See docs/ARCHITECTURE.md, "Operations".
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const progress = options.onProgress ?? (() => undefined);
  const notes: string[] = [];
  await mkdir(options.dataDir, { recursive: true });
  await mkdir(path.dirname(path.resolve(options.target)), { recursive: true });
  // Inside the data folder, so attachments can be hard-linked (no copy, and a file removed
  // meanwhile stays readable through its link).
  const staging = await mkdtemp(path.join(options.dataDir, ".backup-"));
  const partial = `${options.target}.partial`;
  try {
    progress({ phase: "database", done: 0, total: 1 });
    let snapshot: { keys: string[]; migrations: string[] };
    let databaseFile: BackupManifest["database"]["file"];
    if (options.database.type === "sqlite") {
      snapshot = await snapshotSqlite(options.database.path, path.join(staging, SQLITE_FILE));
      databaseFile = SQLITE_FILE;
    } else if (await hasProgram("pg_dump")) {
      snapshot = await snapshotPostgres(options.database.url, path.join(staging, PG_DUMP_FILE));
      databaseFile = PG_DUMP_FILE;
    } else {
      snapshot = await snapshotPostgres(options.database.url, null);
      databaseFile = null;
      notes.push(
        "pg_dump is not on PATH: this archive holds the attachments only. Dump the database " +
          'with `pg_dump --format=custom --file=greydesk.pgdump "$DATABASE_URL"` (the same ' +
          "major version as the server, or newer) right before, and keep both files together.",
      );
    }
    progress({ phase: "database", done: 1, total: 1 });

    const root = path.join(options.dataDir, "attachments");
    const missing: string[] = [];
    let linked = 0;
    const keys = snapshot.keys.filter((key) => ATTACHMENT_KEY.test(key));
    for (const key of keys) {
      const from = attachmentPath(root, key);
      const to = attachmentPath(path.join(staging, "attachments"), key);
      await mkdir(path.dirname(to), { recursive: true });
      try {
        await link(from, to);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          missing.push(key);
          continue;
        }
        await copyFile(from, to);
      }
      linked += 1;
      progress({ phase: "attachments", done: linked, total: keys.length });
    }
    if (missing.length > 0) {
      notes.push(
        `${missing.length} attachment file(s) named by the database were already gone ` +
          "(removed after the snapshot, or lost before it); listed in the manifest.",
      );
    }
    const secret = path.join(options.dataDir, SECRET_FILE);
    const hasSecret = (await stat(secret).catch(() => null)) !== null;
    if (hasSecret) {
      await copyFile(secret, path.join(staging, SECRET_FILE));
    }

    const names = [
      ...(databaseFile === null ? [] : [databaseFile]),
      ...(hasSecret ? [SECRET_FILE] : []),
      ...keys
        .filter((key) => !missing.includes(key))
        .map((key) => `attachments/${key.slice(0, 2)}/${key}`),
    ];
    const files: BackupManifest["files"] = [];
    let attachmentBytes = 0;
    for (const name of names) {
      const file = path.join(staging, name);
      const size = (await stat(file)).size;
      files.push({ path: name, size, sha256: await sha256File(file) });
      if (name.startsWith("attachments/")) {
        attachmentBytes += size;
      }
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: (options.now ?? new Date()).toISOString(),
      database: {
        kind: options.database.type,
        file: databaseFile,
        migrations: snapshot.migrations,
      },
      attachments: {
        count: files.filter((f) => f.path.startsWith("attachments/")).length,
        bytes: attachmentBytes,
      },
      missingAttachments: missing,
      files,
    };
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);

    // The tar stream is counted before compression: its size is known in advance.
    const total = files.reduce((sum, f) => sum + f.size + 1024, 0);
    let done = 0;
    const hash = createHash("sha256");
    let bytes = 0;
    await pipeline(
      tar.c({ cwd: staging, portable: true }, [MANIFEST_FILE, ...names]),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          done += chunk.length;
          progress({ phase: "archive", done: Math.min(done, total), total });
          callback(null, chunk);
        },
      }),
      createGzip(),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(partial, { mode: 0o600 }),
    );
    await fsyncFile(partial);
    await rename(partial, options.target);
    const sha256 = hash.digest("hex");
    await writeFile(`${options.target}.sha256`, `${sha256}  ${path.basename(options.target)}\n`);
    return { file: options.target, sha256, bytes, manifest, notes };
  } finally {
    await rm(partial, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

/** The names of this build's migrations, oldest first. */
export function knownMigrations(): string[] {
  return migrations.map((migration) => migration.name);
}

/** `greydesk-backup-20261207T112233Z.tar.gz`: sorts by time, as the schedule's pruning needs. */
export function backupFileName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `greydesk-backup-${stamp}.tar.gz`;
}

export const BACKUP_NAME = /^greydesk-backup-\d{8}T\d{6}Z\.tar\.gz$/;
