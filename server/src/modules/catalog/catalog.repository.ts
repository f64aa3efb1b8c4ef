import type { EntityManager } from "typeorm";
import type { TacSource } from "../../../../shared/domain/catalog";
import { DeviceModel } from "./device-model.entity";
import { DeviceVariant } from "./device-variant.entity";
import { dialectOf } from "../../db/dialect";

/** A variant with its model loaded, or null. */
export function findVariantWithModel(em: EntityManager, id: string): Promise<DeviceVariant | null> {
  return em.getRepository(DeviceVariant).findOne({ where: { id }, relations: { model: true } });
}

/** What the catalogue says a TAC is. */
export interface ResolvedTac {
  tac: string;
  modelId: string;
  brand: string;
  model: string;
  aka: string[];
  source: TacSource;
  /** The variant, when known: the entry names it, or the model has only this one. */
  variant: { id: string; name: string; knownBy: "tac_entry" | "only_variant" } | null;
}

/**
 * The model (and, when it can be known, the variant) a TAC names. A TAC names a model, not a
 * variant: the variant is known only when the entry names it or the model has a single one.
 */
export async function resolveTac(em: EntityManager, tac: string): Promise<ResolvedTac | null> {
  // One query, as every ticket with an IMEI asks: the entry, its model, the variant it names,
  // and whether the model has exactly one variant (the first two variants, counted).
  const rows = await em.query<
    {
      modelId: string;
      source: TacSource;
      brand: string;
      model: string;
      aka: unknown;
      variantId: string | null;
      variantName: string | null;
      variants: number | string;
      onlyId: string | null;
      onlyName: string | null;
    }[]
  >(
    dialectOf(em).placeholders(
      `SELECT t."modelId", t."source", m."brand", m."name" AS "model", m."aka",
         v."id" AS "variantId", v."name" AS "variantName",
         (SELECT COUNT(*) FROM (SELECT 1 FROM "device_variants" c
            WHERE c."modelId" = t."modelId" LIMIT 2) AS "firstTwo") AS "variants",
         o."id" AS "onlyId", o."name" AS "onlyName"
       FROM "tac_entries" t
       JOIN "device_models" m ON m."id" = t."modelId"
       LEFT JOIN "device_variants" v ON v."id" = t."variantId"
       LEFT JOIN "device_variants" o ON o."id" =
         (SELECT MIN(f."id") FROM "device_variants" f WHERE f."modelId" = t."modelId")
       WHERE t."tac" = ?`,
    ),
    [tac],
  );
  const entry = rows[0];
  if (entry === undefined) {
    return null;
  }
  let variant: ResolvedTac["variant"] = null;
  if (entry.variantId !== null && entry.variantName !== null) {
    variant = { id: entry.variantId, name: entry.variantName, knownBy: "tac_entry" };
  } else if (Number(entry.variants) === 1 && entry.onlyId !== null && entry.onlyName !== null) {
    variant = { id: entry.onlyId, name: entry.onlyName, knownBy: "only_variant" };
  }
  const akaColumn = em.connection.getMetadata(DeviceModel).findColumnWithPropertyName("aka");
  return {
    tac,
    modelId: entry.modelId,
    brand: entry.brand,
    model: entry.model,
    aka: (akaColumn
      ? em.connection.driver.prepareHydratedValue(entry.aka, akaColumn)
      : entry.aka) as string[],
    source: entry.source,
    variant,
  };
}

/** A model by brand and name (case-insensitive), or null. */
export async function findModelByName(
  em: EntityManager,
  brand: string,
  name: string,
): Promise<DeviceModel | null> {
  return em
    .getRepository(DeviceModel)
    .createQueryBuilder("m")
    .where("LOWER(m.brand) = LOWER(:brand) AND LOWER(m.name) = LOWER(:name)", { brand, name })
    .getOne();
}
