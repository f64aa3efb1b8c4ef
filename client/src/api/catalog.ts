import type {
  AuditEntryDto,
  BulkCertificationBody,
  BulkCertificationResultDto,
  CarrierDto,
  CertificationDto,
  CreateCarrierBandBody,
  CreateModelBody,
  CreateTacBody,
  CreateVariantBody,
  ModelDetailDto,
  ModelDto,
  TacDto,
  UpdateCarrierBandBody,
  UpdateModelBody,
  UpdateTacBody,
  UpdateVariantBody,
  VariantDto,
} from "../../../shared/contracts/http/catalog";
import { callApi } from "./http";

/** `GET /api/catalog/models?q=`: models whose brand, name or other names contain `q`. */
export async function listModels(q: string, signal?: AbortSignal): Promise<ModelDto[]> {
  const { items } = await callApi("GET /catalog/models", {
    query: { q: q.trim() === "" ? undefined : q.trim() },
    signal,
  });
  return items;
}

/** `GET /api/catalog/models/:id`: a model with its variants and TACs. */
export async function getModel(id: string, signal?: AbortSignal): Promise<ModelDetailDto> {
  const { model } = await callApi("GET /catalog/models/:id", { params: { id }, signal });
  return model;
}

/** `POST /api/catalog/models` (admins). */
export async function createModel(body: CreateModelBody): Promise<ModelDto> {
  const { model } = await callApi("POST /catalog/models", { body });
  return model;
}

/** `PATCH /api/catalog/models/:id` (admins). */
export async function updateModel(id: string, body: UpdateModelBody): Promise<ModelDto> {
  const { model } = await callApi("PATCH /catalog/models/:id", { params: { id }, body });
  return model;
}

/** `GET /api/catalog/variants`: every variant with its model. */
export async function listVariants(signal?: AbortSignal): Promise<VariantDto[]> {
  const { items } = await callApi("GET /catalog/variants", { signal });
  return items;
}

/** `GET /api/catalog/variants/:id/history`: a variant's audit trail (edits, TACs, certification). */
export async function variantHistory(id: string, signal?: AbortSignal): Promise<AuditEntryDto[]> {
  const { items } = await callApi("GET /catalog/variants/:id/history", { params: { id }, signal });
  return items;
}

/** `POST /api/catalog/variants` (admins). */
export async function createVariant(body: CreateVariantBody): Promise<VariantDto> {
  const { variant } = await callApi("POST /catalog/variants", { body });
  return variant;
}

/** `PATCH /api/catalog/variants/:id` (admins). */
export async function updateVariant(id: string, body: UpdateVariantBody): Promise<VariantDto> {
  const { variant } = await callApi("PATCH /catalog/variants/:id", { params: { id }, body });
  return variant;
}

/** `GET /api/catalog/tacs/:tac`: what the catalogue says a TAC is. */
export async function getTac(tac: string, signal?: AbortSignal): Promise<TacDto> {
  const { tac: entry } = await callApi("GET /catalog/tacs/:tac", { params: { tac }, signal });
  return entry;
}

/** `POST /api/catalog/tacs`: record a TAC with where it comes from (agents). */
export async function createTac(body: CreateTacBody): Promise<TacDto> {
  const { tac } = await callApi("POST /catalog/tacs", { body });
  return tac;
}

/** `PATCH /api/catalog/tacs/:tac`: correct the variant a TAC names, with the source (agents). */
export async function updateTac(tac: string, body: UpdateTacBody): Promise<TacDto> {
  const { tac: entry } = await callApi("PATCH /catalog/tacs/:tac", { params: { tac }, body });
  return entry;
}

/** `GET /api/carriers`: carriers with their band profiles. */
export async function listCarriers(signal?: AbortSignal): Promise<CarrierDto[]> {
  const { items } = await callApi("GET /carriers", { signal });
  return items;
}

/** `GET /api/carriers/:id`. */
export async function getCarrier(id: string, signal?: AbortSignal): Promise<CarrierDto> {
  const { carrier } = await callApi("GET /carriers/:id", { params: { id }, signal });
  return carrier;
}

/** `POST /api/carriers/:id/bands` (admins): gives the carrier with its new profile. */
export async function addCarrierBand(id: string, body: CreateCarrierBandBody): Promise<CarrierDto> {
  const { carrier } = await callApi("POST /carriers/:id/bands", { params: { id }, body });
  return carrier;
}

/** `PATCH /api/carriers/:id/bands/:bandId` (admins). */
export async function updateCarrierBand(
  id: string,
  bandId: string,
  body: UpdateCarrierBandBody,
): Promise<CarrierDto> {
  const { carrier } = await callApi("PATCH /carriers/:id/bands/:bandId", {
    params: { id, bandId },
    body,
  });
  return carrier;
}

/** `DELETE /api/carriers/:id/bands/:bandId` (admins). */
export async function deleteCarrierBand(id: string, bandId: string): Promise<void> {
  await callApi("DELETE /carriers/:id/bands/:bandId", { params: { id, bandId } });
}

/** `GET /api/carriers/:id/certifications`: each variant's record with this carrier. */
export async function carrierCertifications(
  id: string,
  signal?: AbortSignal,
): Promise<CertificationDto[]> {
  const { items } = await callApi("GET /carriers/:id/certifications", {
    params: { id },
    signal,
  });
  return items;
}

/** `POST /api/carriers/:id/certifications/bulk` (admins); `dryRun` only counts. */
export function bulkCertification(
  id: string,
  body: BulkCertificationBody,
): Promise<BulkCertificationResultDto> {
  return callApi("POST /carriers/:id/certifications/bulk", { params: { id }, body });
}
