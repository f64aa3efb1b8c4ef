/** Field limits, in Unicode code points, used by schemas, migrations and UI counters alike. */
export const Limits = {
  nameMax: 120,
  emailMax: 254,
  phoneMax: 32,
  brandMax: 60,
  modelMax: 120,
  subjectMax: 200,
  descriptionMax: 20_000,
  messageMax: 20_000,
  passwordMin: 12,
  passwordMax: 1024,
  /** JSON request bodies above this get 413. */
  jsonBodyBytes: 256 * 1024,
  pageSizeDefault: 25,
  pageSizeMax: 100,
  /** Events of a ticket per page: the detail carries the latest page, older ones on demand. */
  eventPageSize: 50,
} as const;

/** What a message may carry (photos, screenshots, PDFs). */
export const AttachmentLimits = {
  files: 5,
  fileBytes: 10 * 1024 * 1024,
} as const;

/** Limits of RMA fields, in code points. */
export const RmaLimits = {
  noteMax: 2000,
  diagnosisMax: 4000,
  courierMax: 60,
  trackingMin: 4,
  trackingMax: 40,
  distributorRefMax: 64,
  /** Ten million in major units: a quote or cost in minor units stays below this. */
  amountMinorMax: 1_000_000_000,
} as const;

/** Limits of SLA policies. */
export const SlaLimits = {
  nameMax: 80,
  /** A target of at most a year of business minutes. */
  targetMinutesMax: 525_600,
} as const;

/** Limits of saved queue views. */
export const ViewLimits = {
  nameMax: 60,
  perAgent: 50,
  atDistributorDaysMax: 3650,
} as const;
