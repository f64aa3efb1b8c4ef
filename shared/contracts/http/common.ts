import { z } from "zod";
import { parseImei } from "../../domain/imei";
import type { ImeiValid } from "../../domain/imei";
import { isIsoDate } from "../../domain/warranty";
import { Limits } from "../../domain/limits";

/** An email address, lower-cased. */
export const emailField = z
  .string({ error: "must be text" })
  .trim()
  .max(Limits.emailMax, `must be at most ${Limits.emailMax} characters`)
  .pipe(z.email({ error: "must be an email address" }))
  .transform((value) => value.toLowerCase());

/** A phone number as people write it: digits, spaces, dashes, dots, brackets, a leading +. */
export const phoneField = z
  .string({ error: "must be text" })
  .trim()
  .regex(/^\+?[0-9 ().-]{5,32}$/, "must be a phone number (digits, spaces, + - . ( ))");

/** A calendar date `YYYY-MM-DD`. */
export const isoDateField = z
  .string({ error: "must be a date (YYYY-MM-DD)" })
  .refine(isIsoDate, "must be a date (YYYY-MM-DD)");

/** An IMEI as a customer types it; parses to its canonical form or names the failed check. */
export const imeiField = z.string({ error: "must be text" }).transform((raw, ctx): ImeiValid => {
  const result = parseImei(raw);
  if (!result.valid) {
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  }
  return result;
});

/** A random id as the API hands them out. */
export const uuidField = z.uuid({ error: "must be an id" });

/** Formats a ticket's human number: 1042 -> "GD-1042". */
export function ticketNumberLabel(number: number): string {
  return `GD-${number}`;
}

/** A boolean in JSON, or "true"/"false" in a multipart form (where every field is text). */
export const formBoolean = z.union(
  [z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")],
  { error: "must be true or false" },
);

/** A whole number >= 0 in JSON, or its digits in a multipart form. */
export const formCount = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
  ],
  { error: "must be a whole number" },
);

/** The `response` of a route that answers 204 (or writes a file): no JSON body. */
export const NoContent = z.undefined();
