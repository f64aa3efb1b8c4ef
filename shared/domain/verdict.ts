/**
 * "Does it work on our network?" (docs/DOMAIN.md, "Carrier band profiles"): the verdict for one model
 * variant on one carrier on one date. Pure and isomorphic; dates are `YYYY-MM-DD` strings, so
 * comparing them as strings compares calendar days.
 *
 * - `full`: LTE on every band the carrier runs that day, and a voice path.
 * - `partial`: LTE on a primary band, but missing some bands (or without a voice path).
 * - `legacy_only`: no LTE on a primary band, but 3G/2G still live that day on a band it has.
 * - `none`: neither.
 * - `unknown`: the band data needed to decide is missing. Unknown stays unknown: a missing list is
 *   never read as "none".
 *
 * A band row that `requiresVolte` (T-Mobile's 700 MHz B12 since 2015) counts only when the
 * carrier has whitelisted the variant for VoLTE (its E911 certification); VoLTE also gives voice
 * once 3G/2G are retired.
 */
import type { BandConfidence, BandLists, BandRole, LegacyTechnology, Technology } from "./bands";
import type { VolteCapability } from "./bands";
import { LEGACY_TECHNOLOGIES, bandLabel, normaliseBands } from "./bands";
import type { CallingStatus, CertificationStatus } from "./catalog";

export const VERDICT_LEVELS = ["full", "partial", "legacy_only", "none", "unknown"] as const;
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

/** How calls are carried on that date. */
export const VOICE_PATHS = ["volte", "legacy", "none", "unknown"] as const;
export type VoicePath = (typeof VOICE_PATHS)[number];

/** Codes of the reasons a verdict gives; the message says the same in words. */
export const VERDICT_REASON_CODES = [
  "no_band_data",
  "lte_unknown",
  "missing_lte_band",
  "needs_volte",
  "no_primary_band",
  "no_lte",
  "volte_voice",
  "legacy_path",
  "legacy_retired",
  "legacy_no_common_band",
  "legacy_unknown",
  "no_voice_path",
] as const;
export type VerdictReasonCode = (typeof VERDICT_REASON_CODES)[number];

export interface VerdictReason {
  code: VerdictReasonCode;
  /** "missing LTE B12", "B12 present but needs VoLTE/E911 certification", ... */
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
    /** The carrier's LTE bands live that day (sorted). */
    carrier: number[];
    /** The carrier's primary LTE bands that day. */
    primary: number[];
    /** Bands the phone can use on that carrier that day. */
    usable: number[];
    /** Carrier bands the phone does not have. */
    missing: number[];
    /** Carrier bands the phone has but may not use without VoLTE/E911 whitelisting. */
    needsVolte: number[];
  };
  voice: VoicePath;
  legacy: LegacyBand[];
  certification: VerdictCertification | null;
  source: { bands: string | null; confidence: BandConfidence | null };
  /** One sentence for agents (and customers). */
  summary: string;
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

/** Whether a carrier band row is live on `date`. */
export function isLiveOn(row: Pick<CarrierBand, "from" | "until">, date: string): boolean {
  return (row.from === null || row.from <= date) && (row.until === null || date < row.until);
}

