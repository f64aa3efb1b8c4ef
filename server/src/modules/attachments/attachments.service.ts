import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileTypeFromFile } from "file-type";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import { AttachmentLimits } from "../../../../shared/domain/limits";
import type { Database } from "../../db/database";
import { NotFoundError, ValidationError } from "../../errors/app-error";
import { Attachment } from "./attachment.entity";
import type { AttachmentStore } from "./attachment-store";
import { sanitizeFilename } from "./filenames";

/** A file as the upload middleware hands it over: written to disk while the request was read. */
export interface IncomingFile {
  originalname: string;
  /** Where the upload is on disk (a temporary folder inside the data folder). */
  path: string;
  size: number;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** A stored blob not yet pointed at by a row. */
export interface StoredBlob {
  storageKey: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** What may be attached, by content: images a phone makes and PDFs. */
const ALLOWED = new Map<string, string>([
  ["image/jpeg", "image/jpeg"],
  ["image/png", "image/png"],
  ["image/gif", "image/gif"],
  ["image/webp", "image/webp"],
  ["image/heic", "image/heic"],
  ["image/heif", "image/heif"],
  ["image/avif", "image/avif"],
  ["application/pdf", "application/pdf"],
]);

/** Attachments: checked by content, stored as inert blobs, served only to who may see the ticket. */
export class AttachmentsService {
  constructor(
    private readonly db: Database,
    private readonly store: AttachmentStore,
  ) {}

  /**
   * Checks each file by its bytes on disk (not its name or label) and moves it into the store.
   * The caller writes the rows in its transaction with `attach`, and calls `discard` when that
   * transaction fails.
   */
  async prepare(files: IncomingFile[]): Promise<StoredBlob[]> {
    if (files.length > AttachmentLimits.files) {
      throw new ValidationError("Too many files", [
        { path: "attachments", message: `at most ${AttachmentLimits.files} files` },
      ]);
    }
    const problems: { path: string; message: string }[] = [];
    const kinds = await Promise.all(files.map((file) => fileTypeFromFile(file.path)));
    files.forEach((file, i) => {
      const kind = kinds[i];
      if (file.size === 0) {
        problems.push({ path: `attachments.${i}`, message: "is empty" });
      } else if (kind === undefined || !ALLOWED.has(kind.mime)) {
        problems.push({
          path: `attachments.${i}`,
          message: "is not a photo (JPEG, PNG, GIF, WebP, HEIC) or a PDF",
        });
      }
    });
    if (problems.length > 0) {
      throw new ValidationError("An attachment is not accepted", problems);
    }
    const stored: StoredBlob[] = [];
    try {
      for (const [i, file] of files.entries()) {
        const sha256 = await sha256Of(file.path);
        stored.push({
          storageKey: await this.store.adopt(file.path),
          filename: sanitizeFilename(file.originalname),
          contentType: ALLOWED.get(kinds[i]!.mime)!,
          size: file.size,
          sha256,
        });
      }
    } catch (error) {
      await this.discard(stored);
      throw error;
    }
    return stored;
  }

  /** Removes blobs whose rows were never committed. */
  async discard(blobs: StoredBlob[]): Promise<void> {
    await Promise.all(
      blobs.map((blob) => this.store.remove(blob.storageKey).catch(() => undefined)),
    );
  }

  /** Writes the rows that make stored blobs part of an event (inside the caller's transaction). */
  async attach(
    em: EntityManager,
    ticketId: string,
    eventId: string,
    blobs: StoredBlob[],
    now: Date,
  ): Promise<void> {
    if (blobs.length === 0) {
      return;
    }
    await em
      .getRepository(Attachment)
      .insert(AttachmentsService.rows(ticketId, eventId, blobs, now));
  }

  /** The rows that make stored blobs part of an event, not yet written. */
  static rows(ticketId: string, eventId: string, blobs: StoredBlob[], now: Date): Attachment[] {
    return blobs.map((blob, position) =>
      Object.assign(new Attachment(), {
        id: randomUUID(),
        ticketId,
        eventId,
        position,
        ...blob,
        createdAt: now,
      }),
    );
  }

  /**
   * Stores `files`, runs `work` with the blobs (it writes the rows in its transaction), and
   * removes the blobs again if `work` fails: no row ever points at a missing blob, and a failure
   * leaves no orphan behind (a crash in between is left to collectGarbage).
   */
  async withUploads<T>(
    files: IncomingFile[],
    work: (blobs: StoredBlob[]) => Promise<T>,
  ): Promise<T> {
    const blobs = await this.prepare(files);
    try {
      return await work(blobs);
    } catch (error) {
      await this.discard(blobs);
      throw error;
    }
  }

  /** The attachments of events, grouped by event id. */
  static async byEvent(em: EntityManager, eventIds: string[]): Promise<Map<string, Attachment[]>> {
    const map = new Map<string, Attachment[]>();
    if (eventIds.length === 0) {
      return map;
    }
    const rows = await em
      .getRepository(Attachment)
      .find({ where: { eventId: In(eventIds) }, order: { position: "ASC" } });
    for (const row of rows) {
      map.set(row.eventId, [...(map.get(row.eventId) ?? []), row]);
    }
    return map;
  }

  /**
   * An attachment of a ticket, for download. `publicOnly`: only attachments of public messages
   * (a customer never gets a file from an internal note). Anything else is 404.
   */
  async open(
    ticketId: string,
    attachmentId: string,
    publicOnly: boolean,
  ): Promise<{ attachment: Attachment; stream: Readable }> {
    const attachment = await this.db.read(async (em) => {
      // The file's message, to know whether it is public: through the entity's relation.
      const row = await em.getRepository(Attachment).findOne({
        where: { id: attachmentId, ticketId },
        relations: publicOnly ? { event: true } : {},
      });
      if (row === null || (publicOnly && !row.event?.public)) {
        return null;
      }
      return row;
    });
    if (attachment === null) {
      throw new NotFoundError("Attachment");
    }
    return { attachment, stream: this.store.read(attachment.storageKey) };
  }

  /** Removes unreferenced blobs older than the grace period. */
  collectGarbage(graceMs?: number): Promise<number> {
    return this.store.collectGarbage(async (keys) => {
      const rows = await this.db.read((em) =>
        em
          .getRepository(Attachment)
          .find({ where: { storageKey: In(keys) }, select: { storageKey: true } }),
      );
      return new Set(rows.map((row) => row.storageKey));
    }, graceMs);
  }
}
