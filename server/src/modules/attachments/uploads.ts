import type { RequestHandler } from "express";
import multer from "multer";
import { AttachmentLimits, Limits } from "../../../../shared/domain/limits";
import { AppError } from "../../errors/app-error";
import type { IncomingFile } from "./attachments.service";

/**
 * Multipart uploads for messages: files in memory (each at most 10 MB, at most 5), text fields
 * beside them. A JSON request passes through untouched. Limits and malformed bodies become the
 * API's errors (413 for size, 400 otherwise), never a crash.
 */
export function acceptUploads(field = "attachments"): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send UTF-8 file names without saying so; latin1 (the default) garbles them.
    defParamCharset: "utf8",
    limits: {
      fileSize: AttachmentLimits.fileBytes,
      files: AttachmentLimits.files,
      fields: 20,
      fieldSize: Limits.descriptionMax * 4 + 1024,
      parts: 40,
      headerPairs: 200,
    },
  }).array(field, AttachmentLimits.files);
  return (req, res, next) => {
    upload(req, res, (error: unknown) => {
      if (error === undefined || error === null) {
        return next();
      }
      if (error instanceof multer.MulterError) {
        if (error.code === "LIMIT_FILE_SIZE") {
          return next(
            new AppError("payload_too_large", "A file is too large", {
              details: [
                {
                  path: field,
                  message: `each file at most ${AttachmentLimits.fileBytes / 1024 / 1024} MB`,
                },
              ],
            }),
          );
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

/** The files multer collected on this request (none for JSON requests). */
export function uploadedFiles(req: Parameters<RequestHandler>[0]): IncomingFile[] {
  const files = req.files;
  return Array.isArray(files)
    ? files.map(({ originalname, buffer, size }) => ({ originalname, buffer, size }))
    : [];
}
