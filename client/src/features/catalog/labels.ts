import type { VariantDto } from "../../../../shared/contracts/http/catalog";
import { TECHNOLOGIES, bandLabel } from "../../../../shared/domain/bands";
import type { BandConfidence, Technology, VolteCapability } from "../../../../shared/domain/bands";
import {
  CALLING_STATUS_LABELS,
  CERTIFICATION_STATUS_LABELS,
} from "../../../../shared/domain/catalog";
import type {
  CallingStatus,
  CertificationStatus,
  TacSource,
} from "../../../../shared/domain/catalog";

/** Where a TAC entry comes from, as agents read it. */
export const TAC_SOURCE_LABELS: Record<TacSource, string> = {
  osmocom: "Osmocom TAC database",
  agent_observed: "Seen by an agent (box, Settings)",
  distributor_sheet: "Distributor's sheet",
};

export const VOLTE_CAPABILITY_LABELS: Record<VolteCapability, string> = {
  yes: "Capable",
  no: "Not capable",
  unknown: "Unknown",
};

export const CONFIDENCE_LABELS: Record<BandConfidence, string> = {
  high: "High",
  medium: "Medium",
  low: "Low",
};

/** Names of the technologies the console knows well; any other is shown by its code. */
const TECHNOLOGY_NAMES: Partial<Record<string, string>> = {
  lte: "LTE (4G)",
  umts: "UMTS (3G)",
  gsm: "GSM (2G)",
  cdma: "CDMA",
  nr: "5G NR",
};

/** "LTE (4G)"; a technology added later reads as its code in capitals. */
export function technologyLabel(technology: string): string {
  return TECHNOLOGY_NAMES[technology] ?? technology.toUpperCase();
}

/** "primary", "low band", "supplementary": a band role in words (from its code). */
export function roleLabel(role: string): string {
  const words = role.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A band in words ("B12", "GSM 1900"); a technology the label rules do not know yet, "n71". */
export function bandText(technology: Technology, band: number): string {
  // bandLabel covers the technologies of its day; a newer one (5G NR) reads as n<band>.
  const label = (bandLabel as (t: Technology, b: number) => string | undefined)(technology, band);
  return label ?? `n${band}`;
}

export function certificationStatusLabel(status: CertificationStatus | null): string {
  return status === null ? "No record" : capitalise(CERTIFICATION_STATUS_LABELS[status]);
}

export function callingLabel(status: CallingStatus | null): string {
  return status === null ? "—" : capitalise(CALLING_STATUS_LABELS[status]);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The band list of one technology as the API gives it (`lteBands`, `umtsBands`, ...): one field
 * per technology of TECHNOLOGIES, so a technology added there shows here without a change. Null
 * when unknown (or when the API has no list for it).
 */
export function bandsOf(variant: VariantDto, technology: Technology): readonly number[] | null {
  const value = (variant as unknown as Record<string, unknown>)[`${technology}Bands`];
  return Array.isArray(value) ? (value as number[]) : null;
}

/** The technologies a variant's band lists are shown for. */
export const BAND_TECHNOLOGIES: readonly Technology[] = TECHNOLOGIES;

/** "Xiaomi Redmi Note 3 · Snapdragon (kenzo)". */
export function variantTitle(variant: { brand: string; model: string; name: string }): string {
  return `${variant.brand} ${variant.model} · ${variant.name}`;
}
