/**
 * Radio bands as the catalogue and the carrier profiles record them (docs/DOMAIN.md, "Carrier
 * band profiles"). Pure and isomorphic: used by the verdict, the API schemas and the console.
 *
 * Numbering: LTE and UMTS use their 3GPP band numbers (LTE B12, UMTS band II = 2); GSM uses its
 * frequency in MHz (850, 900, 1800, 1900), the way spec sheets write it; CDMA uses its band class
 * (BC0 = 800 MHz, BC1 = 1900 MHz); 5G NR uses its 3GPP band number (n71 = 71).
 */

/** Radio technologies a carrier runs and a phone may support (`nr` is 5G New Radio). */
export const TECHNOLOGIES = ["lte", "umts", "gsm", "cdma", "nr"] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** The technologies older than LTE, which carry voice without VoLTE while they are live. */
export const LEGACY_TECHNOLOGIES = ["umts", "gsm", "cdma"] as const satisfies readonly Technology[];
export type LegacyTechnology = (typeof LEGACY_TECHNOLOGIES)[number];

/**
 * How a carrier uses a band (docs/DOMAIN.md, "Carrier band profiles"):
 * - `primary`: carries the network almost everywhere; a phone with LTE on none of them has, in
 *   practice, no LTE.
 * - `low_band`: 600/700 MHz, which reaches indoors and the countryside; missing it means a weak
 *   signal there.
 * - `supplementary`: downlink-only or capacity bands (AT&T B29, B30); never required, never the
 *   reason for a worse verdict, and LTE on them alone is no LTE in practice.
 */
export const BAND_ROLES = ["primary", "low_band", "supplementary"] as const;
export type BandRole = (typeof BAND_ROLES)[number];

/** Whether a variant can do voice over LTE at all (certification decides whether it may). */
export const VOLTE_CAPABILITIES = ["yes", "no", "unknown"] as const;
export type VolteCapability = (typeof VOLTE_CAPABILITIES)[number];

/** How far a band list can be trusted: sources conflict for the phones of 2015-2016. */
export const BAND_CONFIDENCES = ["high", "medium", "low"] as const;
export type BandConfidence = (typeof BAND_CONFIDENCES)[number];

/** GSM bands by their frequency in MHz. "Quad band" is 850/900/1800/1900. */
export const GSM_BANDS = [450, 480, 750, 850, 900, 1800, 1900] as const;
export const GSM_QUAD_BAND: readonly number[] = [850, 900, 1800, 1900];

/** Valid band numbers per technology (inclusive ranges, or the GSM list). */
export const BAND_LIMITS: Record<Technology, { min: number; max: number }> = {
  lte: { min: 1, max: 255 },
  umts: { min: 1, max: 32 },
  gsm: { min: 450, max: 1900 },
  cdma: { min: 0, max: 21 },
  nr: { min: 1, max: 512 },
};

/** The band lists of one variant; `null` means unknown (never the same as "none", `[]`). */
export interface BandLists {
  lte: readonly number[] | null;
  umts: readonly number[] | null;
  gsm: readonly number[] | null;
  cdma: readonly number[] | null;
  /** 5G NR bands. Optional for band lists recorded before 5G was tracked (absent = unknown). */
  nr?: readonly number[] | null;
}

/** UMTS band numbers by the frequency spec sheets name them with ("HSDPA 850/1900"). */
const UMTS_BY_MHZ: Readonly<Record<number, number>> = {
  2100: 1,
  1900: 2,
  1800: 3,
  1700: 4,
  850: 5,
  800: 6,
  900: 8,
};

const UMTS_MHZ: Readonly<Record<number, number>> = Object.fromEntries(
  Object.entries(UMTS_BY_MHZ).map(([mhz, band]) => [band, Number(mhz)]),
);

const CDMA_MHZ: Readonly<Record<number, number>> = { 0: 800, 1: 1900, 10: 800, 15: 1700 };

/** The frequency of the common LTE (and NR, same numbers) bands, as spec sheets name it. */
const LTE_MHZ: Readonly<Record<number, string>> = {
  1: "2100",
  2: "1900",
  3: "1800",
  4: "1700/2100",
  5: "850",
  7: "2600",
  8: "900",
  12: "700",
  13: "700",
  14: "700",
  17: "700",
  20: "800",
  25: "1900",
  26: "850",
  28: "700",
  29: "700",
  30: "2300",
  38: "2600",
  39: "1900",
  40: "2300",
  41: "2500",
  46: "5200",
  66: "1700/2100",
  71: "600",
  77: "3700",
};

/** The frequency of an LTE or NR band in MHz as text ("700", "1700/2100"), or null if not listed. */
export function lteBandMhz(band: number): string | null {
  return LTE_MHZ[band] ?? null;
}

