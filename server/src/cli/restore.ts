import "reflect-metadata";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../config/config";
import { BackupError } from "../ops/backup";
import { restoreBackup } from "../ops/restore";
import { opsProgressBar } from "./ops-progress";
import { runCommand } from "./run-command";

/**
 * `npm run restore -- PATH [--force]`: puts a backup made by `npm run backup` in place as the desk
 * DATABASE_URL and GREYDESK_DATA_DIR name, after checking all of it; refuses a desk that is
 * running, or has data unless --force. See docs/ARCHITECTURE.md, "Operations".
 *
 * Exit codes: 0 restored, 1 refused or failed (nothing changed), 64 bad usage, 78 bad
 * configuration.
 */

const USAGE =
  "usage: npm run restore -- PATH [--force]\n" +
  "  PATH     an archive written by npm run backup\n" +
  "  --force  replace a desk that has data (SQLite: its files are kept beside, renamed)\n";

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let archive: string;
  let force: boolean;
  try {
    const args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { force: { type: "boolean", default: false } },
    });
    if (args.positionals.length !== 1) {
      throw new Error("one PATH");
    }
    archive = args.positionals[0]!;
    force = args.values.force;
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
  const bar = opsProgressBar();
  try {
    const result = await restoreBackup({
      archive,
      database: config.database,
      dataDir: config.dataDir,
      force,
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    const m = result.manifest;
    out(`Restored the backup of ${m.createdAt}: ${m.attachments.count} attachments.`);
    out(
      result.migrated.length === 0
        ? "  database: passed PRAGMA integrity_check; no newer migrations"
        : `  database: passed PRAGMA integrity_check; applied ${result.migrated.join(", ")}`,
    );
    for (const aside of result.keptAside) {
      out(`  the replaced desk's files are kept at ${aside}`);
    }
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof BackupError) {
      err(`Restore refused: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

runCommand(module, main, "Restore failed");
