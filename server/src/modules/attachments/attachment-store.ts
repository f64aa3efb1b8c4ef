import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import type { ReadStream } from "node:fs";
import path from "node:path";

const KEY = /^[0-9a-f]{32}$/;

/** Owner-only, and on disk before anything may point at it. */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Attachment bytes on disk, under `root` (the data folder, never a served one). Names are random
 * keys made here; nothing a client sends becomes part of a path. Writes are fsynced (file and
 * folder) before a database row may point at them.
 */
export class AttachmentStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) {
      throw new Error("Not an attachment key");
    }
    return path.join(this.root, key.slice(0, 2), key);
  }

  /**
   * Moves an uploaded file (written under the data folder while the request was read) into the
   * store under a new key, durably, and returns the key. The file is gone from `file` after.
   */
  async adopt(file: string): Promise<string> {
    const key = randomBytes(16).toString("hex");
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    await syncFile(file);
    try {
      await rename(file, target);
    } catch (error) {
      // Another file system (a data folder split over mounts): copy, then drop the upload.
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") {
        throw error;
      }
      await copyFile(file, target);
      await syncFile(target);
      await unlink(file);
    }
    const folder = await open(dir, "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
    return key;
  }

  read(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Removes blobs no row points at (left by a crash between the write and the commit), if older
   * than `graceMs` so an upload in flight is never touched. Returns how many were removed.
   */
  async collectGarbage(
    isReferenced: (keys: string[]) => Promise<Set<string>>,
    graceMs = 3600_000,
  ): Promise<number> {
    let removed = 0;
    let folders: string[];
    try {
      folders = await readdir(this.root);
    } catch {
      return 0;
    }
    for (const folder of folders) {
      if (!/^[0-9a-f]{2}$/.test(folder)) {
        continue;
      }
      const keys = (await readdir(path.join(this.root, folder))).filter((name) => KEY.test(name));
      if (keys.length === 0) {
        continue;
      }
      const referenced = await isReferenced(keys);
      for (const key of keys) {
        if (referenced.has(key)) {
          continue;
        }
        const info = await stat(this.pathOf(key)).catch(() => null);
        if (info !== null && Date.now() - info.mtimeMs > graceMs) {
          await this.remove(key);
          removed += 1;
        }
      }
    }
    return removed;
  }
}
