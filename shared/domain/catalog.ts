/**
 * Certification of a model variant with a host carrier, and where catalogue facts come from
 * (docs/DOMAIN.md, "Certification" and "TAC -> model").
 */

/** Where a variant stands with a carrier's certification. */
export const CERTIFICATION_STATUSES = [
  "not_submitted",
  "in_testing",
  "certified",
  "rejected",
  "withdrawn",
] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/** VoLTE and Wi-Fi calling, per variant and carrier. */
export const CALLING_STATUSES = ["not_capable", "capable_not_whitelisted", "whitelisted"] as const;
export type CallingStatus = (typeof CALLING_STATUSES)[number];

/** Where a TAC -> model (and variant) entry came from. */
export const TAC_SOURCES = ["osmocom", "agent_observed", "distributor_sheet"] as const;
export type TacSource = (typeof TAC_SOURCES)[number];

/** Labels for the console and for messages to customers. */
export const CERTIFICATION_STATUS_LABELS: Record<CertificationStatus, string> = {
  not_submitted: "not submitted",
  in_testing: "in testing",
  certified: "certified",
  rejected: "rejected",
  withdrawn: "withdrawn",
};

export const CALLING_STATUS_LABELS: Record<CallingStatus, string> = {
  not_capable: "not capable",
  capable_not_whitelisted: "capable, not whitelisted",
  whitelisted: "whitelisted",
};

/** Field limits of the catalogue, carriers and batches, in Unicode code points. */
export const CatalogLimits = {
  brandMax: 60,
  modelMax: 120,
  akaMax: 20,
  variantNameMax: 120,
  regionMax: 60,
  skuMax: 60,
  sourceMax: 200,
  notesMax: 2000,
  carrierCodeMax: 32,
  carrierNameMax: 120,
  referenceMax: 120,
  distributorNameMax: 120,
  batchReferenceMax: 64,
  romRegionMax: 32,
  customsReferenceMax: 64,
  bulkMessageMax: 5000,
  /** Most variants one bulk certification update changes. */
  bulkVariantsMax: 500,
  /** Largest distributor CSV the upload takes. */
  importFileBytes: 16 * 1024 * 1024,
  /** Most rows (units) in one import. */
  importRowsMax: 250_000,
} as const;

/** Settings an admin can change, with their keys in the `settings` table. */
export const SETTING_KEYS = { deskCarrier: "desk_carrier" } as const;