interface LiveBand {
  technology: Technology;
  band: number;
  primary: boolean;
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
    const key = `${row.technology}:${row.band}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, {
        technology: row.technology,
        band: row.band,
        primary: row.role === "primary",
        requiresVolte: row.requiresVolte,
        until: row.until,
      });
    } else {
      // Overlapping rows for one band: the stricter rule and the later end win.
      seen.primary ||= row.role === "primary";
      seen.requiresVolte ||= row.requiresVolte;
      seen.until =
        seen.until === null || row.until === null ? null : maxDate(seen.until, row.until);
    }
  }
  return [...byKey.values()].sort((a, b) => a.band - b.band);
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function labels(bands: readonly number[]): string {
  return bands.map((band) => bandLabel("lte", band)).join(", ");
}

function legacyLabel(band: LegacyBand): string {
  const label = bandLabel(band.technology, band.band);
  return band.until === null ? label : `${label} until ${band.until}`;
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
  const live = liveBands(carrier, date);
  const lteLive = live.filter((b) => b.technology === "lte");
  const legacyLive = live.filter((b) => b.technology !== "lte");
  const volteWhitelisted = certification?.volte === "whitelisted";
  const reasons: VerdictReason[] = [];
  const reason = (code: VerdictReasonCode, message: string) => reasons.push({ code, message });

  // 3G/2G: the bands the phone shares with what is still live, and whether that is even known.
  const legacy: LegacyBand[] = [];
  let legacyUnknown = false;
  for (const row of legacyLive) {
    const phone = variant[row.technology];
    if (phone === null) {
      legacyUnknown = true;
    } else if (phone.includes(row.band)) {
      legacy.push({
        technology: row.technology as LegacyTechnology,
        band: row.band,
        until: row.until,
      });
    }
  }
  const legacyRetired = legacyLive.length === 0;

  const lte = {
    carrier: lteLive.map((b) => b.band),
    primary: lteLive.filter((b) => b.primary).map((b) => b.band),
    usable: [] as number[],
    missing: [] as number[],
    needsVolte: [] as number[],
  };

  const base = {
    date,
    carrier: { id: carrier.id, code: carrier.code, name: carrier.name },
    legacy,
    certification,
    source: { bands: variant.bandSource, confidence: variant.bandConfidence },
  };

  const allUnknown = LEGACY_TECHNOLOGIES.every((t) => variant[t] === null) && variant.lte === null;
  if (allUnknown) {
    reason("no_band_data", "no band data for this variant");
    return {
      ...base,
      level: "unknown",
      reasons,
      lte,
      voice: "unknown",
      summary: `Unknown on ${carrier.name}: no band data for this variant yet.`,
    };
  }

  if (variant.lte === null) {
    reason("lte_unknown", "LTE bands unknown");
    if (legacy.length > 0) {
      reason("legacy_path", `3G/2G on ${legacy.map(legacyLabel).join(", ")}`);
    }
    return {
      ...base,
      level: "unknown",
      reasons,
      lte,
      voice: legacy.length > 0 ? "legacy" : "unknown",
      summary: `Unknown on ${carrier.name}: the LTE bands of this variant are not known.`,
    };
  }

  const phoneLte = new Set(variant.lte);
  for (const row of lteLive) {
    if (!phoneLte.has(row.band)) {
      lte.missing.push(row.band);
      // A phone without any LTE gets one reason ("no LTE"), not one per band.
      if (phoneLte.size > 0) {
        reason("missing_lte_band", `missing LTE ${bandLabel("lte", row.band)}`);
      }
    } else if (row.requiresVolte && !volteWhitelisted) {
      lte.needsVolte.push(row.band);
      reason(
        "needs_volte",
        `${bandLabel("lte", row.band)} present but needs VoLTE/E911 certification`,
      );
    } else {
      lte.usable.push(row.band);
    }
  }
  const primaryUsable = lte.usable.filter((band) => lte.primary.includes(band));

  let voice: VoicePath;
  if (volteWhitelisted && lte.usable.length > 0) {
    voice = "volte";
  } else if (legacy.length > 0) {
    voice = "legacy";
  } else if (legacyUnknown) {
    voice = "unknown";
  } else {
    voice = "none";
  }

  const legacyWords = () => {
    if (legacy.length > 0) {
      reason("legacy_path", `3G/2G on ${legacy.map(legacyLabel).join(", ")}`);
    } else if (legacyUnknown) {
      reason("legacy_unknown", "3G/2G bands unknown");
    } else if (legacyRetired) {
      reason("legacy_retired", "2G/3G retired");
    } else {
      reason("legacy_no_common_band", "no 3G/2G band in common");
    }
  };

  if (primaryUsable.length > 0) {
    if (voice === "volte") {
      reason("volte_voice", "voice over LTE (whitelisted)");
    } else if (voice === "legacy") {
      legacyWords();
    } else if (voice === "unknown") {
      reason("legacy_unknown", "voice path unknown: 3G/2G bands unknown");
    } else {
      reason(
        "no_voice_path",
        legacyRetired
          ? "no voice path: VoLTE not whitelisted and 2G/3G retired"
          : "no voice path: VoLTE not whitelisted and no 3G/2G band in common",
      );
    }
    const complete = lte.missing.length === 0 && lte.needsVolte.length === 0;
    if (complete && (voice === "volte" || voice === "legacy")) {
      return {
        ...base,
        level: "full",
        reasons,
        lte,
        voice,
        summary: `Works fully on ${carrier.name}: LTE on ${labels(lte.usable)} and a voice path.`,
      };
    }
    const lacking = reasons.filter((r) => r.code !== "legacy_path" && r.code !== "volte_voice");
    return {
      ...base,
      level: "partial",
      reasons,
      lte,
      voice,
      summary:
        `Partial on ${carrier.name}: LTE on ${labels(primaryUsable)}, but ` +
        `${lacking.map((r) => r.message).join("; ")}.`,
    };
  }

  if (variant.lte.length === 0) {
    reason("no_lte", "no LTE");
  } else if (lte.primary.length > 0) {
    reason("no_primary_band", `no LTE on a primary band (${labels(lte.primary)})`);
  } else {
    reason("no_primary_band", "no LTE network on this date");
  }
  legacyWords();
  if (legacy.length > 0) {
    return {
      ...base,
      level: "legacy_only",
      reasons,
      lte,
      voice,
      summary: `3G/2G only on ${carrier.name} (${legacy.map(legacyLabel).join(", ")}): no LTE.`,
    };
  }
  if (legacyUnknown) {
    return {
      ...base,
      level: "unknown",
      reasons,
      lte,
      voice,
      summary: `Unknown on ${carrier.name}: no LTE, and its 3G/2G bands are not known.`,
    };
  }
  return {
    ...base,
    level: "none",
    reasons,
    lte,
    voice,
    summary: `No service on ${carrier.name} on ${date}: no LTE, and ${
      legacyRetired ? "2G/3G are retired" : "no 3G/2G band in common"
    }.`,
  };
}

/** The phone's band lists with each list sorted and without repeats (null stays null). */
export function normaliseBandLists(lists: BandLists): BandLists {
  const tidy = (bands: readonly number[] | null) => (bands === null ? null : normaliseBands(bands));
  return {
    lte: tidy(lists.lte),
    umts: tidy(lists.umts),
    gsm: tidy(lists.gsm),
    cdma: tidy(lists.cdma),
  };
}
