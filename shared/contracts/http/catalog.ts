import { z } from "zod";
import {
  BAND_CONFIDENCES,
  BAND_ROLES,
  TECHNOLOGIES,
  VOLTE_CAPABILITIES,
  isValidBand,
  normaliseBands,
} from "../../domain/bands";
import type { BandConfidence, BandRole, Technology, VolteCapability } from "../../domain/bands";
import {
  CALLING_STATUSES,
  CERTIFICATION_STATUSES,
  CatalogLimits,
  TAC_SOURCES,
} from "../../domain/catalog";
import type { CallingStatus, CertificationStatus, TacSource } from "../../domain/catalog";
import type { TicketStatus } from "../../domain/enums";
import { searchField, textField } from "../../domain/text";
import type { NetworkVerdict } from "../../domain/verdict";
import { isoDateField, uuidField } from "./common";

// ---------------------------------------------------------------------------------------------
// Fields

/** An optional single-line text that `null` (or "") clears. */
const optionalText = (max: number) =>
  textField({ min: 0, max })
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

/** Free notes: multi-line, `null` (or "") clears. */
const notesField = textField({ min: 0, max: CatalogLimits.notesMax, multiline: true })
  .transform((value) => (value === "" ? null : value))
  .nullable()
  .optional();

/** A band list of one technology: numbers, sorted on the way in; `null` = unknown. */
const bandList = (technology: Technology) =>
  z
    .array(z.number({ error: "must be band numbers" }).int("must be whole band numbers"), {
      error: "must be a list of band numbers, or null when unknown",
    })
    .max(64, "has too many bands")
    .superRefine((bands, ctx) => {
      const invalid = bands.filter((band) => !isValidBand(technology, band));
      if (invalid.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${invalid.join(", ")} ${invalid.length === 1 ? "is" : "are"} not ${technology.toUpperCase()} band${invalid.length === 1 ? "" : "s"}`,
        });
      }
    })
    .transform((bands) => normaliseBands(bands))
    .nullable();

/** An 8-digit type allocation code. */
export const tacField = z
  .string({ error: "must be 8 digits" })
  .regex(/^[0-9]{8}$/, "must be exactly 8 digits 0-9");

const atLeastOne = <T extends Record<string, unknown>>(body: T) =>
  Object.values(body).some((value) => value !== undefined);
const AT_LEAST_ONE = { message: "name at least one field to change" };

// ---------------------------------------------------------------------------------------------
// Models

/** `GET /api/catalog/models?q=`: search brand, model and other names. */
export const ListModelsQuery = z.strictObject({ q: searchField(120).optional() });

/** `POST /api/catalog/models`. */
export const CreateModelRequest = z.strictObject({
  brand: textField({ max: CatalogLimits.brandMax }),
  name: textField({ max: CatalogLimits.modelMax }),
  aka: z
    .array(textField({ max: CatalogLimits.modelMax }))
    .max(CatalogLimits.akaMax)
    .default([]),
});
export type CreateModelInput = z.output<typeof CreateModelRequest>;

/** `PATCH /api/catalog/models/:id`. */
export const UpdateModelRequest = z
  .strictObject({
    brand: textField({ max: CatalogLimits.brandMax }).optional(),
    name: textField({ max: CatalogLimits.modelMax }).optional(),
    aka: z
      .array(textField({ max: CatalogLimits.modelMax }))
      .max(CatalogLimits.akaMax)
      .optional(),
  })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateModelInput = z.output<typeof UpdateModelRequest>;

// ---------------------------------------------------------------------------------------------
// Variants

const variantFields = {
  name: textField({ max: CatalogLimits.variantNameMax }),
  region: optionalText(CatalogLimits.regionMax),
  operatorSku: optionalText(CatalogLimits.skuMax),
  lteBands: bandList("lte").optional(),
  umtsBands: bandList("umts").optional(),
  gsmBands: bandList("gsm").optional(),
  cdmaBands: bandList("cdma").optional(),
  volteCapable: z.enum(VOLTE_CAPABILITIES, { error: "must be yes, no or unknown" }).optional(),
  bandSource: optionalText(CatalogLimits.sourceMax),
  bandConfidence: z
    .enum(BAND_CONFIDENCES, { error: "must be high, medium or low" })
    .nullable()
    .optional(),
  notes: notesField,
};

/**
 * `POST /api/catalog/variants`. Band lists are null when unknown (never guess "none"); a variant
 * with any band list names where the lists come from and how far to trust them.
 */
export const CreateVariantRequest = z.strictObject({ modelId: uuidField, ...variantFields });
export type CreateVariantInput = z.output<typeof CreateVariantRequest>;

/** `PATCH /api/catalog/variants/:id`. */
export const UpdateVariantRequest = z
  .strictObject({ ...variantFields, name: variantFields.name.optional() })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateVariantInput = z.output<typeof UpdateVariantRequest>;

/** `GET /api/catalog/variants/:id/verdicts?date=&carrierId=`. */
export const VerdictQuery = z.strictObject({
  date: isoDateField.optional(),
  carrierId: uuidField.optional(),
});

/** `GET /api/catalog/variants/:id/affected?limit=`. */
export const AffectedQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .default(200),
});

/**
 * `POST /api/catalog/variants/:id/affected/messages`: one public update to every open ticket on
 * a handset of the variant. `requestKey` (a uuid the client makes once) makes a retry harmless.
 */
export const BulkMessageRequest = z.strictObject({
  body: textField({ max: CatalogLimits.bulkMessageMax, multiline: true }),
  requestKey: uuidField.optional(),
});
export type BulkMessageInput = z.output<typeof BulkMessageRequest>;

// ---------------------------------------------------------------------------------------------
// TACs

export const TacParams = z.object({ tac: tacField });

/** `POST /api/catalog/tacs`: a TAC seen on a box, a distributor sheet, or from Osmocom. */
export const CreateTacRequest = z.strictObject({
  tac: tacField,
  modelId: uuidField,
  variantId: uuidField.nullable().optional(),
  source: z.enum(TAC_SOURCES, { error: "must be osmocom, agent_observed or distributor_sheet" }),
});
export type CreateTacInput = z.output<typeof CreateTacRequest>;

/** `PATCH /api/catalog/tacs/:tac`: correct the model or variant, with the source of the fix. */
export const UpdateTacRequest = z
  .strictObject({
    modelId: uuidField.optional(),
    variantId: uuidField.nullable().optional(),
    source: z
      .enum(TAC_SOURCES, { error: "must be osmocom, agent_observed or distributor_sheet" })
      .optional(),
  })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateTacInput = z.output<typeof UpdateTacRequest>;

// ---------------------------------------------------------------------------------------------
// Carriers, band profiles, certification, settings

/** `POST /api/carriers`. */
export const CreateCarrierRequest = z.strictObject({
  code: z
    .string({ error: "must be text" })
    .regex(/^[a-z0-9_]{2,32}$/, "must be 2-32 characters a-z, 0-9 or _"),
  name: textField({ max: CatalogLimits.carrierNameMax }),
  country: z
    .string({ error: "must be text" })
    .regex(/^[A-Z]{2}$/, "must be a 2-letter country code"),
  notes: notesField,
});
export type CreateCarrierInput = z.output<typeof CreateCarrierRequest>;

/** `PATCH /api/carriers/:id`. */
export const UpdateCarrierRequest = z
  .strictObject({
    name: textField({ max: CatalogLimits.carrierNameMax }).optional(),
    notes: notesField,
  })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateCarrierInput = z.output<typeof UpdateCarrierRequest>;

const bandRowFields = {
  technology: z.enum(TECHNOLOGIES, { error: "must be lte, umts, gsm or cdma" }),
  band: z.number({ error: "must be a band number" }).int("must be a whole band number"),
  role: z.enum(BAND_ROLES, { error: "must be primary or coverage" }),
  fromDate: isoDateField.nullable().optional(),
  untilDate: isoDateField.nullable().optional(),
  requiresVolte: z.boolean({ error: "must be true or false" }).optional(),
  note: optionalText(CatalogLimits.sourceMax),
};

/** `POST /api/carriers/:id/bands`: one dated row (untilDate = the day it is retired). */
export const CreateCarrierBandRequest = z.strictObject(bandRowFields);
export type CreateCarrierBandInput = z.output<typeof CreateCarrierBandRequest>;

/** `PATCH /api/carriers/:id/bands/:bandId`: e.g. set the retirement date of a network. */
export const UpdateCarrierBandRequest = z
  .strictObject({
    role: bandRowFields.role.optional(),
    fromDate: bandRowFields.fromDate,
    untilDate: bandRowFields.untilDate,
    requiresVolte: bandRowFields.requiresVolte,
    note: bandRowFields.note,
  })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateCarrierBandInput = z.output<typeof UpdateCarrierBandRequest>;

export const CarrierBandParams = z.object({ id: uuidField, bandId: uuidField });
export const VariantCarrierParams = z.object({ id: uuidField, carrierId: uuidField });

/** `PUT /api/catalog/variants/:id/certifications/:carrierId`: the whole record, audited. */
export const PutCertificationRequest = z.strictObject({
  status: z.enum(CERTIFICATION_STATUSES, { error: "must be a certification status" }),
  volte: z.enum(CALLING_STATUSES, { error: "must be a VoLTE status" }),
  wifiCalling: z.enum(CALLING_STATUSES, { error: "must be a Wi-Fi calling status" }),
  reference: optionalText(CatalogLimits.referenceMax),
  statusDate: isoDateField.nullable().optional(),
});
export type PutCertificationInput = z.output<typeof PutCertificationRequest>;

/** `PATCH /api/settings`. */
export const UpdateSettingsRequest = z.strictObject({ deskCarrierId: uuidField });
export type UpdateSettingsInput = z.output<typeof UpdateSettingsRequest>;

// ---------------------------------------------------------------------------------------------
// Responses

export interface VariantSummaryDto {
  id: string;
  modelId: string;
  name: string;
  region: string | null;
  operatorSku: string | null;
}

export interface VariantDto extends VariantSummaryDto {
  brand: string;
  model: string;
  lteBands: number[] | null;
  umtsBands: number[] | null;
  gsmBands: number[] | null;
  cdmaBands: number[] | null;
  volteCapable: VolteCapability;
  bandSource: string | null;
  bandConfidence: BandConfidence | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TacDto {
  tac: string;
  modelId: string;
  brand: string;
  model: string;
  variantId: string | null;
  variantName: string | null;
  source: TacSource;
  createdAt: string;
  updatedAt: string;
}

export interface ModelDto {
  id: string;
  brand: string;
  name: string;
  aka: string[];
  variantCount: number;
  tacCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ModelDetailDto extends ModelDto {
  variants: VariantDto[];
  tacs: TacDto[];
}

export interface CertificationDto {
  variantId: string;
  carrierId: string;
  carrierName: string;
  status: CertificationStatus;
  volte: CallingStatus;
  wifiCalling: CallingStatus;
  reference: string | null;
  statusDate: string | null;
  updatedAt: string;
}

export interface VariantDetailDto extends VariantDto {
  tacs: TacDto[];
  certifications: CertificationDto[];
  /** The verdict on every carrier today (the desk's carrier first). */
  verdicts: NetworkVerdict[];
}

export interface CarrierBandDto {
  id: string;
  technology: Technology;
  band: number;
  role: BandRole;
  fromDate: string | null;
  untilDate: string | null;
  requiresVolte: boolean;
  note: string | null;
}

export interface CarrierDto {
  id: string;
  code: string;
  name: string;
  country: string;
  notes: string | null;
  /** Whether this is the carrier the desk sells on. */
  desk: boolean;
  bands: CarrierBandDto[];
  createdAt: string;
  updatedAt: string;
}

export interface SettingsDto {
  deskCarrier: { id: string; code: string; name: string };
}

export interface AuditEntryDto {
  id: string;
  subjectType: string;
  subjectId: string;
  action: string;
  actor: { id: string | null; name: string | null };
  changes: { field: string; from: unknown; to: unknown }[];
  createdAt: string;
}

/** The open tickets and handsets of a variant (who is affected when its status changes). */
export interface AffectedDto {
  variant: VariantSummaryDto & { brand: string; model: string };
  totals: { openTickets: number; handsets: number; customers: number };
  openTickets: {
    id: string;
    number: string;
    subject: string;
    status: TicketStatus;
    customer: { id: string; name: string };
    handsetId: string;
  }[];
  /** Handsets with an owner, most recently changed first, up to `limit`. */
  handsets: {
    id: string;
    customer: { id: string; name: string } | null;
    imeiMasked: string | null;
    batchId: string | null;
  }[];
}

export interface BulkMessageResultDto {
  id: string;
  /** How many tickets got the message. */
  posted: number;
  ticketIds: string[];
  /** True when this answers a retry of an earlier request with the same key. */
  repeated: boolean;
}

/** `GET /api/tickets/:id/network`: the verdict when the ticket was opened, and now. */
export interface TicketNetworkDto {
  atOpen: NetworkVerdict | null;
  now: NetworkVerdict | null;
  /** Whether the level, the carrier or the variant differs between the two. */
  changed: boolean;
}

/** What `GET /api/devices/lookup` adds when the variant is known. */
export interface LookupVariantDto {
  id: string;
  name: string;
  /** How it is known: the TAC entry names it, or the model has only this one. */
  knownBy: "tac_entry" | "only_variant";
}
