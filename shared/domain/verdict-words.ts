/**
 * A network verdict (verdict.ts) in words a customer understands: whether their phone works on
 * the carrier's network and what that means for them, without band numbers. Keyed on the
 * verdict's level and reason codes (never on its messages, which are written for agents), so a
 * new reason code without words here says nothing rather than something wrong. Pure.
 */
import type { Verdict, VerdictReasonCode } from "./verdict";

/** What the sentence is built from: the verdict as the API gives it. */
export type VerdictForWords = Pick<Verdict, "level" | "carrier" | "reasons" | "lte" | "legacy">;

/** The frequency in MHz people (and phone boxes) name an LTE band by. */
const LTE_MHZ: Readonly<Record<number, number>> = {
  1: 2100,
  2: 1900,
  3: 1800,
  4: 1700,
  5: 850,
  7: 2600,
  8: 900,
  12: 700,
  13: 700,
  14: 700,
  17: 700,
  20: 800,
  25: 1900,
  26: 850,
  28: 700,
  29: 700,
  30: 2300,
  38: 2600,
  40: 2300,
  41: 2500,
  48: 3500,
  66: 1700,
  71: 600,
};

/** Bands below 1 GHz carry far and through walls: without them, signal indoors and out of town. */
const LOW_BAND_MAX_MHZ = 1000;

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
];

/** `2026-08-03` as "3 August 2026". */
function dayInWords(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return `${date} ${MONTHS[month - 1]} ${year}`;
}

/** "600/700 MHz" for the frequencies of these bands (each once, lowest first). */
function frequencies(bands: readonly number[]): string {
  const mhz = [...new Set(bands.map((band) => LTE_MHZ[band]).filter((f) => f !== undefined))];
  return `${mhz.sort((a, b) => a - b).join("/")} MHz`;
}

function plural(bands: readonly number[]): string {
  return bands.length === 1 ? "band" : "bands";
}

function possessive(name: string): string {
  return name.endsWith("s") ? `${name}'` : `${name}'s`;
}

/** A clause as a sentence of its own. */
function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/** What missing and locked LTE bands mean for the customer, low bands first. */
function bandConsequences(verdict: VerdictForWords, has: (code: VerdictReasonCode) => boolean) {
  const words: string[] = [];
  const low = (band: number) => (LTE_MHZ[band] ?? LOW_BAND_MAX_MHZ) < LOW_BAND_MAX_MHZ;
  if (has("missing_lte_band")) {
    const missingLow = verdict.lte.missing.filter(low);
    const missingHigh = verdict.lte.missing.filter((band) => !low(band));
    if (missingLow.length > 0) {
      words.push(
        `it lacks the ${frequencies(missingLow)} ${plural(missingLow)}: expect weak signal indoors and outside towns`,
      );
    }
    if (missingHigh.length > 0) {
      words.push(
        `it lacks the ${frequencies(missingHigh)} ${plural(missingHigh)}: expect slower data where many people are connected`,
      );
    }
  }
  if (has("needs_volte") && verdict.lte.needsVolte.length > 0) {
    words.push(
      `${possessive(verdict.carrier.name)} ${frequencies(verdict.lte.needsVolte)} band is open only ` +
        "to phones it has approved for calls over 4G, and yours is not approved yet: expect weak " +
        "signal indoors and outside towns",
    );
  }
  return words;
}

/**
 * One or two sentences for the customer: "Your phone works on T-Mobile US's network, but it
 * lacks the 600/700 MHz bands: expect weak signal indoors and outside towns."
 */
export function customerNetworkWords(verdict: VerdictForWords): string {
  const codes = new Set(verdict.reasons.map((reason) => reason.code));
  const has = (code: VerdictReasonCode) => codes.has(code);
  const network = `${possessive(verdict.carrier.name)} network`;
  const lastLegacyDay = verdict.legacy
    .map((band) => band.until)
    .reduce<string | null | undefined>(
      (latest, until) =>
        latest === undefined
          ? until
          : latest === null || until === null
            ? null
            : until > latest
              ? until
              : latest,
      undefined,
    );

  switch (verdict.level) {
    case "full":
      return `Your phone works on ${network}, for calls and mobile data.`;
    case "partial": {
      const buts = bandConsequences(verdict, has);
      if (has("no_voice_path")) {
        buts.push(
          "it cannot make ordinary calls there: the network carries calls only over 4G, and " +
            "your phone is not approved for that yet",
        );
      } else if (has("legacy_unknown")) {
        buts.push("we have not confirmed yet that it can make calls there");
      }
      if (has("legacy_path") && lastLegacyDay) {
        buts.push(
          `its calls use the older 3G/2G service, which closes on ${dayInWords(lastLegacyDay)}`,
        );
      }
      if (buts.length === 0) {
        return `Your phone works on ${network}, with some limits.`;
      }
      const [first, ...more] = buts;
      return [`Your phone works on ${network}, but ${first}.`, ...more.map(sentence)].join(" ");
    }
    case "legacy_only":
      return (
        `Your phone gets only the older 3G/2G service on ${network}: calls and texts work, ` +
        "but mobile data is slow" +
        (lastLegacyDay
          ? `, and that service closes on ${dayInWords(lastLegacyDay)}; after that the phone will have no service.`
          : ".")
      );
    case "none": {
      const why =
        has("no_lte") || has("no_primary_band")
          ? has("legacy_retired")
            ? "it cannot use the network's 4G, and the older 3G/2G service it would need has been switched off"
            : "it can use neither the network's 4G nor its older 3G/2G service"
          : "it cannot connect to any of the network's services";
      return `Your phone does not work on ${network}: ${why}.`;
    }
    case "unknown":
      return (
        `We do not know yet whether your phone works on ${network}: we have no reliable ` +
        "details of its radio for this exact model. Your agent will check and tell you."
      );
  }
}
