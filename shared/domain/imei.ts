/**
 * IMEI parsing and validation (3GPP TS 23.003 section 6.2 and Annex B; docs/DOMAIN.md, "IMEI").
 * Pure and isomorphic: the portal form, the agent console and the server give the same answer.
 */

/** Why an input is not accepted as an IMEI. */
export const IMEI_INVALID_REASONS = [
  "empty",
  "not_digits",
  "missing_check_digit",
  "wrong_length",
  "bad_check_digit",
  /** Digits other than ASCII 0-9: Arabic-Indic ٠-٩, Extended Arabic-Indic ۰-۹, full-width ０-９... */
  "non_ascii_digits",
  /** An IMEISV whose software version is 99, reserved by TS 23.003. */
  "reserved_software_version",
] as const;
export type ImeiInvalidReason = (typeof IMEI_INVALID_REASONS)[number];

/** Things worth telling an agent about an accepted IMEI. */
export const IMEI_WARNINGS = [
  "test_range",
  "converted_from_imeisv",
  /** All-zero TAC (000000000000000, or a known reset placeholder): wiped or reset. */
  "wiped",
] as const;
export type ImeiWarning = (typeof IMEI_WARNINGS)[number];

/** What each warning means, in words a customer and an agent can act on. */
export const IMEI_WARNING_MESSAGES: Record<ImeiWarning, string> = {
  test_range:
    "This number is in a test range: it doesn't belong to a phone sold to customers. Check the IMEI on the phone itself (dial *#06#).",
  converted_from_imeisv:
    "You typed 16 digits (an IMEISV, with the software version at the end): the IMEI is the first 14 digits and a check digit.",
  wiped:
    "IMEI wiped or reset: the network may refuse the phone; check the box label for the real IMEI.",
};

/** An accepted IMEI: always 15 ASCII digits with a correct check digit. */
export interface ImeiValid {
  valid: true;
  /** The 15-digit IMEI (leading zeros kept). */
  imei: string;
  /** Type allocation code: the first 8 digits, naming the model. */
  tac: string;
  /** The 2-digit software version when the input was an IMEISV, otherwise null. */
  softwareVersion: string | null;
  /** True when the TAC lies in a test range (reporting body 00 or 02-09). */
  testRange: boolean;
  /**
   * True when the IMEI is what a wiped or reset phone shows (an all-zero TAC, such as
   * 000000000000000, or a known placeholder): valid in form, but not the phone's own number.
   */
  wiped: boolean;
  warnings: ImeiWarning[];
}

/** A rejected input, with a message a customer can act on. */
export interface ImeiInvalid {
  valid: false;
  reason: ImeiInvalidReason;
  /** Plain English; never echoes the input back. */
  message: string;
}

/** Result of {@link parseImei}. */
export type ImeiResult = ImeiValid | ImeiInvalid;

/** Inputs longer than this are rejected before any other work. */
export const IMEI_INPUT_MAX_LENGTH = 64;

const SEPARATORS = /[ ./-]/g;
/** Only numerals (of any script): what a keyboard set to other digits types. */
const NUMERALS = /^\p{N}+$/u;

/**
 * IMEIs a wiped or reset phone shows, besides an all-zero TAC: the MediaTek placeholder
 * 004999010640000 ("invalid IMEI" after a lost NVRAM).
 */
const WIPED_PLACEHOLDERS: ReadonlySet<string> = new Set(["004999010640000"]);
const ASCII_DIGITS = /^[0-9]+$/;
const FIFTEEN_DIGITS = /^[0-9]{15}$/;
const FOURTEEN_DIGITS = /^[0-9]{14}$/;

const MESSAGES: Record<ImeiInvalidReason, string> = {
  empty: "Enter the IMEI. Dial *#06# on the phone to see it, or look on the box label.",
  not_digits: "An IMEI contains only the digits 0 to 9: check the number for letters or symbols.",
  missing_check_digit:
    "This number has 14 digits but an IMEI has 15: include the last digit, as shown on the box label or under *#06#.",
  wrong_length: "An IMEI has 15 digits: check that you copied the whole number and nothing else.",
  bad_check_digit: "The last digit does not match: check the number for a typo.",
  non_ascii_digits:
    "Use the digits 0-9: this number is written with other digits (Arabic-Indic or full-width ones, for example). Switch the keyboard to 0-9 and type it again.",
  reserved_software_version:
    "This 16-digit number ends in 99, a reserved software version, so it is not a real IMEISV: enter the 15-digit IMEI from *#06# or the box label.",
};

/**
 * Removes the separators people type or paste inside an IMEI: spaces, hyphens, dots and slashes.
 * Nothing else is removed or changed: letters, signs and digits of other scripts (Arabic-Indic,
 * full-width) survive and are refused, each with its own reason.
 */
export function normaliseImeiInput(raw: string): string {
  return raw.replace(SEPARATORS, "");
}

