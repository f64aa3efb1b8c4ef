import type { ApiError } from "../../api/http";

/** An error shown at the top of a form, with links to the fields it is about. */
export interface SummaryItem {
  /** The id of the control to focus, or null for a problem with no field. */
  target: string | null;
  text: string;
}

/**
 * A field's error as a sentence. The API's field messages are predicates ("must be an email
 * address"); those get the field's name in front. Full sentences are kept as they are.
 */
export function asSentence(label: string, message: string): string {
  const trimmed = message.trim();
  let text = trimmed;
  if (/^[a-z]/.test(trimmed)) {
    text = label === "" ? `${trimmed[0].toUpperCase()}${trimmed.slice(1)}` : `${label} ${trimmed}`;
  }
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Splits an API error's details into errors per field (by `path`), errors per attached file
 * (`attachments.N`), and the rest. `labels` names the fields the form knows.
 */
export function detailsByField<F extends string>(
  error: ApiError,
  labels: Readonly<Record<F, string>>,
): { fields: Partial<Record<F, string>>; files: Record<number, string>; other: string[] } {
  const fields: Partial<Record<F, string>> = {};
  const files: Record<number, string> = {};
  const other: string[] = [];
  for (const detail of error.details) {
    const fileIndex = /^attachments\.(\d+)$/.exec(detail.path);
    if (fileIndex !== null) {
      files[Number(fileIndex[1])] = asSentence("This file", detail.message);
    } else if (Object.prototype.hasOwnProperty.call(labels, detail.path)) {
      const field = detail.path as F;
      fields[field] ??= asSentence(labels[field], detail.message);
    } else {
      other.push(detail.path === "" ? asSentence("", detail.message) : detail.message);
    }
  }
  return { fields, files, other };
}

/** What to say when a request failed for a reason that is not about one field. */
export function problemText(error: ApiError): string {
  switch (error.code) {
    case "rate_limited":
      return "Too many tickets were opened from your connection recently. Please try again in an hour, or reply on a ticket you already have.";
    case "payload_too_large":
      return "A file is too large: each file can be at most 10 MB.";
    case "service_unavailable":
      return "We could not reach Greydesk. Check your connection and try again: nothing you typed is lost.";
    case "internal_error":
      return "Something went wrong on our side. Please try again in a moment: nothing you typed is lost.";
    default:
      return error.message.endsWith(".") ? error.message : `${error.message}.`;
  }
}

/** Moves the focus to the control with `id` and brings it into view. */
export function focusControl(id: string): void {
  const element = document.getElementById(id);
  if (element !== null) {
    element.focus();
    element.scrollIntoView({ block: "center" });
  }
}
