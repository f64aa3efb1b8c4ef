import type { EntityManager } from "typeorm";
import { SETTING_KEYS } from "../../../../shared/domain/catalog";
import type { TacSource } from "../../../../shared/domain/catalog";
import { decideVerdict } from "../../../../shared/domain/verdict";
import type {
  NetworkVerdict,
  VerdictCarrier,
  VerdictCertification,
  VerdictVariant,
} from "../../../../shared/domain/verdict";
import { Carrier } from "../carriers/carrier.entity";
import { CarrierBand } from "../carriers/carrier-band.entity";
import { Certification } from "../carriers/certification.entity";
import { Setting } from "../settings/setting.entity";
import { DeviceModel } from "./device-model.entity";
import { DeviceVariant } from "./device-variant.entity";
import { dialectOf } from "../../db/dialect";

/** The code of the carrier a desk sells on when no setting names one. */
export const DEFAULT_DESK_CARRIER_CODE = "tmobile_us";

/**
 * The id of the carrier the desk sells on: the setting, or T-Mobile US when the setting is
 * missing or names a carrier that no longer exists; null only when there are no carriers.
 */
export async function deskCarrierId(em: EntityManager): Promise<string | null> {
  const setting = await em.getRepository(Setting).findOneBy({ key: SETTING_KEYS.deskCarrier });
  if (setting !== null && (await em.getRepository(Carrier).existsBy({ id: setting.value }))) {
    return setting.value;
  }
  const fallback = await em.getRepository(Carrier).findOne({
    where: { code: DEFAULT_DESK_CARRIER_CODE },
    select: { id: true },
  });
  return fallback?.id ?? null;
}

/** A carrier with its whole band profile, in the verdict's terms. */
export function toVerdictCarrier(carrier: Carrier, bands: CarrierBand[]): VerdictCarrier {
  return {
    id: carrier.id,
    code: carrier.code,
    name: carrier.name,
    bands: bands.map((row) => ({
      technology: row.technology,
      band: row.band,
      role: row.role,
      from: row.fromDate,
      until: row.untilDate,
      requiresVolte: row.requiresVolte,
    })),
  };
}

/** Carriers (all, or the ones named) with their band profiles. */
export async function loadCarriers(em: EntityManager, ids?: string[]): Promise<VerdictCarrier[]> {
  const carriers = await em.getRepository(Carrier).find({ order: { name: "ASC" } });
  const wanted = ids === undefined ? carriers : carriers.filter((c) => ids.includes(c.id));
  if (wanted.length === 0) {
    return [];
  }
  const bands = await em.getRepository(CarrierBand).find({ order: { band: "ASC" } });
  return wanted.map((carrier) =>
    toVerdictCarrier(
      carrier,
      bands.filter((row) => row.carrierId === carrier.id),
    ),
  );
}

/** A variant's radio, in the verdict's terms. */
export function toVerdictVariant(variant: DeviceVariant): VerdictVariant {
  return {
    lte: variant.lteBands,
    umts: variant.umtsBands,
    gsm: variant.gsmBands,
    cdma: variant.cdmaBands,
    volteCapable: variant.volteCapable,
    bandSource: variant.bandSource,
    bandConfidence: variant.bandConfidence,
  };
}

export function toVerdictCertification(row: Certification | null): VerdictCertification | null {
  return row === null
    ? null
    : {
        status: row.status,
        volte: row.volte,
        wifiCalling: row.wifiCalling,
        reference: row.reference,
        date: row.statusDate,
      };
}

/** A variant with its model loaded, or null. */
export function findVariantWithModel(em: EntityManager, id: string): Promise<DeviceVariant | null> {
  return em.getRepository(DeviceVariant).findOne({ where: { id }, relations: { model: true } });
}

/**
 * The verdicts of one variant on `date`: on the carriers named, or on every carrier (the
 * desk's first). Null when the variant does not exist.
 */
export async function verdictsFor(
  em: EntityManager,
  variantId: string,
  date: string,
  carrierIds?: string[],
): Promise<NetworkVerdict[] | null> {
  const variant = await findVariantWithModel(em, variantId);
  if (variant === null) {
    return null;
  }
  const carriers = await loadCarriers(em, carrierIds);
  const desk = await deskCarrierId(em);
  carriers.sort((a, b) => Number(b.id === desk) - Number(a.id === desk));
  const certifications = await em.getRepository(Certification).findBy({ variantId });
  return carriers.map((carrier) =>
    presentVerdict(
      variant,
      carrier,
      certifications.find((c) => c.carrierId === carrier.id) ?? null,
      date,
    ),
  );
}

/** The verdict of one variant on the desk's carrier on `date`; null if either is missing. */
export async function deskVerdict(
  em: EntityManager,
  variantId: string | null,
  date: string,
): Promise<NetworkVerdict | null> {
  if (variantId === null) {
    return null;
  }
  const desk = await deskCarrierId(em);
  if (desk === null) {
    return null;
  }
  const verdicts = await verdictsFor(em, variantId, date, [desk]);
  return verdicts?.[0] ?? null;
}

function presentVerdict(
  variant: DeviceVariant,
  carrier: VerdictCarrier,
  certification: Certification | null,
  date: string,
): NetworkVerdict {
  return {
    ...decideVerdict(
      toVerdictVariant(variant),
      carrier,
      toVerdictCertification(certification),
      date,
    ),
    variant: {
      id: variant.id,
      name: variant.name,
      brand: variant.model?.brand ?? "",
      model: variant.model?.name ?? "",
    },
  };
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
