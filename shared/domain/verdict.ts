/**
 * "Does it work on our network?" (docs/DOMAIN.md, "Network compatibility"): the verdict for one
 * model variant on one carrier on one date. Pure and isomorphic; dates are `YYYY-MM-DD` strings,
 * so comparing them as strings compares calendar days.
 *
 * A carrier's LTE bands have roles: `primary` bands carry the network, `low_band` (600/700 MHz)
 * reaches indoors and the countryside, `supplementary` (downlink-only or capacity) bands are
 * never required and never make a verdict worse.
 *
 * - `full`: LTE on every primary and low band live that day, and a voice path.
 * - `partial`: LTE on at least one primary band, but missing some primary or low band, or
 *   without a voice path; also the most a `rejected` or `withdrawn` certification allows.
 * - `legacy_only`: no LTE in practice (none on a primary band), but 3G/2G still live that day
 *   on a band it has.
 * - `none`: neither.
 * - `unknown`: the band data needed to decide is missing. Unknown stays unknown: a missing list is
 *   never read as "none", with one exception: a phone with GSM/UMTS bands and no CDMA list is a
 *   GSM import, and a GSM import never used a CDMA network.
 *
 * 5G NR is reported (usable and missing bands) but does not change the level: LTE and the voice
 * path decide it, since the 5G of these networks leans on LTE and VoLTE for coverage and calls.
 *
 * A band row that `requiresVolte` (T-Mobile's 700 MHz B12 since 2015) counts only when the
 * carrier has whitelisted the variant for VoLTE (its E911 certification); VoLTE also gives voice
 * once 3G/2G are retired.
 *
 * Every reason says what it means for the customer, not only which band; `customerSummary` says
 * the same without band names, for the customer portal ({@link plainVerdict}).
 */
import type { BandConfidence, BandLists, BandRole, LegacyTechnology, Technology } from "./bands";
import type { VolteCapability } from "./bands";
import {
  LEGACY_TECHNOLOGIES,
  bandLabel,
  isLowFrequencyBand,
  lteBandMhz,
  normaliseBands,
} from "./bands";
import type { CallingStatus, CertificationStatus } from "./catalog";

export const VERDICT_LEVELS = ["full", "partial", "legacy_only", "none", "unknown"] as const;
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

/** Worst last: a cap never moves a verdict to the left of this list. */
const LEVEL_ORDER: readonly VerdictLevel[] = ["full", "partial", "legacy_only", "none"];

/** How calls are carried on that date. */
export const VOICE_PATHS = ["volte", "legacy", "none", "unknown"] as const;
export type VoicePath = (typeof VOICE_PATHS)[number];

/**
 * Codes of the reasons a verdict gives; the message says the same in words, consequence first.
 * Codes are stable (verdicts kept on tickets carry them); messages may be reworded.
 */
export const VERDICT_REASON_CODES = [
  "no_band_data",
  "lte_unknown",
  /** A primary band the phone lacks. */
  "missing_lte_band",
  /** A low band (600/700 MHz) the phone lacks: weak signal indoors and outside towns. */
  "missing_low_band",
  "needs_volte",
  "no_primary_band",
  /** LTE only on supplementary bands: no LTE in practice. */
  "supplementary_only",
  "no_lte",
  "volte_voice",
  "legacy_path",
  "legacy_retired",
  "legacy_no_common_band",
  "legacy_unknown",
  "no_voice_path",
  /** The carrier rejected or withdrew the (variant, carrier) certification. */
  "certification_refused",
  /** 5G NR bands the phone can use that day. */
  "nr_usable",
  /** The carrier runs 5G NR that day and the phone has none of its bands. */
  "nr_missing",
  "nr_unknown",
] as const;
export type VerdictReasonCode = (typeof VERDICT_REASON_CODES)[number];

export interface VerdictReason {
  code: VerdictReasonCode;
  /** "no LTE B12 or B71 (600/700 MHz): weak signal indoors and outside towns", ... */
  message: string;
}

/** What the catalogue knows about a variant's radio. */
export interface VerdictVariant extends BandLists {
  volteCapable: VolteCapability;
  /** Where the band lists come from ("Xiaomi spec sheet"), and how far to trust them. */
  bandSource: string | null;
  bandConfidence: BandConfidence | null;
}

