import type { EntityManager } from "typeorm";
import type { CertificationDto } from "../../../../shared/contracts/http/catalog";
import { SETTING_KEYS } from "../../../../shared/domain/catalog";
import { decideVerdict } from "../../../../shared/domain/verdict";
import type {
  NetworkVerdict,
  VerdictCarrier,
  VerdictCertification,
  VerdictVariant,
} from "../../../../shared/domain/verdict";
import type { DeviceVariant } from "../catalog/device-variant.entity";
import { findVariantWithModel } from "../catalog/catalog.repository";
import type { CatalogVerdicts } from "../catalog/ports";
import { Setting } from "../settings/setting.entity";
import { Carrier } from "./carrier.entity";
import { CarrierBand } from "./carrier-band.entity";
import { presentCertification } from "./carriers.presenter";
import { Certification } from "./certification.entity";

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
    nr: variant.nrBands,
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

/** A variant's certifications with every carrier, by carrier name. */
export async function certificationsOf(
  em: EntityManager,
  variantId: string,
): Promise<CertificationDto[]> {
  const rows = await em
    .getRepository(Certification)
    .find({ where: { variantId }, relations: { carrier: true } });
  return rows.map(presentCertification).sort((a, b) => a.carrierName.localeCompare(b.carrierName));
}

/** The catalogue's view of carriers (see catalog/ports.ts), as carriers implement it. */
export const catalogVerdicts: CatalogVerdicts = { verdictsFor, deskVerdict, certificationsOf };
