import { z } from "zod";
import {
  BAND_CONFIDENCES,
  BAND_ROLES,
  TECHNOLOGIES,
  VOLTE_CAPABILITIES,
  isValidBand,
  normaliseBands,
} from "../../domain/bands";
import {
  CALLING_STATUSES,
  CERTIFICATION_STATUSES,
  CatalogLimits,
  TAC_SOURCES,
} from "../../domain/catalog";
import { TICKET_STATUSES } from "../../domain/enums";
import { IMEI_INVALID_REASONS } from "../../domain/imei";
import { VERDICT_LEVELS } from "../../domain/verdict";
import type { Technology } from "../../domain/bands";
import { searchField, textField } from "../../domain/text";
import { NetworkVerdictSchema, isoDay, isoInstant } from "./domain-schemas";
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
export type CreateModelBody = z.input<typeof CreateModelRequest>;

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
export type UpdateModelBody = z.input<typeof UpdateModelRequest>;

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
  nrBands: bandList("nr").optional(),
  volteCapable: z.enum(VOLTE_CAPABILITIES, { error: "must be yes, no or unknown" }).optional(),
  bandSource: optionalText(CatalogLimits.sourceMax),
  bandConfidence: z
    .enum(BAND_CONFIDENCES, { error: "must be high, medium or low" })
    .nullable()
    .optional(),
  notes: notesField,
  /** How agents tell it from the model's other variants (box label, Settings > About phone). */
  howToTell: notesField,
};

/**
 * `POST /api/catalog/variants`. Band lists are null when unknown (never guess "none"); a variant
 * with any band list names where the lists come from and how far to trust them.
 */
export const CreateVariantRequest = z.strictObject({ modelId: uuidField, ...variantFields });
export type CreateVariantInput = z.output<typeof CreateVariantRequest>;
export type CreateVariantBody = z.input<typeof CreateVariantRequest>;

/** `PATCH /api/catalog/variants/:id`. */
export const UpdateVariantRequest = z
  .strictObject({ ...variantFields, name: variantFields.name.optional() })
  .refine(atLeastOne, AT_LEAST_ONE);
export type UpdateVariantInput = z.output<typeof UpdateVariantRequest>;
export type UpdateVariantBody = z.input<typeof UpdateVariantRequest>;

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
export type CreateTacBody = z.input<typeof CreateTacRequest>;

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
export type UpdateTacBody = z.input<typeof UpdateTacRequest>;

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
  technology: z.enum(TECHNOLOGIES, { error: "must be lte, umts, gsm, cdma or nr" }),
  band: z.number({ error: "must be a band number" }).int("must be a whole band number"),
  role: z.enum(BAND_ROLES, { error: "must be primary, low_band or supplementary" }),
  fromDate: isoDateField.nullable().optional(),
  untilDate: isoDateField.nullable().optional(),
  requiresVolte: z.boolean({ error: "must be true or false" }).optional(),
  note: optionalText(CatalogLimits.sourceMax),
};

/** `POST /api/carriers/:id/bands`: one dated row (untilDate = the day it is retired). */
export const CreateCarrierBandRequest = z.strictObject(bandRowFields);
export type CreateCarrierBandInput = z.output<typeof CreateCarrierBandRequest>;
export type CreateCarrierBandBody = z.input<typeof CreateCarrierBandRequest>;

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
export type UpdateCarrierBandBody = z.input<typeof UpdateCarrierBandRequest>;

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

/**
 * `POST /api/carriers/:id/certifications/bulk`: one status (and, when named, VoLTE, Wi-Fi
 * calling, reference, date) for many variants with one carrier, in one step. A field left out
 * keeps each variant's current value; `publicMessage` is posted once on each open ticket the
 * change reaches; `dryRun` counts what would change and writes nothing.
 */
