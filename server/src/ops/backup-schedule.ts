import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { BackupSchedule, DatabaseConfig } from "../config/config";
import type { Logger } from "../logging/logger";
import { BACKUP_NAME, backupFileName, createBackup } from "./backup";

/**
 * Removes all but the newest `keep` scheduled backups in `dir` (their names sort by time), each
 * with its `.sha256`. Other files in the folder are never touched. Returns the names removed.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => BACKUP_NAME.test(name)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) {
    await rm(path.join(dir, name), { force: true });
    await rm(path.join(dir, `${name}.sha256`), { force: true });
  }
  return old;
}

/**
 * BACKUP_DIR / BACKUP_EVERY / BACKUP_KEEP: a backup every `everyMs` (the first one `everyMs`
 * after start), never two at once, then the oldest beyond `keep` removed. A failure is logged
 * and the next run tries again. Returns a stop function that waits for a run in flight.
 */
export function startBackupSchedule(
  schedule: BackupSchedule,
  desk: { database: DatabaseConfig; dataDir: string },
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const runOnce = async () => {
    const target = path.join(schedule.dir, backupFileName(new Date()));
    const result = await createBackup({ ...desk, target });
    const removed = await pruneBackups(schedule.dir, schedule.keep);
    logger.info("server", "scheduled backup written", {
      file: result.file,
      bytes: result.bytes,
      sha256: result.sha256,
      removed: removed.length,
    });
    for (const note of result.notes) {
      logger.warn("server", "scheduled backup", { note });
    }
  };
  const timer = setInterval(() => {
    if (running !== null) {
      return;
    }
    running = runOnce()
      .catch((error: unknown) =>
        logger.error("server", "scheduled backup failed", { err: String(error) }),
      )
      .finally(() => {
        running = null;
      });
  }, schedule.everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
