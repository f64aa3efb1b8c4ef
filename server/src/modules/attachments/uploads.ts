import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Request, RequestHandler } from "express";
import multer from "multer";
import { AttachmentLimits, Limits } from "../../../../shared/domain/limits";
import { AppError } from "../../errors/app-error";
import type { IncomingFile } from "./attachments.service";

const FIELDS = 20;
const FIELD_BYTES = Limits.descriptionMax * 4 + 1024;

/**
 * The largest multipart body worth reading: five files at the size limit, the text fields, and
 * room for the part headers. A larger declared Content-Length is refused before a byte is read.
 */
export const MAX_MULTIPART_BYTES =
  AttachmentLimits.files * AttachmentLimits.fileBytes + FIELDS * FIELD_BYTES + 256 * 1024;

/** Where uploads are written while a request is read: inside the data folder, never served. */
export function incomingUploadsDir(dataDir: string): string {
  return path.join(dataDir, "uploads");
}

/** The request's own folder under the incoming one, and whether a handler took its files. */
interface Incoming {
  dir: Promise<string>;
  claimed: boolean;
}

const incoming = new WeakMap<Request, Incoming>();

function removeFolder(dir: Promise<string>): Promise<void> {
  return dir.then(
    (folder) => rm(folder, { recursive: true, force: true }),
    () => undefined,
  );
}

function tooLarge(field: string): AppError {
  return new AppError("payload_too_large", "A file is too large", {
    details: [
      {
        path: field,
        message: `each file at most ${AttachmentLimits.fileBytes / 1024 / 1024} MB, at most ${AttachmentLimits.files} files`,
      },
    ],
  });
}

/**
 * Multipart uploads for messages: files streamed to disk in a folder of the request's own under
 * `dir` (each at most 10 MB, at most 5), text fields beside them. Nothing is held in memory, and
 * a body that declares more than the limits allow is refused before it is read. A JSON request
 * passes through untouched. Limits and malformed bodies become the API's errors (413 for size,
 * 400 otherwise), never a crash. The folder is removed when the answer is sent, unless a handler
 * took the files with `withUploadedFiles` (it removes them when it is done).
 *
 * Put it after the checks that may refuse the request (link token, rate limits): those answer
 * before anything is read.
 */
export function acceptUploads(dir: string, field = "attachments"): RequestHandler {
  const upload = multer({
    storage: multer.diskStorage({
      destination: (req, _file, done) => {
        let entry = incoming.get(req);
        if (entry === undefined) {
          entry = {
            dir: mkdir(dir, { recursive: true }).then(() => mkdtemp(path.join(dir, "request-"))),
            claimed: false,
          };
          incoming.set(req, entry);
          entry.dir.catch(() => undefined);
        }
        entry.dir.then(
          (folder) => done(null, folder),
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), ""),
        );
      },
    }),
    // Browsers send UTF-8 file names without saying so; latin1 (the default) garbles them.
    defParamCharset: "utf8",
    limits: {
      fileSize: AttachmentLimits.fileBytes,
      files: AttachmentLimits.files,
      fields: FIELDS,
      fieldSize: FIELD_BYTES,
      parts: 40,
      headerPairs: 200,
    },
  }).array(field, AttachmentLimits.files);
  return (req, res, next) => {
    if (!req.is("multipart")) {
      next();
      return;
    }
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > MAX_MULTIPART_BYTES) {
      next(tooLarge(field));
      return;
    }
    res.on("close", () => {
      const entry = incoming.get(req);
      if (entry !== undefined && !entry.claimed) {
        void removeFolder(entry.dir);
      }
    });
    upload(req, res, (error: unknown) => {
      if (error === undefined || error === null) {
        return next();
      }
      if (error instanceof multer.MulterError) {
        if (error.code === "LIMIT_FILE_SIZE") {
          return next(tooLarge(field));
        }
        const tooMany = error.code === "LIMIT_FILE_COUNT" || error.code === "LIMIT_UNEXPECTED_FILE";
        return next(
          new AppError(
            "validation_failed",
            tooMany ? "Too many files" : "The upload is not valid",
            {
              details: [
                {
                  path: error.field && !tooMany ? error.field : field,
                  message: tooMany
                    ? `at most ${AttachmentLimits.files} files, in the "${field}" field`
                    : error.message,
                },
              ],
            },
          ),
        );
      }
      // busboy's complaints about a malformed multipart body (no boundary, cut-off parts...).
      next(
        new AppError("validation_failed", "The upload could not be read", {
          details: [{ path: "", message: "malformed multipart body" }],
        }),
      );
    });
  };
}

/** The files multer wrote for this request (none for JSON requests). */
function uploadedFiles(req: Request): IncomingFile[] {
  const files = req.files;
  return Array.isArray(files)
    ? files.map(({ originalname, path: file, size }) => ({ originalname, path: file, size }))
    : [];
}

/**
 * Runs `work` with the request's uploaded files and removes what is left of them afterwards
 * (the files `work` stored have been moved into the attachment store by then).
 */
export async function withUploadedFiles<T>(
  req: Request,
  work: (files: IncomingFile[]) => Promise<T>,
): Promise<T> {
  const entry = incoming.get(req);
  if (entry !== undefined) {
    entry.claimed = true;
  }
  try {
    return await work(uploadedFiles(req));
  } finally {
    if (entry !== undefined) {
      await removeFolder(entry.dir);
    }
  }
}

/**
 * Removes request folders left under `dir` by a process that stopped mid-upload, if older than
 * `graceMs` (an upload in flight is never touched). Returns how many were removed.
 */
export async function sweepIncomingUploads(dir: string, graceMs = 3600_000): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((entry) => entry.startsWith("request-"))) {
    const folder = path.join(dir, name);
    const info = await stat(folder).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > graceMs) {
      await rm(folder, { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}
