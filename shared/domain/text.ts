import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Control characters other than TAB, LF and CR; NUL among them (PostgreSQL text cannot hold it).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;

/** Length in Unicode code points, the unit every limit is counted in on both databases. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) {
    count++;
  }
  return count;
}

interface TextOptions {
  min?: number;
  max: number;
  /** Multi-line text (descriptions, messages) may hold TAB, LF and CR; single-line text may not. */
  multiline?: boolean;
  label?: string;
}

/**
 * A text field as every API input takes it: trimmed, valid Unicode (no lone surrogates, no NUL
 * or other control characters), and within its limits in code points.
 */
export function textField({ min = 1, max, multiline = false }: TextOptions) {
  return (
    z
      .string({ error: "must be text" })
      // One line-break convention whatever the sender used (multipart forms send CRLF).
      .transform((value) => value.replace(/\r\n?/g, "\n").trim())
      .superRefine((value, ctx) => {
        if (LONE_SURROGATE.test(value)) {
          ctx.addIssue({ code: "custom", message: "contains invalid Unicode (a lone surrogate)" });
          return;
        }
        if (CONTROL.test(value)) {
          ctx.addIssue({ code: "custom", message: "contains a control character" });
          return;
        }
        if (!multiline && LINE_BREAK_OR_TAB.test(value)) {
          ctx.addIssue({ code: "custom", message: "must be a single line" });
          return;
        }
        const length = codePointLength(value);
        if (length < min) {
          ctx.addIssue({
            code: "custom",
            message: min === 1 ? "is required" : `must be at least ${min} characters`,
          });
        } else if (length > max) {
          ctx.addIssue({ code: "custom", message: `must be at most ${max} characters` });
        }
      })
  );
}

/**
 * A search term (a query string value): trimmed, one line, valid Unicode, no control characters
 * (no stored text holds one, and PostgreSQL refuses NUL in a parameter).
 */
export function searchField(max: number) {
  return textField({ max });
}
