import {
  AffectedQuery,
  BulkMessageRequest,
  CreateModelRequest,
  CreateTacRequest,
  CreateVariantRequest,
  ListModelsQuery,
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
 * The device catalogue: agents read it (and who a variant affects, and tell them all at once);
 * admins change it.
 */
export function registerCatalogRoutes(api: ApiRouter, catalog: CatalogService): void {
  api.add({
    method: "get",
    path: "/catalog/models",
    summary: "Device models (search brand, model and other names with q)",
    access: "agent",
    query: ListModelsQuery,
    handler: async ({ query }, _req, res) => {
      res.json({ items: await catalog.listModels(query.q) });
    },
  });

  api.add({
    method: "post",
    path: "/catalog/models",
    status: 201,
    summary: "Add a device model",
    access: "admin",
    body: CreateModelRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ model: await catalog.createModel(req.user!, body) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/models/:id",
    summary: "A model with its variants and TACs",
    access: "agent",
    notFound: "Model",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json({ model: await catalog.getModel(params.id) });
    },
  });

  api.add({
    method: "patch",
    path: "/catalog/models/:id",
    summary: "Change a model's brand, name or other names (audited)",
    access: "admin",
    notFound: "Model",
    params: IdParams,
    body: UpdateModelRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ model: await catalog.updateModel(req.user!, params.id, body) });
    },
  });

  api.add({
    method: "post",
    path: "/catalog/variants",
    status: 201,
    summary: "Add a variant with its bands and where they come from",
    access: "admin",
    body: CreateVariantRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ variant: await catalog.createVariant(req.user!, body) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id",
    summary: "A variant with its TACs, certifications and today's verdict on every carrier",
    access: "agent",
    notFound: "Variant",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json({ variant: await catalog.getVariant(params.id) });
    },
  });

  api.add({
    method: "patch",
    path: "/catalog/variants/:id",
    summary: "Change a variant (bands, VoLTE, source and confidence; audited)",
    access: "admin",
    notFound: "Variant",
    params: IdParams,
    body: UpdateVariantRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ variant: await catalog.updateVariant(req.user!, params.id, body) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/verdicts",
    summary: "The network verdict of a variant on a date (every carrier, or carrierId)",
    access: "agent",
    notFound: "Variant",
    params: IdParams,
    query: VerdictQuery,
    handler: async ({ params, query }, _req, res) => {
      const date = query.date ?? catalog.today();
      res.json({ date, items: await catalog.verdicts(params.id, date, query.carrierId) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/history",
    summary: "The audit trail of a variant: its edits, TACs and certifications",
    access: "agent",
    notFound: "Variant",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json({ items: await catalog.history(params.id) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/variants/:id/affected",
    summary: "The open tickets and the customers' handsets of a variant",
    access: "agent",
    notFound: "Variant",
    params: IdParams,
    query: AffectedQuery,
    handler: async ({ params, query }, _req, res) => {
      res.json(await catalog.affected(params.id, query.limit));
    },
  });

  api.add({
    method: "post",
    path: "/catalog/variants/:id/affected/messages",
    status: 201,
    summary: "Post one public update to every open ticket of a variant (each on its own ticket)",
    access: "agent",
    notFound: "Variant",
    params: IdParams,
    body: BulkMessageRequest,
    handler: async ({ params, body }, req, res) => {
      const result = await catalog.bulkMessage(req.user!, params.id, body);
      res.status(result.repeated ? 200 : 201).json(result);
    },
  });

  api.add({
    method: "get",
    path: "/tickets/:id/network",
    summary: "A ticket's network verdict: as it was when opened, and as it is now",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json(await catalog.ticketNetwork(params.id));
    },
  });

  api.add({
    method: "post",
    path: "/catalog/tacs",
    status: 201,
    summary: "Record a TAC: the model (and variant) it names, and the source",
    access: "admin",
    body: CreateTacRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ tac: await catalog.createTac(req.user!, body) });
    },
  });

  api.add({
    method: "get",
    path: "/catalog/tacs/:tac",
    summary: "What the catalogue says a TAC is",
    access: "agent",
    notFound: "TAC",
    params: TacParams,
    handler: async ({ params }, _req, res) => {
      res.json({ tac: await catalog.getTac(params.tac) });
    },
  });

  api.add({
    method: "patch",
    path: "/catalog/tacs/:tac",
    summary: "Correct the model or variant a TAC names, with the source (audited)",
    access: "admin",
    notFound: "TAC",
    params: TacParams,
    body: UpdateTacRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ tac: await catalog.updateTac(req.user!, params.tac, body) });
    },
  });
}
