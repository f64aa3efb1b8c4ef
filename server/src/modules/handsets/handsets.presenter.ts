import type { HandsetDto } from "../../../../shared/contracts/http/tickets";
import { decideWarranty } from "../../../../shared/domain/warranty";
import type { WarrantyDecision } from "../../../../shared/domain/warranty";
import type { Handset } from "./handset.entity";

/** The first IMEI of a handset (slot 1 first), or null. */
export function primaryImei(handset: Handset): string | null {
  const imeis = (handset.identifiers ?? [])
    .filter((identifier) => identifier.kind === "imei")
    .sort((a, b) => (a.slot ?? 99) - (b.slot ?? 99));
  return imeis[0]?.value ?? null;
}

/** The warranty decision for a handset on `today` (YYYY-MM-DD). */
export function warrantyOf(handset: Handset, today: string): WarrantyDecision {
  return decideWarranty(handset, today);
}

export function presentHandset(handset: Handset, today: string): HandsetDto {
  return {
    id: handset.id,
    customerId: handset.customerId,
    brand: handset.brand,
    model: handset.model,
    purchaseDate: handset.purchaseDate,
    romRegion: handset.romRegion ?? null,
    warrantySource: handset.warrantySource,
    warrantyStart: handset.warrantyStart,
    warrantyEnd: handset.warrantyEnd,
    doaDeadline: handset.doaDeadline,
    voidReason: handset.voidReason,
    variantId: handset.variantId ?? null,
    batchId: handset.batchId ?? null,
    identifiers: (handset.identifiers ?? []).map((identifier) => ({
      kind: identifier.kind,
      value: identifier.value,
      slot: identifier.slot,
      source: identifier.source,
      softwareVersion: identifier.softwareVersion,
    })),
    warranty: warrantyOf(handset, today),
    createdAt: handset.createdAt.toISOString(),
    updatedAt: handset.updatedAt.toISOString(),
  };
}
