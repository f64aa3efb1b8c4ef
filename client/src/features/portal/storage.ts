// sessionStorage, safely: it can be missing, full, or throw (private modes, blocked storage).
// What the portal keeps there lives only as long as the tab.

/** The stored value under `key`, parsed, or null. */
export function readStored(key: string): unknown {
  try {
    const text = window.sessionStorage.getItem(key);
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** Stores `value` as JSON under `key`; failures are ignored (the page works without). */
export function writeStored(key: string, value: unknown): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage is a convenience here.
  }
}

/** Removes `key`. */
export function removeStored(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // Nothing to do.
  }
}

/** The string properties of a stored object (anything else is dropped). */
export function storedStrings(value: unknown): Record<string, string> {
  const strings: Record<string, string> = {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (typeof item === "string") {
        strings[key] = item;
      }
    }
  }
  return strings;
}