/**
 * The Luhn check digit of the first 14 digits of an IMEI (docs/DOMAIN.md): from the right, every
 * second digit starting with the rightmost is doubled, the digits of all products and the other
 * digits are summed, and the check digit is (10 - sum mod 10) mod 10.
 * @throws RangeError unless `first14` is exactly 14 ASCII digits.
 */
export function luhnCheckDigit(first14: string): number {
  if (!FOURTEEN_DIGITS.test(first14)) {
    throw new RangeError("luhnCheckDigit expects exactly 14 ASCII digits");
  }
  let sum = 0;
  for (let i = 0; i < 14; i += 1) {
    const digit = first14.charCodeAt(13 - i) - 48;
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether a TAC (or anything starting with one, such as a full IMEI) lies in a test range:
 * reporting body 00 or 02 to 09. 01 is the US (PTCRB), not a test range.
 */
export function isTestRangeTac(tac: string): boolean {
  return /^0[02-9]/.test(tac);
}

const REPORTING_BODIES: Readonly<Record<string, string>> = {
  "01": "US (PTCRB)",
  "35": "UK",
  "86": "China",
};

/**
 * The reporting body named by the first two digits of a TAC, for display: "US (PTCRB)" for 01,
 * "UK" for 35, "China" for 86, "test range" for 00 and 02-09; null for anything else.
 */
export function reportingBody(tac: string): string | null {
  if (isTestRangeTac(tac)) {
    return "test range";
  }
  return REPORTING_BODIES[tac.slice(0, 2)] ?? null;
}

function invalid(reason: ImeiInvalidReason): ImeiInvalid {
  return { valid: false, reason, message: MESSAGES[reason] };
}

/**
 * Whether an IMEI is what a wiped or reset phone shows: an all-zero TAC (000000000000000 is the
 * usual one; 00000000 was never allocated to a model), or a known placeholder.
 */
export function isWipedImei(imei: string): boolean {
  return imei.startsWith("00000000") || WIPED_PLACEHOLDERS.has(imei);
}

function accepted(imei: string, softwareVersion: string | null): ImeiValid {
  const tac = imei.slice(0, 8);
  const testRange = isTestRangeTac(tac);
  const wiped = isWipedImei(imei);
  const warnings: ImeiWarning[] = [];
  // A wiped IMEI is its own result: "test range" would send the agent after a test phone.
  if (wiped) {
    warnings.push("wiped");
  } else if (testRange) {
    warnings.push("test_range");
  }
  if (softwareVersion !== null) {
    warnings.push("converted_from_imeisv");
  }
  return { valid: true, imei, tac, softwareVersion, testRange, wiped, warnings };
}

/**
 * Parses what a customer or agent typed as an IMEI (docs/DOMAIN.md, "IMEI").
 * - Separators are removed first (see {@link normaliseImeiInput}); only ASCII 0-9 may remain.
 *   Digits of other scripts (٣٥٢, ３５２) are refused with their own reason, `non_ascii_digits`,
 *   not read as 0-9: only what the phone shows under *#06# is an IMEI.
 * - 15 digits must pass Luhn.
 * - 16 digits are an IMEISV: the IMEI is the first 14 digits plus a recomputed check digit, and
 *   the last 2 digits are returned as `softwareVersion`; software version 99 is reserved
 *   (TS 23.003) and refused.
 * - An all-zero TAC (000000000000000) is accepted in form with the warning `wiped`.
 * - 14 digits are rejected with a hint to include the last digit; it is never guessed.
 * - Inputs over {@link IMEI_INPUT_MAX_LENGTH} characters are rejected without further work.
 */
export function parseImei(raw: string): ImeiResult {
  if (raw.length > IMEI_INPUT_MAX_LENGTH) {
    return invalid("wrong_length");
  }
  const digits = normaliseImeiInput(raw);
  if (digits.length === 0) {
    return invalid("empty");
  }
  if (!ASCII_DIGITS.test(digits)) {
    return invalid(NUMERALS.test(digits) ? "non_ascii_digits" : "not_digits");
  }
  switch (digits.length) {
    case 14:
      return invalid("missing_check_digit");
    case 15: {
      const check = luhnCheckDigit(digits.slice(0, 14));
      return check === digits.charCodeAt(14) - 48
        ? accepted(digits, null)
        : invalid("bad_check_digit");
    }
    case 16: {
      const first14 = digits.slice(0, 14);
      const softwareVersion = digits.slice(14);
      if (softwareVersion === "99") {
        return invalid("reserved_software_version");
      }
      return accepted(`${first14}${luhnCheckDigit(first14)}`, softwareVersion);
    }
    default:
      return invalid("wrong_length");
  }
}

/**
 * Masks an IMEI for places that do not need all of it (logs, lists, notifications):
 * TAC + "******" + last 2 digits. Anything that is not 15 ASCII digits is fully masked,
 * so a malformed value never leaks into a log either.
 */
export function maskImei(imei: string): string {
  if (!FIFTEEN_DIGITS.test(imei)) {
    return "*".repeat(15);
  }
  return `${imei.slice(0, 8)}******${imei.slice(13)}`;
}
