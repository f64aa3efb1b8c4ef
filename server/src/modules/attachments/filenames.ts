import path from "node:path";

// Bidi overrides and isolates, zero-width characters and the BOM: they make a name look like
// something it is not ("exe.\u202Etxt" shows as "exe.txt").
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const MAX_CODE_POINTS = 120;

/**
 * A file name as uploaded, made into inert display text: the last path segment only (either
 * slash), no control, bidi or zero-width characters, no leading dots, at most 120 code points
 * (keeping the extension). Never used to name anything on disk.
 */
export function sanitizeFilename(raw: string, fallback = "attachment"): string {
  let name = raw.normalize("NFC").replace(CONTROL, "").replace(INVISIBLE, "");
  name = name.split(/[\\/]/).pop() ?? "";
  name = name.replace(/^[.\s]+/, "").trim();
  const points = [...name];
  if (points.length > MAX_CODE_POINTS) {
    const ext = path.extname(name).slice(0, 16);
    name = points.slice(0, MAX_CODE_POINTS - [...ext].length).join("") + ext;
  }
  return name === "" ? fallback : name;
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 6266 / 5987 `filename*`. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7E]/g, "_").replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
