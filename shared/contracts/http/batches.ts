import { z } from "zod";
import { CatalogLimits } from "../../domain/catalog";
import { isoDay, isoInstant } from "./domain-schemas";
import { textField } from "../../domain/text";
import { isoDateField, uuidField } from "./common";

/** When a batch's warranty starts: on the day its units are imported, or on a given date. */
export const WARRANTY_START_RULES = ["import_date", "date"] as const;
export type WarrantyStartRule = (typeof WARRANTY_START_RULES)[number];
export const BATCH_WARRANTY_MONTHS_MAX = 60;
export const BATCH_DOA_DAYS_MAX = 90;

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
  /**
   * The warranty the desk gives the batch's units, applied to each unit on import (a line's own
   * warranty columns win): months of carrier warranty from the start, days of the DOA window, and
   * when the warranty starts (the import day, or a given date). Null months: no terms.
   */
  warrantyMonths: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(BATCH_WARRANTY_MONTHS_MAX, `must be at most ${BATCH_WARRANTY_MONTHS_MAX}`)
    .nullable()
    .optional(),
  doaDays: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must not be negative")
    .max(BATCH_DOA_DAYS_MAX, `must be at most ${BATCH_DOA_DAYS_MAX}`)
    .nullable()
    .optional(),
  warrantyStartRule: z
    .enum(WARRANTY_START_RULES, { error: "must be import_date or date" })
    .nullable()
    .optional(),
  warrantyStartOn: isoDateField.nullable().optional(),
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
  /** `skipInvalid=true` is `invalid=skip`. */
  skipInvalid: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
});

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
  warrantyMonths: z.number().nullable(),
  doaDays: z.number().nullable(),
  warrantyStartRule: z.enum(WARRANTY_START_RULES).nullable(),
  warrantyStartOn: isoDay.nullable(),
  /** Handsets linked to the batch. */
  units: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type BatchDto = z.output<typeof BatchDto>;

/**
 * What is wrong with a line of a distributor CSV. The IMEI checks against the catalogue:
 * `tac_unknown` (no catalogue entry), `tac_other_model` (the TAC names another model than the
 * batch's), `imei_test_range` (a test-range TAC, never a sold unit), `imei_wiped` (all zeros: the
 * IMEI was erased). The rest are about the line itself.
 */
export const IMPORT_ISSUE_CODES = [
  "unreadable",
  "imei_missing",
  "imei_invalid",
  "imei_repeated",
  "serial_invalid",
  "imei_wiped",
  "imei_test_range",
  "tac_unknown",
  "tac_other_model",
  "variant_unknown",
  "rom_region_invalid",
  "date_invalid",
  "warranty_dates",
  "warranty_source_invalid",
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

/** One problem of a line of a distributor CSV (a line may have several). */
export const ImportIssueDto = z.strictObject({
  /** The line in the file (1 = the header). */
  line: z.number(),
  code: z.enum(IMPORT_ISSUE_CODES),
  /** The IMEI in question (in full, as the duplicates list gives it), when the problem is one. */
  imei: z.string().nullable(),
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
  /** Lines with at least one problem (`count`), and each problem. */
  invalid: z.strictObject({ count: z.number(), items: z.array(ImportIssueDto) }),
  /**
   * How the imported units' warranties were set: by the line's own columns, by the batch's terms,
   * or not at all (those stay pending until an agent records the dates).
   */
  warranty: z.strictObject({ fromFile: z.number(), fromBatch: z.number(), pending: z.number() }),
  listLimit: z.number(),
  durationMs: z.number(),
});
export type ImportReportDto = z.output<typeof ImportReportDto>;

/** Most months a defect-rate trend spans. */
export const DEFECT_TREND_MONTHS_MAX = 36;

/**
 * `GET /api/batches/health?since=&months=`: defects of RMAs on or after `since` (default: all), and
 * a monthly trend over the last `months` calendar months (default 12), the current one included.
 */
export const BatchHealthQuery = z.strictObject({
  since: isoDateField.optional(),
  months: z
    .string({ error: "must be a number" })
    .regex(/^[0-9]{1,2}$/, `must be a whole number from 1 to ${DEFECT_TREND_MONTHS_MAX}`)
    .transform(Number)
    .refine(
      (n) => n >= 1 && n <= DEFECT_TREND_MONTHS_MAX,
      `must be a whole number from 1 to ${DEFECT_TREND_MONTHS_MAX}`,
    )
    .optional(),
});

/**
 * Defective units of a set of units (docs/DOMAIN.md, "Batch quality"): units with a DOA RMA, units
 * with an RMA that reached covered defect, units with either; each unit once per kind, and per
 * 100 units (two decimals).
 */
const defectFigures = {
  units: z.number(),
  doa: z.number(),
  coveredDefect: z.number(),
  defective: z.number(),
  doaPer100: z.number(),
  coveredDefectPer100: z.number(),
  defectivePer100: z.number(),
};

/** One calendar month (`YYYY-MM`, UTC) of a trend: units first counted that month, per 100 units. */
export const DefectTrendPoint = z.strictObject({
  month: z.string().regex(/^[0-9]{4}-[0-9]{2}$/),
  doa: z.number(),
  coveredDefect: z.number(),
  doaPer100: z.number(),
  coveredDefectPer100: z.number(),
});
export type DefectTrendPoint = z.output<typeof DefectTrendPoint>;

export const DefectRateRow = z.strictObject({ ...defectFigures, trend: z.array(DefectTrendPoint) });
export type DefectRateRow = z.output<typeof DefectRateRow>;

/** Batch quality as a defect rate, by batch and by distributor, with monthly trends. */
export const BatchHealthDto = z.strictObject({
  since: isoDay.nullable(),
  /** The trend's months, oldest first (every row's trend has one point per month). */
  months: z.array(z.string()),
  overall: DefectRateRow,
  batches: z.array(
    z.strictObject({
      id: z.string(),
      reference: z.string(),
      distributor: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
      variant: z.string().nullable(),
      receivedOn: isoDay.nullable(),
      ...DefectRateRow.shape,
    }),
  ),
  /** One row per distributor with batches; `id` null gathers the batches with no distributor. */
  distributors: z.array(
    z.strictObject({
      id: z.string().nullable(),
      name: z.string(),
      batches: z.number(),
      ...DefectRateRow.shape,
    }),
  ),
});
export type BatchHealthDto = z.output<typeof BatchHealthDto>;

export const DistributorListResponse = z.strictObject({ items: z.array(DistributorDto) });
export const DistributorResponse = z.strictObject({ distributor: DistributorDto });
export const BatchListResponse = z.strictObject({ items: z.array(BatchDto) });
export const BatchResponse = z.strictObject({ batch: BatchDto });
export const ImportReportResponse = z.strictObject({ report: ImportReportDto });