export const BulkCertificationRequest = z.strictObject({
  variantIds: z
    .array(uuidField, { error: "must be a list of variant ids" })
    .min(1, "name at least one variant")
    .max(
      CatalogLimits.bulkVariantsMax,
      `may name at most ${CatalogLimits.bulkVariantsMax} variants`,
    )
    .refine((ids) => new Set(ids).size === ids.length, "names a variant twice"),
  status: PutCertificationRequest.shape.status,
  volte: PutCertificationRequest.shape.volte.optional(),
  wifiCalling: PutCertificationRequest.shape.wifiCalling.optional(),
  reference: optionalText(CatalogLimits.referenceMax),
  statusDate: isoDateField.nullable().optional(),
  publicMessage: textField({ max: CatalogLimits.bulkMessageMax, multiline: true }).optional(),
  dryRun: z.boolean({ error: "must be true or false" }).optional(),
});
export type BulkCertificationInput = z.output<typeof BulkCertificationRequest>;
/** What the console sends to the bulk certification route. */
export type BulkCertificationBody = z.input<typeof BulkCertificationRequest>;

/** What a bulk certification update changed (or, on a dry run, would change). */
export const BulkCertificationResultDto = z.strictObject({
  dryRun: z.boolean(),
  /** Whether the carrier is the desk's: only then are tickets told. */
  deskCarrier: z.boolean(),
  /** The variants named, those whose record changes, and those already as asked. */
  variants: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  changedVariantIds: z.array(z.string()),
  /** The open tickets the change reaches: each gets one internal note. */
  tickets: z.number(),
  ticketIds: z.array(z.string()),
  notes: z.number(),
  /** Public updates posted (one per ticket, when a public message was given). */
  publicMessages: z.number(),
});
export type BulkCertificationResultDto = z.output<typeof BulkCertificationResultDto>;

/** `GET /api/catalog/variants?q=`: every variant, optionally those whose names contain `q`. */
export const ListVariantsQuery = z.strictObject({ q: searchField(120).optional() });

/** `PATCH /api/settings`. */
export const UpdateSettingsRequest = z.strictObject({ deskCarrierId: uuidField });
export type UpdateSettingsInput = z.output<typeof UpdateSettingsRequest>;

// ---------------------------------------------------------------------------------------------
// Responses

export const VariantSummaryDto = z.strictObject({
  id: z.string(),
  modelId: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  operatorSku: z.string().nullable(),
});
export type VariantSummaryDto = z.output<typeof VariantSummaryDto>;

const bandListOrNull = z.array(z.number()).nullable();

