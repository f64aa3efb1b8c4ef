import { z } from "zod";
import { BAND_CONFIDENCES, LEGACY_TECHNOLOGIES } from "../../domain/bands";
import { CALLING_STATUSES, CERTIFICATION_STATUSES } from "../../domain/catalog";
import { VOID_REASONS, WARRANTY_SOURCES } from "../../domain/enums";
import { VERDICT_LEVELS, VERDICT_REASON_CODES, VOICE_PATHS } from "../../domain/verdict";
import type { NetworkVerdict, VerdictSummary } from "../../domain/verdict";
import { WARRANTY_REASONS, WARRANTY_STATUSES } from "../../domain/warranty";
import type { WarrantyDecision } from "../../domain/warranty";

/*
 * Response schemas of the domain's own value types (shared/domain keeps them as plain
 * interfaces; each schema here is typed against its interface, so the two cannot drift).
 * Responses are checked against these in test mode (see server/src/http/api-router.ts).
 */

/** Timestamps as the API sends them (`Date#toISOString`). */
export const isoInstant = z.iso.datetime({ offset: true });
/** A calendar day `YYYY-MM-DD`. */
export const isoDay = z.iso.date();

export const WarrantyDecisionSchema: z.ZodType<WarrantyDecision> = z.strictObject({
  status: z.enum(WARRANTY_STATUSES),
  source: z.enum(WARRANTY_SOURCES),
  reason: z.enum(WARRANTY_REASONS).nullable(),
  voidReason: z.enum(VOID_REASONS).nullable(),
  until: isoDay.nullable(),
  summary: z.string(),
});

/** Verdicts are stored on tickets as they were decided, so extra keys of older ones pass. */
export const NetworkVerdictSchema: z.ZodType<NetworkVerdict> = z.object({
  level: z.enum(VERDICT_LEVELS),
  date: isoDay,
  carrier: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  reasons: z.array(z.object({ code: z.enum(VERDICT_REASON_CODES), message: z.string() })),
  lte: z.object({
    carrier: z.array(z.number()),
    primary: z.array(z.number()),
    usable: z.array(z.number()),
    missing: z.array(z.number()),
    needsVolte: z.array(z.number()),
  }),
  voice: z.enum(VOICE_PATHS),
  legacy: z.array(
    z.object({
      technology: z.enum(LEGACY_TECHNOLOGIES),
      band: z.number(),
      until: isoDay.nullable(),
    }),
  ),
  certification: z
    .object({
      status: z.enum(CERTIFICATION_STATUSES),
      volte: z.enum(CALLING_STATUSES),
      wifiCalling: z.enum(CALLING_STATUSES),
      reference: z.string().nullable(),
      date: isoDay.nullable(),
    })
    .nullable(),
  source: z.object({
    bands: z.string().nullable(),
    confidence: z.enum(BAND_CONFIDENCES).nullable(),
  }),
  summary: z.string(),
  variant: z.object({ id: z.string(), name: z.string(), brand: z.string(), model: z.string() }),
});

export const VerdictSummarySchema: z.ZodType<VerdictSummary> = z.strictObject({
  level: z.enum(VERDICT_LEVELS),
  date: isoDay,
  carrier: z.string(),
  variant: z.string(),
  summary: z.string(),
});
