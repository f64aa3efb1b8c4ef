import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { freePort } from "./ports";

const run = promisify(execFile);

/**
 * A private PostgreSQL cluster for tests that stop the database (the machine's shared server on
 * 5432 is never touched): `initdb` in a temporary folder, `pg_ctl` on a spare loopback port, trust
 * authentication, durable settings (fsync, synchronous_commit). Run as root, the cluster belongs
 * to the `postgres` OS user, since initdb refuses root.
 */
export interface PgInstance {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/<database> */
  urlOf(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Starts the server (again) and waits until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate` (a crash: no checkpoint, recovery on the next start). */
  stopImmediate(): Promise<void>;
  /** Stops the server if running and removes the cluster. */
  destroy(): Promise<void>;
  /** The server log, for failure messages. */
  log(): Promise<string>;
}

/** The postgres OS user's ids when running as root (the cluster must belong to it), else null. */
function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) {
    return null;
  }
  // /etc/passwd: name:x:uid:gid:...
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((row) => row.startsWith("postgres:"));
  if (line === undefined) {
    throw new Error("running as root needs a `postgres` OS user to own the test cluster");
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Where initdb and pg_ctl are: on PATH, or (Debian and Ubuntu keep them off PATH) in the newest
 * /usr/lib/postgresql/<version>/bin.
 */
function toolPath(tool: string): string {
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir !== "" && existsSync(path.join(dir, tool)));
  if (onPath) {
    return tool;
  }
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", tool)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`${tool} is neither on PATH nor under ${root}/*/bin`);
  }
  return path.join(root, versions[0], "bin", tool);
}

export async function startPgInstance(): Promise<PgInstance> {
  const ids = postgresIds();
  const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-pg-"));
  if (ids !== null) {
    chownSync(dir, ids.uid, ids.gid);
  }
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const port = await freePort();
  // As root, every PostgreSQL tool runs as the postgres user.
  const pg = (tool: string, args: string[]) =>
    ids === null
      ? run(toolPath(tool), args, { timeout: 120_000 })
      : run("runuser", ["-u", "postgres", "--", toolPath(tool), ...args], { timeout: 120_000 });
  let running = false;

  try {
    await pg("initdb", [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const instance: PgInstance = {
    port,
    urlOf: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new Client({ connectionString: instance.urlOf("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return instance.urlOf(name);
    },
    async start() {
      await pg("pg_ctl", [
        "-D",
        data,
        "-l",
        logFile,
        "-w",
        "-t",
        "60",
        "-o",
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} ` +
          "-c fsync=on -c synchronous_commit=on -c max_connections=60",
        "start",
      ]);
      running = true;
    },
    async stopImmediate() {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) {
        await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
        running = false;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    async log() {
      try {
        return (await run("tail", ["-n", "50", logFile])).stdout;
      } catch {
        return "";
      }
    },
  };
  try {
    await instance.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return instance;
}
