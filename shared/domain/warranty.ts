/**
 * The warranty decision for one handset (docs/DOMAIN.md, "Warranty").
 * Pure and isomorphic: dates are `YYYY-MM-DD` strings in the desk's time zone, so comparing them
 * as strings compares calendar days, and "today" is passed in rather than read from a clock.
 */
import type { VoidReason, WarrantySource } from "./enums";

/** What is recorded on a handset about who stands behind it. Dates are `YYYY-MM-DD`. */
export interface WarrantyTerms {
  warrantySource: WarrantySource;
  /** First covered day, inclusive. */
  warrantyStart: string | null;
  /** Last covered day, inclusive. */
  warrantyEnd: string | null;
  /** Last day a dead-on-arrival claim is accepted, inclusive. */
  doaDeadline: string | null;
  voidReason: VoidReason | null;
}

/** The outcome shown on every ticket about the handset. */
export const WARRANTY_STATUSES = ["doa", "covered", "not_covered", "pending"] as const;
export type WarrantyStatus = (typeof WARRANTY_STATUSES)[number];

/** Why a handset is not covered, or why the decision is pending. */
export const WARRANTY_REASONS = [
  "sold_as_is",
  "voided",
  "expired",
  "not_started",
  "dates_unknown",
] as const;
export type WarrantyReason = (typeof WARRANTY_REASONS)[number];

/** The result of {@link decideWarranty}. */
export interface WarrantyDecision {
  status: WarrantyStatus;
  source: WarrantySource;
  /** Null when the status is `doa` or `covered`. */
  reason: WarrantyReason | null;
  /** Set only when `reason` is `voided`. */
  voidReason: VoidReason | null;
  /** Last day of the DOA window or of the warranty (inclusive) when status is `doa` or `covered`. */
  until: string | null;
  /** One plain-English sentence for customers and agents. */
  summary: string;
}

/** Plain words for each void reason, as they follow "Not covered: ". */
export const VOID_REASON_LABELS: Record<VoidReason, string> = {
  physical_damage: "physical damage",
  liquid_damage: "water damage",
  tampering: "tampering",
  unofficial_rom: "unofficial software (ROM)",
  bootloader_unlocked: "unlocked bootloader",
  imei_mismatch: "IMEI on the device differs from our record",
  counterfeit: "counterfeit device",
  no_proof_of_purchase: "no proof of purchase",
};

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether `s` is a real calendar date written `YYYY-MM-DD` (so `2023-02-30` is not). */
export function isIsoDate(s: string): boolean {
  const match = ISO_DATE.exec(s);
  if (match === null) {
    return false;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function assertIsoDate(value: string, name: string): void {
  if (!isIsoDate(value)) {
    throw new RangeError(`${name} must be a calendar date written YYYY-MM-DD`);
  }
}

/**
 * Formats a `YYYY-MM-DD` date the way the desk writes dates to people: "12 March 2017"
 * (English month name, no leading zero on the day). Locale-independent on purpose.
 * @throws RangeError if `isoDate` is not a real calendar date.
 */
export function formatLongDate(isoDate: string): string {
  assertIsoDate(isoDate, "isoDate");
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The calendar date (`YYYY-MM-DD`) at instant `now` in the IANA time zone `timeZone`, e.g. the
 * desk's zone, so that a DOA window ends at local midnight rather than UTC midnight.
 * @throws RangeError if `timeZone` is not a known IANA zone.
 */
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

export function todayIn(timeZone: string, now: Date): string {
  // Building a DateTimeFormat is far dearer than using one, and this runs for every ticket shown.
  let format = DAY_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    DAY_FORMATS.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const part = (type: "year" | "month" | "day"): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/**
 * Decides the warranty status of a handset on `today` (`YYYY-MM-DD`, see {@link todayIn}).
 * First match wins:
 * 1. source `none`: not covered, sold as-is (nothing else recorded matters);
 * 2. a void reason: not covered, voided (it beats the DOA window);
 * 3. today on or before the DOA deadline: DOA;
 * 4. today before the warranty start: pending, not started;
 * 5. today on or before the warranty end: covered;
 * 6. today after the warranty end: not covered, expired;
 * 7. no warranty end recorded: pending, dates unknown.
 * All windows are inclusive of their last day.
 * @throws RangeError if `today` or a recorded date is not a real `YYYY-MM-DD` date.
 */
export function decideWarranty(terms: WarrantyTerms, today: string): WarrantyDecision {
  assertIsoDate(today, "today");
  const { warrantySource: source, warrantyStart, warrantyEnd, doaDeadline, voidReason } = terms;
  for (const [name, value] of [
    ["warrantyStart", warrantyStart],
    ["warrantyEnd", warrantyEnd],
    ["doaDeadline", doaDeadline],
  ] as const) {
    if (value !== null) {
      assertIsoDate(value, name);
    }
  }

  const decision = (
    status: WarrantyStatus,
    reason: WarrantyReason | null,
    until: string | null,
    summary: string,
  ): WarrantyDecision => ({
    status,
    source,
    reason,
    voidReason: reason === "voided" ? voidReason : null,
    until,
    summary,
  });

  if (source === "none") {
    return decision("not_covered", "sold_as_is", null, "No warranty: sold as-is");
  }
  if (voidReason !== null) {
    return decision(
      "not_covered",
      "voided",
      null,
      `Not covered: ${VOID_REASON_LABELS[voidReason]}`,
    );
  }
  if (doaDeadline !== null && today <= doaDeadline) {
    return decision(
      "doa",
      null,
      doaDeadline,
      `Dead on arrival: eligible for replacement until ${formatLongDate(doaDeadline)}`,
    );
  }
  if (warrantyStart !== null && today < warrantyStart) {
    return decision(
      "pending",
      "not_started",
      null,
      `Pending: the carrier's warranty starts on ${formatLongDate(warrantyStart)}`,
    );
  }
  if (warrantyEnd !== null && today <= warrantyEnd) {
    return decision(
      "covered",
      null,
      warrantyEnd,
      `Covered by the carrier's warranty until ${formatLongDate(warrantyEnd)}`,
    );
  }
  if (warrantyEnd !== null) {
    return decision(
      "not_covered",
      "expired",
      null,
      `Not covered: the carrier's warranty ended on ${formatLongDate(warrantyEnd)}`,
    );
  }
  return decision(
    "pending",
    "dates_unknown",
    null,
    "Pending: the warranty dates are not recorded yet",
  );
}