/** One dated row of a carrier's band profile. */
export interface CarrierBand {
  technology: Technology;
  band: number;
  role: BandRole;
  /** First day the band is live (inclusive); null = since before anything we track. */
  from: string | null;
  /** First day it is gone (the retirement date, exclusive); null = still live. */
  until: string | null;
  /** A phone may use this band only when whitelisted for VoLTE (and so E911). */
  requiresVolte: boolean;
}

export interface VerdictCarrier {
  id: string;
  code: string;
  name: string;
  bands: readonly CarrierBand[];
}

/** The variant's certification with that carrier; null when none was ever recorded. */
export interface VerdictCertification {
  status: CertificationStatus;
  volte: CallingStatus;
  wifiCalling: CallingStatus;
  reference: string | null;
  date: string | null;
}

/** A 3G/2G band the phone can use that day, and until when. */
export interface LegacyBand {
  technology: LegacyTechnology;
  band: number;
  until: string | null;
}

/** The result of {@link decideVerdict}. Plain data: it is stored as is on a ticket. */
export interface Verdict {
  level: VerdictLevel;
  date: string;
  carrier: { id: string; code: string; name: string };
  reasons: VerdictReason[];
  lte: {
    /** The carrier's LTE bands live that day (sorted), whatever their role. */
    carrier: number[];
    /** The carrier's primary LTE bands that day. */
    primary: number[];
    /** The carrier's low bands that day (absent on verdicts kept from before roles existed). */
    lowBand?: number[];
    /** The carrier's supplementary bands that day (absent on older kept verdicts). */
    supplementary?: number[];
    /** Bands the phone can use on that carrier that day. */
    usable: number[];
    /** Primary and low bands of the carrier the phone does not have (the ones that matter). */
    missing: number[];
    /** Carrier bands the phone has but may not use without VoLTE/E911 whitelisting. */
    needsVolte: number[];
  };
  /** 5G NR that day (absent on verdicts kept from before 5G was tracked). */
  nr?: {
    carrier: number[];
    usable: number[];
    missing: number[];
    /** False when the phone's NR bands are not known. */
    known: boolean;
  };
  voice: VoicePath;
  legacy: LegacyBand[];
  certification: VerdictCertification | null;
  source: { bands: string | null; confidence: BandConfidence | null };
  /** One sentence for agents. */
  summary: string;
  /** One sentence for the customer, without band names (absent on older kept verdicts). */
  customerSummary?: string;
}

/** A verdict with the variant it is about, as the API shows and a ticket keeps it. */
export interface NetworkVerdict extends Verdict {
  variant: { id: string; name: string; brand: string; model: string };
}

/** A verdict in brief, for lists (the queue, `ticket:updated`). */
export interface VerdictSummary {
  level: VerdictLevel;
  date: string;
  carrier: string;
  variant: string;
  summary: string;
}

/** The brief form of a verdict. */
export function summariseVerdict(verdict: NetworkVerdict): VerdictSummary {
  return {
    level: verdict.level,
    date: verdict.date,
    carrier: verdict.carrier.name,
    variant: `${verdict.variant.brand} ${verdict.variant.model} ${verdict.variant.name}`.trim(),
    summary: verdict.summary,
  };
}

/**
 * The verdict in plain words for the customer (no band numbers): the verdict's own
 * `customerSummary`, or, for a verdict kept from before it had one, a sentence from its level.
 */
export function plainVerdict(verdict: Verdict): string {
  if (verdict.customerSummary !== undefined && verdict.customerSummary !== "") {
    return verdict.customerSummary;
  }
  const carrier = verdict.carrier.name;
  switch (verdict.level) {
    case "full":
      return `Your phone works fully on ${carrier}: 4G data and calls.`;
    case "partial":
      return `Your phone works on ${carrier}, with limits.`;
    case "legacy_only":
      return `Your phone works on ${carrier} only on the older 3G/2G network: calls and slow data, no 4G.`;
    case "none":
      return `Your phone does not work on ${carrier}: no calls, no 911 and no data.`;
    case "unknown":
      return `We do not know yet whether your phone works on ${carrier}: details of this model are missing, and an agent will check.`;
  }
}

