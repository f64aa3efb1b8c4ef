import { z } from "zod";
import { CatalogLimits } from "../../domain/catalog";
import type { Category } from "../../domain/enums";
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

export interface DistributorDto {
  id: string;
  name: string;
  country: string | null;
  notes: string | null;
  createdAt: string;
}

export interface BatchDto {
  id: string;
  reference: string;
  distributor: { id: string; name: string } | null;
  variant: { id: string; name: string; brand: string; model: string } | null;
  romRegion: string | null;
  quantity: number | null;
  customsReference: string | null;
  orderedOn: string | null;
  shippedOn: string | null;
  receivedOn: string | null;
  notes: string | null;
  /** Handsets linked to the batch. */
  units: number;
  createdAt: string;
  updatedAt: string;
}

/** One problem row of a distributor CSV. */
export interface ImportIssueDto {
  /** The line in the file (1 = the header). */
  line: number;
  message: string;
}

export interface ImportDuplicateDto {
  line: number;
  /** The identifier that is a repeat: an IMEI (either slot) or a serial number. */
  kind: "imei" | "serial";
  value: string;
  /** Where it was first seen: an earlier line of the file, or the database. */
  firstLine: number | null;
  where: "file" | "database";
}

/** The outcome of an import (CLI and API alike). Lists are cut at `listLimit` entries. */
export interface ImportReportDto {
  batchId: string;
  reference: string;
  status: "imported" | "rejected" | "dry_run";
  dryRun: boolean;
  rows: number;
  imported: { units: number; identifiers: number };
  /** Units skipped (a repeat within the file, or an identifier already on record), and each repeat. */
  duplicates: { inFile: number; inDatabase: number; items: ImportDuplicateDto[] };
  invalid: { count: number; items: ImportIssueDto[] };
  listLimit: number;
  durationMs: number;
}

export interface HealthCell {
  category: Category;
  tickets: number;
  per100: number;
}

/** Tickets per 100 units, per batch and category: a bad shipment stands out. */
export interface BatchHealthDto {
  since: string | null;
  overall: { units: number; tickets: number; per100: number };
  byCategory: HealthCell[];
  batches: {
    id: string;
    reference: string;
    distributor: string | null;
    variant: string | null;
    receivedOn: string | null;
    units: number;
    tickets: number;
    per100: number;
    byCategory: HealthCell[];
  }[];
}