/** Whether an LTE/NR band is a low band (below 1 GHz): it reaches indoors and the countryside. */
export function isLowFrequencyBand(band: number): boolean {
  const mhz = LTE_MHZ[band];
  return mhz !== undefined && Number(mhz.split("/")[0]) < 1000;
}

/** Whether `band` is a valid band number of `technology`. */
export function isValidBand(technology: Technology, band: number): boolean {
  if (!Number.isInteger(band)) {
    return false;
  }
  if (technology === "gsm") {
    return (GSM_BANDS as readonly number[]).includes(band);
  }
  const { min, max } = BAND_LIMITS[technology];
  return band >= min && band <= max;
}

/** The UMTS band a frequency names (1900 -> 2), or null for a frequency UMTS does not use. */
export function umtsBandFromMhz(mhz: number): number | null {
  return UMTS_BY_MHZ[mhz] ?? null;
}

/** A band as people read it: `B12`, `n71`, `UMTS B2 (1900)`, `GSM 1900`, `CDMA BC0 (800)`. */
export function bandLabel(technology: Technology, band: number): string {
  switch (technology) {
    case "lte":
      return `B${band}`;
    case "nr":
      return `n${band}`;
    case "umts": {
      const mhz = UMTS_MHZ[band];
      return mhz === undefined ? `UMTS B${band}` : `UMTS B${band} (${mhz})`;
    }
    case "gsm":
      return `GSM ${band}`;
    case "cdma": {
      const mhz = CDMA_MHZ[band];
      return mhz === undefined ? `CDMA BC${band}` : `CDMA BC${band} (${mhz})`;
    }
  }
}

/** Sorted, without repeats. */
export function normaliseBands(bands: readonly number[]): number[] {
  return [...new Set(bands)].sort((a, b) => a - b);
}

export type BandListParse = { ok: true; bands: number[] | null } | { ok: false; message: string };

const RANGE = /^(?:b|band\s*|n)?(\d{1,4})\s*-\s*(?:b|band\s*|n)?(\d{1,4})$/i;
const SINGLE = /^(?:b|band\s*|bc|n)?(\d{1,4})$/i;

/**
 * Reads a band list as spec sheets write it: `1, 3, 5, 7, 8, 38-41`, `B2/B4/B12`, `850 900`.
 * `unknown` or `?` is null (unknown); `none` or `-` is the empty list. For UMTS, frequencies
 * (850, 1900, 2100...) are turned into band numbers; for GSM, `quad` means 850/900/1800/1900.
 */
export function parseBandList(technology: Technology, text: string): BandListParse {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "unknown" || trimmed === "?") {
    return { ok: true, bands: null };
  }
  if (trimmed === "" || trimmed === "none" || trimmed === "-") {
    return { ok: true, bands: [] };
  }
  if (technology === "gsm" && /^quad(?:[\s-]*band)?$/.test(trimmed)) {
    return { ok: true, bands: [...GSM_QUAD_BAND] };
  }
  const bands: number[] = [];
  for (const part of trimmed.split(/[\s,;/]+/).filter((p) => p !== "")) {
    const range = RANGE.exec(part);
    if (range !== null) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (technology === "gsm" || to < from || to - from > 64) {
        return { ok: false, message: `"${part}" is not a band range` };
      }
      for (let band = from; band <= to; band++) {
        bands.push(band);
      }
      continue;
    }
    const single = SINGLE.exec(part);
    if (single === null) {
      return { ok: false, message: `"${part}" is not a band` };
    }
    let band = Number(single[1]);
    if (technology === "umts" && band >= 700) {
      const fromMhz = umtsBandFromMhz(band);
      if (fromMhz === null) {
        return { ok: false, message: `${band} MHz is not a UMTS band` };
      }
      band = fromMhz;
    }
    bands.push(band);
  }
  const invalid = bands.find((band) => !isValidBand(technology, band));
  if (invalid !== undefined) {
    return { ok: false, message: `${invalid} is not a ${technology.toUpperCase()} band` };
  }
  return { ok: true, bands: normaliseBands(bands) };
}

/** Writes a band list back compactly: `1, 3, 5, 7, 8, 38-41`; `unknown` for null. */
export function formatBandList(bands: readonly number[] | null): string {
  if (bands === null) {
    return "unknown";
  }
  if (bands.length === 0) {
    return "none";
  }
  const sorted = normaliseBands(bands);
  const parts: string[] = [];
  let start = sorted[0];
  let end = start;
  const flush = () => {
    parts.push(
      end - start >= 2 ? `${start}-${end}` : end === start ? `${start}` : `${start}, ${end}`,
    );
  };
  for (const band of sorted.slice(1)) {
    if (band === end + 1) {
      end = band;
      continue;
    }
    flush();
    start = band;
    end = band;
  }
  flush();
  return parts.join(", ");
}