/** Whether a carrier band row is live on `date`. */
export function isLiveOn(row: Pick<CarrierBand, "from" | "until">, date: string): boolean {
  return (row.from === null || row.from <= date) && (row.until === null || date < row.until);
}

const ROLE_RANK: Record<BandRole, number> = { primary: 3, low_band: 2, supplementary: 1 };

interface LiveBand {
  technology: Technology;
  band: number;
  role: BandRole;
  requiresVolte: boolean;
  until: string | null;
}

/** The carrier's bands live on `date`, one entry per (technology, band). */
function liveBands(carrier: VerdictCarrier, date: string): LiveBand[] {
  const byKey = new Map<string, LiveBand>();
  for (const row of carrier.bands) {
    if (!isLiveOn(row, date)) {
      continue;
    }
    // Rows written before roles were split said `coverage`: they read as low band.
    const role: BandRole = ROLE_RANK[row.role] === undefined ? "low_band" : row.role;
    const key = `${row.technology}:${row.band}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, {
        technology: row.technology,
        band: row.band,
        role,
        requiresVolte: row.requiresVolte,
        until: row.until,
      });
    } else {
      // Overlapping rows for one band: the stronger role, the stricter rule and the later end win.
      if (ROLE_RANK[role] > ROLE_RANK[seen.role]) {
        seen.role = role;
      }
      seen.requiresVolte ||= row.requiresVolte;
      seen.until =
        seen.until === null || row.until === null ? null : maxDate(seen.until, row.until);
    }
  }
  return [...byKey.values()].sort((a, b) => a.band - b.band);
}

/** The day the carrier's last 3G/2G network went off, if it had any and all are off by `date`. */
function legacyRetiredOn(carrier: VerdictCarrier, date: string): string | null {
  let last: string | null = null;
  for (const row of carrier.bands) {
    if (row.technology === "umts" || row.technology === "gsm" || row.technology === "cdma") {
      if (row.until !== null && row.until <= date) {
        last = last === null ? row.until : maxDate(last, row.until);
      }
    }
  }
  return last;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function or(words: readonly string[]): string {
  return words.length <= 1
    ? (words[0] ?? "")
    : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function labels(bands: readonly number[]): string {
  return bands.map((band) => bandLabel("lte", band)).join(", ");
}

/** `B12 or B71 (600/700 MHz)`: the bands and their frequencies, low to high. */
function bandsWithMhz(bands: readonly number[], tech: "lte" | "nr" = "lte"): string {
  const mhz = [...new Set(bands.map(lteBandMhz).filter((m): m is string => m !== null))].sort(
    (a, b) => Number(a.split("/")[0]) - Number(b.split("/")[0]),
  );
  const names = or(bands.map((band) => bandLabel(tech, band)));
  return mhz.length === 0 ? names : `${names} (${mhz.join("/")} MHz)`;
}

function legacyLabel(band: LegacyBand): string {
  const label = bandLabel(band.technology, band.band);
  return band.until === null ? label : `${label} until ${band.until}`;
}

function nonEmpty(list: readonly number[] | null | undefined): boolean {
  return list !== null && list !== undefined && list.length > 0;
}

/**
 * The verdict for `variant` on `carrier` on `date` (see the module comment for the levels).
 * @param certification the variant's certification with that carrier, or null if none.
 */
export function decideVerdict(
  variant: VerdictVariant,
  carrier: VerdictCarrier,
  certification: VerdictCertification | null,
  date: string,
): Verdict {
  const name = carrier.name;
  const live = liveBands(carrier, date);
  const lteLive = live.filter((b) => b.technology === "lte");
  const nrLive = live.filter((b) => b.technology === "nr");
  const legacyLive = live.filter(
    (b) => b.technology === "umts" || b.technology === "gsm" || b.technology === "cdma",
  );
  const volteWhitelisted = certification?.volte === "whitelisted";
  const refused = certification?.status === "rejected" || certification?.status === "withdrawn";
  const reasons: VerdictReason[] = [];
  const reason = (code: VerdictReasonCode, message: string) => reasons.push({ code, message });

  // A phone with GSM/UMTS bands and no CDMA list is a GSM import: it never used a CDMA network.
  const gsmImport =
    (variant.cdma === null || variant.cdma.length === 0) &&
    (nonEmpty(variant.gsm) || nonEmpty(variant.umts));
  const phoneBands = (technology: LegacyTechnology): readonly number[] | null =>
    technology === "cdma" && gsmImport ? [] : variant[technology];

  // 3G/2G: the bands the phone shares with what is still live, and whether that is even known.
  const legacy: LegacyBand[] = [];
  let legacyUnknown = false;
  for (const row of legacyLive) {
    const technology = row.technology as LegacyTechnology;
    const phone = phoneBands(technology);
    if (phone === null) {
      legacyUnknown = true;
    } else if (phone.includes(row.band)) {
      legacy.push({ technology, band: row.band, until: row.until });
    }
  }
  const legacyRetired = legacyLive.length === 0;
  const retiredOn = legacyRetired ? legacyRetiredOn(carrier, date) : null;
  const onlyCdmaLive = legacyLive.length > 0 && legacyLive.every((b) => b.technology === "cdma");
  const legacyEnds = legacy.length > 0 && legacy.every((b) => b.until !== null);
  const legacyEndDate = legacyEnds
    ? legacy.map((b) => b.until as string).reduce((a, b) => maxDate(a, b))
    : null;

  const lte = {
    carrier: lteLive.map((b) => b.band),
    primary: lteLive.filter((b) => b.role === "primary").map((b) => b.band),
    lowBand: lteLive.filter((b) => b.role === "low_band").map((b) => b.band),
    supplementary: lteLive.filter((b) => b.role === "supplementary").map((b) => b.band),
    usable: [] as number[],
    missing: [] as number[],
    needsVolte: [] as number[],
  };

  const nr = (() => {
    const carrierNr = nrLive.map((b) => b.band);
    const phoneNr = variant.nr ?? null;
    if (phoneNr === null) {
      return { carrier: carrierNr, usable: [], missing: [], known: false };
    }
    return {
      carrier: carrierNr,
      usable: carrierNr.filter((band) => phoneNr.includes(band)),
      missing: carrierNr.filter((band) => !phoneNr.includes(band)),
      known: true,
    };
  })();

  const base = {
    date,
    carrier: { id: carrier.id, code: carrier.code, name },
    legacy,
    nr,
    certification,
    source: { bands: variant.bandSource, confidence: variant.bandConfidence },
  };

  const nrWords = () => {
    if (nr.carrier.length === 0) {
      return;
    }
    if (!nr.known) {
      reason("nr_unknown", "5G bands unknown: whether it gets 5G is not known");
    } else if (nr.usable.length > 0) {
      reason("nr_usable", `5G on ${nr.usable.map((b) => bandLabel("nr", b)).join(", ")}`);
    } else {
      reason(
        "nr_missing",
        `no 5G (${nr.carrier.map((b) => bandLabel("nr", b)).join(", ")}): 4G speeds at best`,
      );
    }
  };

  /** Applies the certification cap and builds the verdict. */
  const finish = (
    level: VerdictLevel,
    voice: VoicePath,
    summary: string,
    customer: string,
  ): Verdict => {
    let capped = level;
    if (refused && certification !== null) {
      reason(
        "certification_refused",
        `certification ${certification.status} by ${name}: the network may refuse the phone, whatever its bands`,
      );
      if (level !== "unknown" && LEVEL_ORDER.indexOf(level) < LEVEL_ORDER.indexOf("partial")) {
        capped = "partial";
      }
    }
    nrWords();
    const refusal = refused
      ? ` ${name} has not approved this phone (certification ${certification?.status}) and may refuse it on its network.`
      : "";
    return {
      ...base,
      level: capped,
      reasons,
      lte,
      voice,
      summary:
        capped === level
          ? summary
          : `${summary} Capped at partial: certification ${certification?.status} by ${name}.`,
      customerSummary: `${customer}${refusal}`,
    };
  };

  const allUnknown = LEGACY_TECHNOLOGIES.every((t) => variant[t] === null) && variant.lte === null;
  if (allUnknown) {
    reason("no_band_data", "no band data for this variant: whether it works is not known");
    return finish(
      "unknown",
      "unknown",
      `Unknown on ${name}: no band data for this variant yet.`,
      `We do not know yet whether your phone works on ${name}: details of this model are missing, and an agent will check.`,
    );
  }

  if (variant.lte === null) {
    reason("lte_unknown", "LTE bands unknown: whether it gets 4G is not known");
    if (legacy.length > 0) {
      reason("legacy_path", `3G/2G on ${legacy.map(legacyLabel).join(", ")}`);
    }
    return finish(
      "unknown",
      legacy.length > 0 ? "legacy" : "unknown",
      `Unknown on ${name}: the LTE bands of this variant are not known.`,
      `We do not know yet whether your phone gets 4G on ${name}: details of this model are missing, and an agent will check.`,
    );
  }

  const phoneLte = new Set(variant.lte);
  const missingPrimary: number[] = [];
  const missingLow: number[] = [];
  for (const row of lteLive) {
    if (!phoneLte.has(row.band)) {
      if (row.role === "primary") {
        missingPrimary.push(row.band);
        lte.missing.push(row.band);
      } else if (row.role === "low_band") {
        missingLow.push(row.band);
        lte.missing.push(row.band);
      }
    } else if (row.requiresVolte && !volteWhitelisted) {
      lte.needsVolte.push(row.band);
    } else {
      lte.usable.push(row.band);
    }
  }
  const primaryUsable = lte.usable.filter((band) => lte.primary.includes(band));
  const otherUsable = lte.usable.filter((band) => !lte.primary.includes(band));

  let voice: VoicePath;
  if (volteWhitelisted && primaryUsable.length > 0) {
    voice = "volte";
  } else if (legacy.length > 0) {
    voice = "legacy";
  } else if (legacyUnknown) {
    voice = "unknown";
  } else {
    voice = "none";
  }

  const noCallsWhy = () =>
    legacyRetired
      ? retiredOn === null
        ? `${name} has no 2G/3G`
        : `2G/3G retired on ${retiredOn}`
      : onlyCdmaLive && gsmImport
        ? `${name}'s 2G/3G is CDMA, which a GSM phone never used`
        : "no 3G/2G band in common";

  const legacyWords = () => {
    if (legacy.length > 0) {
      reason(
        "legacy_path",
        legacyEndDate === null
          ? `calls over 3G/2G on ${legacy.map(legacyLabel).join(", ")}`
          : `calls over 3G/2G on ${legacy.map(legacyLabel).join(", ")}: they stop on ${legacyEndDate} unless VoLTE is whitelisted`,
      );
    } else if (legacyUnknown) {
      reason("legacy_unknown", "3G/2G bands unknown: whether it can call is not known");
    } else if (legacyRetired) {
      reason(
        "legacy_retired",
        retiredOn === null
          ? `${name} has no 2G/3G: no calls, no 911 without LTE`
          : `2G/3G retired on ${retiredOn}: no calls, no 911 without LTE`,
      );
    } else {
      reason("legacy_no_common_band", `${noCallsWhy()}: no calls, no 911 without LTE`);
    }
  };

  if (primaryUsable.length > 0) {
    const clauses: string[] = [];
    if (missingPrimary.length > 0) {
      const low = missingPrimary.filter(isLowFrequencyBand);
      const high = missingPrimary.filter((b) => !isLowFrequencyBand(b));
      if (high.length > 0) {
        reason(
          "missing_lte_band",
          `no LTE ${bandsWithMhz(high)}: slower data, and no 4G where ${name} runs only ${high.length === 1 ? "that band" : "those bands"}`,
        );
        clauses.push("slower data and gaps in 4G in some places");
      }
      if (low.length > 0) {
        reason(
          "missing_lte_band",
          `no LTE ${bandsWithMhz(low)}, a main band of ${name}: weak signal indoors and outside towns`,
        );
        clauses.push("a weak signal indoors and outside towns");
      }
    }
    if (missingLow.length > 0) {
      reason(
        "missing_low_band",
        `no LTE ${bandsWithMhz(missingLow)}: weak signal indoors and outside towns`,
      );
      clauses.push("a weak signal indoors and outside towns");
    }
    if (lte.needsVolte.length > 0) {
      const low = lte.needsVolte.some(isLowFrequencyBand);
      reason(
        "needs_volte",
        `${bandsWithMhz(lte.needsVolte)} present but needs VoLTE/E911 certification: not used until ${name} whitelists the phone${low ? ", so weak signal indoors and outside towns" : ""}`,
      );
      clauses.push(
        low
          ? "a weak signal indoors until the network approves it for calls over 4G"
          : "some 4G frequencies unused until the network approves it for calls over 4G",
      );
    }
    if (voice === "volte") {
      reason("volte_voice", "calls over LTE (VoLTE whitelisted)");
    } else if (voice === "legacy") {
      legacyWords();
      if (legacyEndDate !== null) {
        clauses.push(
          `calls stop on ${legacyEndDate} unless the network approves it for calls over 4G`,
        );
      }
    } else if (voice === "unknown") {
      reason("legacy_unknown", "voice path unknown: 3G/2G bands unknown, so calls are not certain");
      clauses.push("calls may not work");
    } else {
      reason(
        "no_voice_path",
        `no voice path: VoLTE not whitelisted and ${noCallsWhy()}: no calls, no 911`,
      );
      clauses.push("no calls, including 911");
    }
    const complete = lte.missing.length === 0 && lte.needsVolte.length === 0;
    if (complete && (voice === "volte" || voice === "legacy")) {
      return finish(
        "full",
        voice,
        `Works fully on ${name}: LTE on ${labels(lte.usable)} and a voice path.`,
        voice !== "legacy" || legacyEndDate === null
          ? `Your phone works fully on ${name}: 4G data and calls.`
          : `Your phone works fully on ${name} for now: 4G data and calls, but ${clauses.join("; ")}.`,
      );
    }
    const lacking = reasons.filter(
      (r) => r.code !== "legacy_path" && r.code !== "volte_voice" && r.code !== "nr_usable",
    );
    return finish(
      "partial",
      voice,
      `Partial on ${name}: LTE on ${labels(primaryUsable)}, but ` +
        `${lacking.map((r) => r.message).join("; ")}.`,
      `Your phone works on ${name} with limits: ${[...new Set(clauses)].join("; ")}.`,
    );
  }

  // No LTE on a primary band: no LTE in practice, whatever else it has.
  if (variant.lte.length === 0) {
    reason("no_lte", "no LTE: no 4G data");
  } else if (otherUsable.length > 0 && otherUsable.every((b) => lte.supplementary.includes(b))) {
    reason(
      "supplementary_only",
      `LTE only on supplementary bands (${labels(otherUsable)}): no LTE in practice`,
    );
  } else if (lte.primary.length > 0) {
    reason(
      "no_primary_band",
      `no LTE on ${or(lte.primary.map((b) => bandLabel("lte", b)))}, the bands that carry ${name}'s LTE: no LTE in practice`,
    );
  } else {
    reason("no_primary_band", `no LTE network of ${name} on this date: no 4G data`);
  }
  legacyWords();
  if (legacy.length > 0) {
    return finish(
      "legacy_only",
      voice,
      `3G/2G only on ${name} (${legacy.map(legacyLabel).join(", ")}): no LTE.`,
      legacyEndDate === null
        ? `Your phone works on ${name} only on the older 3G/2G network: calls and slow data, no 4G.`
        : `Your phone works on ${name} only on the older 3G/2G network, which closes on ${legacyEndDate}: calls and slow data until then, no 4G, and no service after.`,
    );
  }
  if (legacyUnknown) {
    return finish(
      "unknown",
      voice,
      `Unknown on ${name}: no LTE, and its 3G/2G bands are not known.`,
      `We do not know yet whether your phone works on ${name}: it has no 4G there and details of its older radios are missing; an agent will check.`,
    );
  }
  return finish(
    "none",
    voice,
    `No service on ${name} on ${date}: no LTE, and ${noCallsWhy()}.`,
    `Your phone does not work on ${name}: it lacks the frequencies the network uses, so no calls (including 911) and no data.`,
  );
}

/** The phone's band lists with each list sorted and without repeats (null stays null). */
export function normaliseBandLists(lists: BandLists): BandLists {
  const tidy = (bands: readonly number[] | null) => (bands === null ? null : normaliseBands(bands));
  return {
    lte: tidy(lists.lte),
    umts: tidy(lists.umts),
    gsm: tidy(lists.gsm),
    cdma: tidy(lists.cdma),
    nr: tidy(lists.nr ?? null),
  };
}
