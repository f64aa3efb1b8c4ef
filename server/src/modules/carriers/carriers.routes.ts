import {
  BulkCertificationResultDto,
  CarrierListResponse,
  CarrierResponse,
  CertificationListResponse,
  CertificationResponse,
  SettingsResponse,
} from "../../../../shared/contracts/http/catalog";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import {
  BulkCertificationRequest,
  CarrierBandParams,
  CreateCarrierBandRequest,
  CreateCarrierRequest,
  PutCertificationRequest,
  UpdateCarrierBandRequest,
  UpdateCarrierRequest,
  UpdateSettingsRequest,
  VariantCarrierParams,
} from "../../../../shared/contracts/http/catalog";
import { NoContent } from "../../http/api-router";
import type { ApiRouter } from "../../http/api-router";
import type { CarriersService } from "./carriers.service";

/** Carriers and their band profiles, certification, and the desk's settings. */
export function registerCarrierRoutes(api: ApiRouter, carriers: CarriersService): void {
  api.add({
    method: "get",
    path: "/carriers",
    summary: "Carriers with their dated band profiles (the desk's carrier marked)",
    access: "agent",
    response: CarrierListResponse,
    handler: async () => ({ items: await carriers.list() }),
  });

  api.add({
    method: "post",
    path: "/carriers",
    status: 201,
    summary: "Add a carrier",
    access: "admin",
    response: CarrierResponse,
    body: CreateCarrierRequest,
    handler: async ({ body, user }) => ({ carrier: await carriers.create(user, body) }),
  });

  api.add({
    method: "get",
    path: "/carriers/:id",
    summary: "A carrier with its band profile",
    access: "agent",
    response: CarrierResponse,
    notFound: "Carrier",
    params: IdParams,
    handler: async ({ params }) => ({ carrier: await carriers.get(params.id) }),
  });

  api.add({
    method: "patch",
    path: "/carriers/:id",
    summary: "Change a carrier's name or notes (audited)",
    access: "admin",
    response: CarrierResponse,
    notFound: "Carrier",
    params: IdParams,
    body: UpdateCarrierRequest,
    handler: async ({ params, body, user }) => ({
      carrier: await carriers.update(user, params.id, body),
    }),
  });

  api.add({
    method: "post",
    path: "/carriers/:id/bands",
    status: 201,
    summary: "Add a dated band row to a carrier's profile (audited)",
    access: "admin",
    response: CarrierResponse,
    notFound: "Carrier",
    params: IdParams,
    body: CreateCarrierBandRequest,
    handler: async ({ params, body, user }) => ({
      carrier: await carriers.addBand(user, params.id, body),
    }),
  });

  api.add({
    method: "patch",
    path: "/carriers/:id/bands/:bandId",
    summary: "Change a band row: dates (a retirement), role, the VoLTE rule (audited)",
    access: "admin",
    response: CarrierResponse,
    notFound: "Band",
    params: CarrierBandParams,
    body: UpdateCarrierBandRequest,
    handler: async ({ params, body, user }) => ({
      carrier: await carriers.updateBand(user, params.id, params.bandId, body),
    }),
  });

  api.add({
    method: "delete",
    path: "/carriers/:id/bands/:bandId",
    status: 204,
    summary: "Remove a band row entered by mistake (audited; retire a band with untilDate)",
    access: "admin",
    response: NoContent,
    notFound: "Band",
    params: CarrierBandParams,
    handler: ({ params, user }) => carriers.deleteBand(user, params.id, params.bandId),
  });

  api.add({
    method: "get",
    path: "/carriers/:id/certifications",
    summary: "Where each variant stands with this carrier's certification",
    access: "agent",
    response: CertificationListResponse,
    notFound: "Carrier",
    params: IdParams,
    handler: async ({ params }) => ({ items: await carriers.certificationsOf(params.id) }),
  });

  api.add({
    method: "post",
    path: "/carriers/:id/certifications/bulk",
    summary:
      "Set the certification of many variants with this carrier in one step (audited; one note, and optionally one public update, per open ticket reached)",
    access: "admin",
    response: BulkCertificationResultDto,
    notFound: "Carrier",
    params: IdParams,
    body: BulkCertificationRequest,
    handler: ({ params, body, user }) => carriers.bulkCertification(user, params.id, body),
  });

  api.add({
    method: "put",
    path: "/catalog/variants/:id/certifications/:carrierId",
    summary: "Record a variant's certification with a carrier (audited; noted on open tickets)",
    access: "admin",
    response: CertificationResponse,
    notFound: "Variant",
    params: VariantCarrierParams,
    body: PutCertificationRequest,
    handler: async ({ params, body, user }) => ({
      certification: await carriers.putCertification(user, params.id, params.carrierId, body),
    }),
  });

  api.add({
    method: "get",
    path: "/settings",
    summary: "The desk's settings (the carrier it sells on)",
    access: "agent",
    response: SettingsResponse,
    handler: async () => ({ settings: await carriers.settings() }),
  });

  api.add({
    method: "patch",
    path: "/settings",
    summary: "Change the desk's settings (audited)",
    access: "admin",
    response: SettingsResponse,
    body: UpdateSettingsRequest,
    handler: async ({ body, user }) => ({ settings: await carriers.updateSettings(user, body) }),
  });
}