export const VariantDto = VariantSummaryDto.extend({
  brand: z.string(),
  model: z.string(),
  lteBands: bandListOrNull,
  umtsBands: bandListOrNull,
  gsmBands: bandListOrNull,
  cdmaBands: bandListOrNull,
  /** 5G NR bands; null when unknown. */
  nrBands: bandListOrNull,
  volteCapable: z.enum(VOLTE_CAPABILITIES),
  bandSource: z.string().nullable(),
  bandConfidence: z.enum(BAND_CONFIDENCES).nullable(),
  notes: z.string().nullable(),
  howToTell: z.string().nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type VariantDto = z.output<typeof VariantDto>;

export const TacDto = z.strictObject({
  tac: z.string(),
  modelId: z.string(),
  brand: z.string(),
  model: z.string(),
  variantId: z.string().nullable(),
  variantName: z.string().nullable(),
  source: z.enum(TAC_SOURCES),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type TacDto = z.output<typeof TacDto>;

export const ModelDto = z.strictObject({
  id: z.string(),
  brand: z.string(),
  name: z.string(),
  aka: z.array(z.string()),
  variantCount: z.number(),
  tacCount: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type ModelDto = z.output<typeof ModelDto>;

export const ModelDetailDto = ModelDto.extend({
  variants: z.array(VariantDto),
  tacs: z.array(TacDto),
});
export type ModelDetailDto = z.output<typeof ModelDetailDto>;

export const CertificationDto = z.strictObject({
  variantId: z.string(),
  carrierId: z.string(),
  carrierName: z.string(),
  status: z.enum(CERTIFICATION_STATUSES),
  volte: z.enum(CALLING_STATUSES),
  wifiCalling: z.enum(CALLING_STATUSES),
  reference: z.string().nullable(),
  statusDate: isoDay.nullable(),
  updatedAt: isoInstant,
});
export type CertificationDto = z.output<typeof CertificationDto>;

export const VariantDetailDto = VariantDto.extend({
  tacs: z.array(TacDto),
  certifications: z.array(CertificationDto),
  /** The verdict on every carrier today (the desk's carrier first). */
  verdicts: z.array(NetworkVerdictSchema),
});
export type VariantDetailDto = z.output<typeof VariantDetailDto>;

export const CarrierBandDto = z.strictObject({
  id: z.string(),
  technology: z.enum(TECHNOLOGIES),
  band: z.number(),
  role: z.enum(BAND_ROLES),
  fromDate: isoDay.nullable(),
  untilDate: isoDay.nullable(),
  requiresVolte: z.boolean(),
  note: z.string().nullable(),
});
export type CarrierBandDto = z.output<typeof CarrierBandDto>;

export const CarrierDto = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  country: z.string(),
  notes: z.string().nullable(),
  /** Whether this is the carrier the desk sells on. */
  desk: z.boolean(),
  bands: z.array(CarrierBandDto),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type CarrierDto = z.output<typeof CarrierDto>;

export const SettingsDto = z.strictObject({
  deskCarrier: z.strictObject({ id: z.string(), code: z.string(), name: z.string() }),
});
export type SettingsDto = z.output<typeof SettingsDto>;

export const AuditEntryDto = z.strictObject({
  id: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  action: z.string(),
  actor: z.strictObject({ id: z.string().nullable(), name: z.string().nullable() }),
  changes: z.array(z.strictObject({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  createdAt: isoInstant,
});
export type AuditEntryDto = z.output<typeof AuditEntryDto>;

/** The open tickets and handsets of a variant (who is affected when its status changes). */
export const AffectedDto = z.strictObject({
  variant: VariantSummaryDto.extend({ brand: z.string(), model: z.string() }),
  totals: z.strictObject({ openTickets: z.number(), handsets: z.number(), customers: z.number() }),
  openTickets: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string(),
      subject: z.string(),
      status: z.enum(TICKET_STATUSES),
      customer: z.strictObject({ id: z.string(), name: z.string() }),
      handsetId: z.string(),
    }),
  ),
  /** Handsets with an owner, most recently changed first, up to `limit`. */
  handsets: z.array(
    z.strictObject({
      id: z.string(),
      customer: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
      imeiMasked: z.string().nullable(),
      batchId: z.string().nullable(),
    }),
  ),
});
export type AffectedDto = z.output<typeof AffectedDto>;

export const BulkMessageResultDto = z.strictObject({
  id: z.string(),
  /** How many tickets got the message. */
  posted: z.number(),
  ticketIds: z.array(z.string()),
  /** True when this answers a retry of an earlier request with the same key. */
  repeated: z.boolean(),
});
export type BulkMessageResultDto = z.output<typeof BulkMessageResultDto>;

/** A variant the handset could be, as the handset panel's picker offers it. */
export const VariantChoiceDto = z.strictObject({
  id: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  operatorSku: z.string().nullable(),
  /** How to tell it apart (box label, Settings > About phone); null when nobody wrote it. */
  howToTell: z.string().nullable(),
  notes: z.string().nullable(),
  /** Its verdict on the desk's carrier today, in brief; null when there is no desk carrier. */
  verdict: z.strictObject({ level: z.enum(VERDICT_LEVELS), summary: z.string() }).nullable(),
});
export type VariantChoiceDto = z.output<typeof VariantChoiceDto>;

/**
 * `GET /api/tickets/:id/network`: the verdict on the desk's carrier when the ticket was opened
 * (kept as it was) and now, and what the handset panel shows with it: the model, the variant
 * and the variants it could be, what the IMEI's TAC says, and the batch it came in.
 */
export const TicketNetworkDto = z.strictObject({
  atOpen: NetworkVerdictSchema.nullable(),
  now: NetworkVerdictSchema.nullable(),
  /** Whether the level, the carrier or the variant differs between the two. */
  changed: z.boolean(),
  /** Null when the ticket has no handset. */
  handset: z
    .strictObject({
      id: z.string(),
      /** What the first IMEI's TAC names in the catalogue; null when the catalogue lacks it. */
      tac: z
        .strictObject({
          tac: z.string(),
          brand: z.string(),
          model: z.string(),
          source: z.enum(TAC_SOURCES),
          /** The variant the entry names, if it names one. */
          variantId: z.string().nullable(),
        })
        .nullable(),
      /** The catalogue's model: the variant's, else the one the TAC names. */
      model: z.strictObject({ id: z.string(), brand: z.string(), name: z.string() }).nullable(),
      variant: VariantChoiceDto.nullable(),
      /** The model's variants, to pick from (the current one included). */
      candidates: z.array(VariantChoiceDto),
      batch: z
        .strictObject({
          id: z.string(),
          reference: z.string(),
          distributor: z
            .strictObject({ id: z.string(), name: z.string(), country: z.string().nullable() })
            .nullable(),
          romRegion: z.string().nullable(),
          orderedOn: isoDay.nullable(),
          shippedOn: isoDay.nullable(),
          receivedOn: isoDay.nullable(),
          customsReference: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
});
export type TicketNetworkDto = z.output<typeof TicketNetworkDto>;

/** What `GET /api/devices/lookup` adds when the variant is known. */
export const LookupVariantDto = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** How it is known: the TAC entry names it, or the model has only this one. */
  knownBy: z.enum(["tac_entry", "only_variant"]),
});
export type LookupVariantDto = z.output<typeof LookupVariantDto>;

export const ModelListResponse = z.strictObject({ items: z.array(ModelDto) });
export const ModelResponse = z.strictObject({ model: ModelDto });
export const ModelDetailResponse = z.strictObject({ model: ModelDetailDto });
export const VariantResponse = z.strictObject({ variant: VariantDto });
export const VariantListResponse = z.strictObject({ items: z.array(VariantDto) });
export const VariantDetailResponse = z.strictObject({ variant: VariantDetailDto });
export const VerdictListResponse = z.strictObject({
  date: isoDay,
  items: z.array(NetworkVerdictSchema),
});
export const AuditListResponse = z.strictObject({ items: z.array(AuditEntryDto) });
export const TacResponse = z.strictObject({ tac: TacDto });
export const CarrierListResponse = z.strictObject({ items: z.array(CarrierDto) });
export const CarrierResponse = z.strictObject({ carrier: CarrierDto });
export const CarrierBandResponse = z.strictObject({ band: CarrierBandDto });
export const CertificationResponse = z.strictObject({ certification: CertificationDto });
export const CertificationListResponse = z.strictObject({ items: z.array(CertificationDto) });
export const SettingsResponse = z.strictObject({ settings: SettingsDto });

/**
 * `GET /api/devices/lookup`: whether an IMEI as typed is valid, and what its TAC names. An
 * invalid input still reports its TAC (and the model, when known).
 */
export const DeviceLookupDto = z.strictObject({
  valid: z.boolean(),
  /** The 15-digit IMEI when valid, otherwise null. */
  imei: z.string().nullable(),
  reason: z.enum(IMEI_INVALID_REASONS).optional(),
  message: z.string().optional(),
  /** The TAC, also for an invalid input whose first 8 characters are digits. */
  tac: z.string().nullable(),
  brand: z.string().optional(),
  model: z.string().optional(),
  aka: z.array(z.string()).optional(),
  testRange: z.boolean(),
  /** A valid IMEI that a wiped or reset phone shows (000000000000000): see `warnings`. */
  wiped: z.boolean().optional(),
  warnings: z.array(z.string()),
  softwareVersion: z.string().nullable().optional(),
  reportingBody: z.string().nullable().optional(),
  /** Where the catalogue's entry for the TAC comes from. */
  tacSource: z.enum(TAC_SOURCES).optional(),
  /** The variant, when the TAC can name it (the entry names it, or the model has only one). */
  variant: LookupVariantDto.optional(),
  /** The network verdict on the desk's carrier today, when the variant is known. */
  verdict: NetworkVerdictSchema.optional(),
});
export type DeviceLookupDto = z.output<typeof DeviceLookupDto>;
