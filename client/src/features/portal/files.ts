import { AttachmentLimits } from "../../../../shared/domain/limits";
import { formatSize } from "./words";

// Client-side checks of attachments, mirroring the server's (which decides): at most 5 files,
// 10 MB each, photos or PDFs by their first bytes. They answer at once, before an upload.

export const MAX_FILES = AttachmentLimits.files;
export const MAX_FILE_BYTES = AttachmentLimits.fileBytes;

/** For the file input's `accept`: a hint to the picker, not a check. */
export const ACCEPT =
  "image/jpeg,image/png,image/gif,image/webp,image/heic,image/heif,image/avif,application/pdf,.heic,.heif";

/** A file the customer picked, with an id for lists and a preview URL for images. */
export interface PickedFile {
  id: string;
  file: File;
  /** The detected kind, e.g. "image/png". */
  kind: string;
  /** An object URL for a thumbnail (JPEG, PNG, GIF, WebP), revoked when the file is removed. */
  preview: string | null;
}

/** A file that was not added, and why. */
export interface RejectedFile {
  name: string;
  reason: string;
}

const PREVIEWABLE = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

const HEIF_BRANDS = new Map<string, string>([
  ["heic", "image/heic"],
  ["heix", "image/heic"],
  ["hevc", "image/heic"],
  ["heim", "image/heic"],
  ["heis", "image/heic"],
  ["mif1", "image/heif"],
  ["msf1", "image/heif"],
  ["avif", "image/avif"],
  ["avis", "image/avif"],
]);

/** The kind of a file by its first bytes (as the server checks it), or null. */
export function sniffKind(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return "image/jpeg";
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return "image/png";
  }
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") {
    return "image/gif";
  }
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") {
    return "image/webp";
  }
  if (ascii(bytes, 0, 5) === "%PDF-") {
    return "application/pdf";
  }
  if (ascii(bytes, 4, 8) === "ftyp") {
    return HEIF_BRANDS.get(ascii(bytes, 8, 12)) ?? null;
  }
  return null;
}

async function firstBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, 16).arrayBuffer());
}

let nextId = 0;

/**
 * Checks newly picked files against the limits, given how many are already picked: which to
 * add, and which not (with the reason, for the customer).
 */
export async function checkFiles(
  incoming: readonly File[],
  alreadyPicked: number,
): Promise<{ added: PickedFile[]; rejected: RejectedFile[] }> {
  const added: PickedFile[] = [];
  const rejected: RejectedFile[] = [];
  for (const file of incoming) {
    if (alreadyPicked + added.length >= MAX_FILES) {
      rejected.push({
        name: file.name,
        reason: `not added: you can attach at most ${MAX_FILES} files`,
      });
      continue;
    }
    if (file.size === 0) {
      rejected.push({ name: file.name, reason: "not added: the file is empty" });
      continue;
    }
    if (file.size > MAX_FILE_BYTES) {
      rejected.push({
        name: file.name,
        reason: `not added: it is ${formatSize(file.size)}, and each file can be at most ${formatSize(MAX_FILE_BYTES)}`,
      });
      continue;
    }
    let kind: string | null;
    try {
      kind = sniffKind(await firstBytes(file));
    } catch {
      rejected.push({ name: file.name, reason: "not added: the file could not be read" });
      continue;
    }
    if (kind === null) {
      rejected.push({
        name: file.name,
        reason: "not added: it is not a photo (JPEG, PNG, GIF, WebP, HEIC) or a PDF",
      });
      continue;
    }
    nextId += 1;
    added.push({
      id: `file-${nextId}`,
      file,
      kind,
      preview: PREVIEWABLE.has(kind) ? URL.createObjectURL(file) : null,
    });
  }
  return { added, rejected };
}

/** Frees a picked file's preview. */
export function releaseFile(picked: PickedFile): void {
  if (picked.preview !== null) {
    URL.revokeObjectURL(picked.preview);
  }
}
