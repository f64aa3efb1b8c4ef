import type { Response } from "express";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Attachment } from "./attachment.entity";
import { contentDisposition } from "./filenames";

/**
 * Sends an attachment as an inert download: always `attachment`, the server's content type,
 * no sniffing, and a sandbox CSP in case a browser renders it anyway.
 */
export async function sendAttachment(
  res: Response,
  attachment: Attachment,
  stream: Readable,
): Promise<void> {
  res.status(200);
  res.setHeader("Content-Type", attachment.contentType);
  res.setHeader("Content-Length", String(attachment.size));
  res.setHeader("Content-Disposition", contentDisposition(attachment.filename));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
  res.setHeader("Cache-Control", "private, no-store");
  await pipeline(stream, res);
}
