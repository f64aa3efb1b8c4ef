import {
  AffectedDto,
  AuditListResponse,
  BulkMessageResultDto,
  ModelDetailResponse,
  ModelListResponse,
  ModelResponse,
  TacResponse,
  VariantDetailResponse,
  VariantListResponse,
  VariantResponse,
  VerdictListResponse,
} from "../../../../shared/contracts/http/catalog";
import {
  AffectedQuery,
  BulkMessageRequest,
  CreateModelRequest,
  CreateTacRequest,
  CreateVariantRequest,
  ListModelsQuery,
  ListVariantsQuery,
  TacParams,
  UpdateModelRequest,
  UpdateTacRequest,
  UpdateVariantRequest,
  VerdictQuery,
} from "../../../../shared/contracts/http/catalog";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import type { ApiRouter } from "../../http/api-router";
import type { CatalogService } from "./catalog.service";

/**
 * The device catalogue: agents read it (and who a variant affects, and tell them all at once),
 * and add or correct TACs as they see them on boxes and sheets (docs/DOMAIN.md); admins manage
 * models and variants.
 */
export function registerCatalogRoutes(api: ApiRouter, catalog: CatalogService): void {
  api.add({
    method: "get",
    path: "/catalog/models",
    summary: "Device models (search brand, model and other names with q)",
    access: "agent",
    response: ModelListResponse,
    query: ListModelsQuery,
    handler: async ({ query }) => ({ items: await catalog.listModels(query.q) }),
  });

  api.add({
    method: "post",
    path: "/catalog/models",
    status: 201,
    summary: "Add a device model",
    access: "admin",
    response: ModelResponse,
    body: CreateModelRequest,
    handler: async ({ body, user }) => ({ model: await catalog.createModel(user, body) }),
  });

  api.add({
    method: "get",
    path: "/catalog/models/:id",
    summary: "A model with its variants and TACs",
    access: "agent",
    response: ModelDetailResponse,
    notFound: "Model",
    params: IdParams,
    handler: async ({ params }) => ({ model: await catalog.getModel(params.id) }),
  });

  api.add({
    method: "patch",
    path: "/catalog/models/:id",
    summary: "Change a model's brand, name or other names (audited)",
    access: "admin",
    response: ModelResponse,
    notFound: "Model",
    params: IdParams,
    body: UpdateModelRequest,
    handler: async ({ params, body, user }) => ({
      model: await catalog.updateModel(user, params.id, body),
    }),
  });

  api.add({
    method: "get",
    path: "/catalog/variants",
    summary: "Every variant with its model (search brand, model, variant, region, SKU with q)",
    access: "agent",
    response: VariantListResponse,
    query: ListVariantsQuery,
    handler: async ({ query }) => ({ items: await catalog.listVariants(query.q) }),
  });

  api.add({
    method: "post",
    path: "/catalog/variants",
    status: 201,
    summary: "Add a variant with its bands and where they come from",
    access: "admin",
    response: VariantResponse,
    body: CreateVariantRequest,
    handler: async ({ body, user }) => ({ variant: await catalog.createVariant(user, body) }),
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id",
    summary: "A variant with its TACs, certifications and today's verdict on every carrier",
    access: "agent",
    response: VariantDetailResponse,
    notFound: "Variant",
    params: IdParams,
    handler: async ({ params }) => ({ variant: await catalog.getVariant(params.id) }),
  });

  api.add({
    method: "patch",
    path: "/catalog/variants/:id",
    summary: "Change a variant (bands, VoLTE, source and confidence; audited)",
    access: "admin",
    response: VariantResponse,
    notFound: "Variant",
    params: IdParams,
    body: UpdateVariantRequest,
    handler: async ({ params, body, user }) => ({
      variant: await catalog.updateVariant(user, params.id, body),
    }),
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/verdicts",
    summary: "The network verdict of a variant on a date (every carrier, or carrierId)",
    access: "agent",
    response: VerdictListResponse,
    notFound: "Variant",
    params: IdParams,
    query: VerdictQuery,
    handler: async ({ params, query }) => {
      const date = query.date ?? catalog.today();
      return { date, items: await catalog.verdicts(params.id, date, query.carrierId) };
    },
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/history",
    summary: "The audit trail of a variant: its edits, TACs and certifications",
    access: "agent",
    response: AuditListResponse,
    notFound: "Variant",
    params: IdParams,
    handler: async ({ params }) => ({ items: await catalog.history(params.id) }),
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/affected",
    summary: "The open tickets and the customers' handsets of a variant",
    access: "agent",
    response: AffectedDto,
    notFound: "Variant",
    params: IdParams,
    query: AffectedQuery,
    handler: ({ params, query }) => catalog.affected(params.id, query.limit),
  });

  api.add({
    method: "post",
    path: "/catalog/variants/:id/affected/messages",
    status: 201,
    summary: "Post one public update to every open ticket of a variant (each on its own ticket)",
    access: "agent",
    response: BulkMessageResultDto,
    notFound: "Variant",
    params: IdParams,
    body: BulkMessageRequest,
    handler: async ({ params, body, user, setStatus }) => {
      const result = await catalog.bulkMessage(user, params.id, body);
      setStatus(result.repeated ? 200 : 201);
      return result;
    },
  });

  api.add({
    method: "post",
    path: "/catalog/tacs",
    status: 201,
    summary: "Record a TAC: the model (and variant) it names, and the source (agents; audited)",
    access: "agent",
    response: TacResponse,
    body: CreateTacRequest,
    handler: async ({ body, user }) => ({ tac: await catalog.createTac(user, body) }),
  });

  api.add({
    method: "get",
    path: "/catalog/tacs/:tac",
    summary: "What the catalogue says a TAC is",
    access: "agent",
    response: TacResponse,
    notFound: "TAC",
    params: TacParams,
    handler: async ({ params }) => ({ tac: await catalog.getTac(params.tac) }),
  });

  api.add({
    method: "patch",
    path: "/catalog/tacs/:tac",
    summary: "Correct the model or variant a TAC names, with the source (agents; audited)",
    access: "agent",
    response: TacResponse,
    notFound: "TAC",
    params: TacParams,
    body: UpdateTacRequest,
    handler: async ({ params, body, user }) => ({
      tac: await catalog.updateTac(user, params.tac, body),
    }),
  });
}
