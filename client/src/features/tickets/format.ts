import { formatLongDate, isIsoDate } from "../../../../shared/domain/warranty";

/** An ISO timestamp as the reader's local date and time, e.g. "12 Mar 2026, 14:05". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    date,
  );
}

/** A `YYYY-MM-DD` date as the desk writes it ("12 March 2017"); anything else unchanged. */
export function formatDay(isoDate: string): string {
  return isIsoDate(isoDate) ? formatLongDate(isoDate) : isoDate;
}

/** How long ago `iso` was, in words: "just now", "5 min ago", "3 h ago", "2 days ago", a date. */
export function formatRelative(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return iso;
  }
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) {
    return "just now";
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  const days = Math.round(hours / 24);
  if (days < 7) {
    return days === 1 ? "yesterday" : `${days} days ago`;
  }
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(at));
}

/** Up to two initials of a name, for avatars ("Sam Second" -> "SS", "riley" -> "R"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters
    .map((word) => Array.from(word)[0] ?? "")
    .join("")
    .toUpperCase();
}

/** "Brand Model", or "" when neither is known. */
export function deviceName(handset: { brand: string | null; model: string | null } | null): string {
  if (handset === null) {
    return "";
  }
  return [handset.brand, handset.model].filter((part) => part !== null && part !== "").join(" ");
}
