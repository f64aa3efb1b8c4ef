import type { Request, RequestHandler } from "express";
import multer from "multer";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { AppError, ValidationError } from "../../errors/app-error";

/** The multipart field that carries the distributor's CSV. */
export const CSV_FIELD = "file";

/** Content types browsers and tools send for a .csv file (Excel on Windows says ms-excel). */
const CSV_TYPES = new Set([
  "text/csv",
  "application/csv",
  "text/plain",
  "application/vnd.ms-excel",
  "application/octet-stream",
]);

/** Whether an upload looks like a CSV by its name and declared type (the content is read later). */
export function isCsvUpload(file: { originalname: string; mimetype: string }): boolean {
  const type = file.mimetype.split(";")[0].trim().toLowerCase();
  return /\.csv$/i.test(file.originalname) && CSV_TYPES.has(type);
}

/**
 * Takes one CSV file in memory from a multipart body (field `file`, at most
 * CatalogLimits.importFileBytes, no other parts to speak of). Oversize is 413; another type, more
 * files, unknown fields or a malformed body are 400; a JSON body is 400 too.
 */
export function acceptCsvUpload(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    defParamCharset: "utf8",
    limits: {
      fileSize: CatalogLimits.importFileBytes,
      files: 1,
      fields: 0,
      parts: 1,
      headerPairs: 50,
    },
    fileFilter: (_req, file, accept) => {
      if (isCsvUpload(file)) {
        accept(null, true);
        return;
      }
      accept(
        new ValidationError("The file must be a CSV", [
          { path: CSV_FIELD, message: "must be a .csv file (text/csv)" },
        ]),
      );
    },
  }).single(CSV_FIELD);

  return (req, res, next) => {
    if (!req.is("multipart/form-data")) {
      next(
        new ValidationError("Send the CSV as multipart/form-data", [
          { path: CSV_FIELD, message: `is required, as a multipart file field "${CSV_FIELD}"` },
        ]),
      );
      return;
    }
    upload(req, res, (error: unknown) => {
      if (error === undefined || error === null) {
        next();
        return;
      }
      if (error instanceof AppError) {
        next(error);
        return;
      }
      if (error instanceof multer.MulterError) {
        if (error.code === "LIMIT_FILE_SIZE") {
          next(
            new AppError("payload_too_large", "The file is too large", {
              details: [
                {
                  path: CSV_FIELD,
                  message: `at most ${CatalogLimits.importFileBytes / 1024 / 1024} MB`,
                },
              ],
            }),
          );
          return;
        }
        next(
          new ValidationError("The upload is not valid", [
            {
              path: CSV_FIELD,
              message: `one file in the "${CSV_FIELD}" field and nothing else (${error.message})`,
            },
          ]),
        );
        return;
      }
      // busboy's complaints about a malformed multipart body (no boundary, cut-off parts...).
      next(
        new ValidationError("The upload could not be read", [
          { path: "", message: "malformed multipart body" },
        ]),
      );
    });
  };
}

/** The uploaded CSV's bytes. @throws ValidationError when no file came. */
export function uploadedCsv(req: Request): Buffer {
  if (req.file === undefined) {
    throw new ValidationError("No file", [
      { path: CSV_FIELD, message: `is required, as a multipart file field "${CSV_FIELD}"` },
    ]);
  }
  return req.file.buffer;
}
