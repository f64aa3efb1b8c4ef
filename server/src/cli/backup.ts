import "reflect-metadata";
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../config/config";
import { BackupError, backupFileName, createBackup } from "../ops/backup";
import { opsProgressBar } from "./ops-progress";
import { runCommand } from "./run-command";

/**
 * `npm run backup -- PATH`: a consistent snapshot of the desk DATABASE_URL and GREYDESK_DATA_DIR
 * name, running or not, in one `.tar.gz` (PATH, or a new file in PATH when it is a folder), with
 * its SHA-256 beside it. See docs/ARCHITECTURE.md, "Operations".
 *
 * Exit codes: 0 written, 1 failed (nothing left behind), 64 bad usage, 78 bad configuration.
 */

const USAGE =
  "usage: npm run backup -- PATH\n" +
  "  PATH  the archive to write (.tar.gz), or a folder to write greydesk-backup-<time>.tar.gz in\n";

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let target: string;
  try {
    const args = parseArgs({ args: argv, allowPositionals: true, options: {} });
    if (args.positionals.length !== 1) {
      throw new Error("one PATH");
    }
    target = args.positionals[0]!;
  } catch {
    err(USAGE);
    return 64;
  }
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 78;
    }
    throw error;
  }
  const now = new Date();
  const info = await stat(target).catch(() => null);
  if (info?.isDirectory() || target.endsWith("/")) {
    target = path.join(target, backupFileName(now));
  } else if (info !== null) {
    err(`${target} exists; choose a new name or a folder.`);
    return 1;
  }
  const bar = opsProgressBar();
  try {
    const result = await createBackup({
      database: config.database,
      dataDir: config.dataDir,
      target,
      now,
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    result.notes.forEach(err);
    const m = result.manifest;
    out(`Backup written: ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB)`);
    out(
      `  database: ${m.database.file === null ? "not included (see above)" : m.database.kind}, ` +
        `${m.database.migrations.length} migrations; attachments: ${m.attachments.count} files`,
    );
    out(`  sha256: ${result.sha256} (also in ${path.basename(result.file)}.sha256)`);
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof BackupError) {
      err(`Backup failed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

runCommand(module, main, "Backup failed");
