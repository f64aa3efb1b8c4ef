import { z } from "zod";
import { CatalogLimits } from "../../domain/catalog";
import { CATEGORIES } from "../../domain/enums";
import { isoDay, isoInstant } from "./domain-schemas";
import { textField } from "../../domain/text";
import { isoDateField, uuidField } from "./common";

const optionalText = (max: number) =>
  textField({ min: 0, max })
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

const notesField = textField({ min: 0, max: CatalogLimits.notesMax, multiline: true })
  .transform((value) => (value === "" ? null : value))
  .nullable()
  .optional();

/** `POST /api/distributors`. */
export const CreateDistributorRequest = z.strictObject({
  name: textField({ max: CatalogLimits.distributorNameMax }),
  country: z
    .string({ error: "must be text" })
    .regex(/^[A-Z]{2}$/, "must be a 2-letter country code")
    .nullable()
    .optional(),
  notes: notesField,
});
export type CreateDistributorInput = z.output<typeof CreateDistributorRequest>;

const batchFields = {
  distributorId: uuidField.nullable().optional(),
  variantId: uuidField.nullable().optional(),
  romRegion: optionalText(CatalogLimits.romRegionMax),
  quantity: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must not be negative")
    .max(10_000_000, "is too large")
    .nullable()
    .optional(),
  customsReference: optionalText(CatalogLimits.customsReferenceMax),
  orderedOn: isoDateField.nullable().optional(),
  shippedOn: isoDateField.nullable().optional(),
  receivedOn: isoDateField.nullable().optional(),
  notes: notesField,
};

/** A batch reference: letters, digits and `-_./`, as printed on the shipping papers. */
export const batchReferenceField = z
  .string({ error: "must be text" })
  .trim()
  .regex(
    new RegExp(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,${CatalogLimits.batchReferenceMax - 1}}$`),
    `must be 1-${CatalogLimits.batchReferenceMax} letters, digits, . _ / or -`,
  );

/** `POST /api/batches`. */
export const CreateBatchRequest = z.strictObject({
  reference: batchReferenceField,
  ...batchFields,
});
export type CreateBatchInput = z.output<typeof CreateBatchRequest>;

/** `PATCH /api/batches/:id`. */
export const UpdateBatchRequest = z
  .strictObject({ reference: batchReferenceField.optional(), ...batchFields })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateBatchInput = z.output<typeof UpdateBatchRequest>;

/**
 * `POST /api/batches/:id/import` query. `dryRun=true` checks the file and writes nothing;
 * `invalid=skip` imports the valid rows of a file with invalid ones (by default such a file is
 * refused whole, so nothing is half-imported).
 */
export const ImportQuery = z.strictObject({
  dryRun: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  invalid: z.enum(["reject", "skip"], { error: "must be reject or skip" }).optional(),
});

/** `GET /api/batches/health?since=`: tickets opened on or after `since` (default: all). */
export const BatchHealthQuery = z.strictObject({ since: isoDateField.optional() });

export const DistributorDto = z.strictObject({
  id: z.string(),
  name: z.string(),
  country: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: isoInstant,
});
export type DistributorDto = z.output<typeof DistributorDto>;

export const BatchDto = z.strictObject({
  id: z.string(),
  reference: z.string(),
  distributor: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  variant: z
    .strictObject({ id: z.string(), name: z.string(), brand: z.string(), model: z.string() })
    .nullable(),
  romRegion: z.string().nullable(),
  quantity: z.number().nullable(),
  customsReference: z.string().nullable(),
  orderedOn: isoDay.nullable(),
  shippedOn: isoDay.nullable(),
  receivedOn: isoDay.nullable(),
  notes: z.string().nullable(),
  /** Handsets linked to the batch. */
  units: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type BatchDto = z.output<typeof BatchDto>;

/** One problem row of a distributor CSV. */
export const ImportIssueDto = z.strictObject({
  /** The line in the file (1 = the header). */
  line: z.number(),
  message: z.string(),
});
export type ImportIssueDto = z.output<typeof ImportIssueDto>;

export const ImportDuplicateDto = z.strictObject({
  line: z.number(),
  /** The identifier that is a repeat: an IMEI (either slot) or a serial number. */
  kind: z.enum(["imei", "serial"]),
  value: z.string(),
  /** Where it was first seen: an earlier line of the file, or the database. */
  firstLine: z.number().nullable(),
  where: z.enum(["file", "database"]),
});
export type ImportDuplicateDto = z.output<typeof ImportDuplicateDto>;

/** The outcome of an import (CLI and API alike). Lists are cut at `listLimit` entries. */
export const ImportReportDto = z.strictObject({
  batchId: z.string(),
  reference: z.string(),
  status: z.enum(["imported", "rejected", "dry_run"]),
  dryRun: z.boolean(),
  rows: z.number(),
  imported: z.strictObject({ units: z.number(), identifiers: z.number() }),
  /** Units skipped (a repeat within the file, or an identifier already on record), and each repeat. */
  duplicates: z.strictObject({
    inFile: z.number(),
    inDatabase: z.number(),
    items: z.array(ImportDuplicateDto),
  }),
  invalid: z.strictObject({ count: z.number(), items: z.array(ImportIssueDto) }),
  listLimit: z.number(),
  durationMs: z.number(),
});
export type ImportReportDto = z.output<typeof ImportReportDto>;

export const HealthCell = z.strictObject({
  category: z.enum(CATEGORIES),
  tickets: z.number(),
  per100: z.number(),
});
export type HealthCell = z.output<typeof HealthCell>;

/** Tickets per 100 units, per batch and category: a bad shipment stands out. */
export const BatchHealthDto = z.strictObject({
  since: isoDay.nullable(),
  overall: z.strictObject({ units: z.number(), tickets: z.number(), per100: z.number() }),
  byCategory: z.array(HealthCell),
  batches: z.array(
    z.strictObject({
      id: z.string(),
      reference: z.string(),
      distributor: z.string().nullable(),
      variant: z.string().nullable(),
      receivedOn: isoDay.nullable(),
      units: z.number(),
      tickets: z.number(),
      per100: z.number(),
      byCategory: z.array(HealthCell),
    }),
  ),
});
export type BatchHealthDto = z.output<typeof BatchHealthDto>;

export const DistributorListResponse = z.strictObject({ items: z.array(DistributorDto) });
export const DistributorResponse = z.strictObject({ distributor: DistributorDto });
export const BatchListResponse = z.strictObject({ items: z.array(BatchDto) });
export const BatchResponse = z.strictObject({ batch: BatchDto });
export const ImportReportResponse = z.strictObject({ report: ImportReportDto });
