import type { CertificationDto } from "../../../../shared/contracts/http/catalog";
import type { Certification } from "./certification.entity";

/** A certification; needs its carrier loaded. */
export function presentCertification(row: Certification): CertificationDto {
  return {
    variantId: row.variantId,
    carrierId: row.carrierId,
    carrierName: row.carrier?.name ?? "",
    status: row.status,
    volte: row.volte,
    wifiCalling: row.wifiCalling,
    reference: row.reference,
    statusDate: row.statusDate,
    updatedAt: row.updatedAt.toISOString(),
  };
}
