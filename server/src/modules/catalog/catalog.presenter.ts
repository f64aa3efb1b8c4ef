import type {
  AuditEntryDto,
  ModelDto,
  TacDto,
  VariantDto,
} from "../../../../shared/contracts/http/catalog";
import type { CatalogAudit } from "./catalog-audit.entity";
import type { DeviceModel } from "./device-model.entity";
import type { DeviceVariant } from "./device-variant.entity";
import type { TacEntry } from "./tac-entry.entity";

export function presentModel(
  model: DeviceModel,
  counts: { variants: number; tacs: number },
): ModelDto {
  return {
    id: model.id,
    brand: model.brand,
    name: model.name,
    aka: model.aka,
    variantCount: counts.variants,
    tacCount: counts.tacs,
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  };
}

/** A variant; needs its model (passed or loaded). */
export function presentVariant(variant: DeviceVariant, model = variant.model): VariantDto {
  if (!model) {
    throw new Error("presentVariant needs the model");
  }
  return {
    id: variant.id,
    modelId: variant.modelId,
    brand: model.brand,
    model: model.name,
    name: variant.name,
    region: variant.region,
    operatorSku: variant.operatorSku,
    lteBands: variant.lteBands,
    umtsBands: variant.umtsBands,
    gsmBands: variant.gsmBands,
    cdmaBands: variant.cdmaBands,
    nrBands: variant.nrBands,
    volteCapable: variant.volteCapable,
    bandSource: variant.bandSource,
    bandConfidence: variant.bandConfidence,
    notes: variant.notes,
    howToTell: variant.howToTell,
    createdAt: variant.createdAt.toISOString(),
    updatedAt: variant.updatedAt.toISOString(),
  };
}

/** A TAC entry; needs its model (and variant, when it names one) loaded. */
export function presentTac(entry: TacEntry): TacDto {
  return {
    tac: entry.tac,
    modelId: entry.modelId,
    brand: entry.model?.brand ?? "",
    model: entry.model?.name ?? "",
    variantId: entry.variantId,
    variantName: entry.variant?.name ?? null,
    source: entry.source,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}

export function presentAudit(entry: CatalogAudit): AuditEntryDto {
  return {
    id: entry.id,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    action: entry.action,
    actor: { id: entry.actorId, name: entry.actorName },
    changes: entry.changes,
    createdAt: entry.createdAt.toISOString(),
  };
}
