import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { CreateViewRequest, UpdateViewRequest } from "../../../../shared/contracts/http/views";
import type { ApiRouter } from "../../http/api-router";
import type { ViewsService } from "./views.service";

/** Each agent's saved queue views. */
export function registerViewRoutes(api: ApiRouter, views: ViewsService): void {
  api.add({
    method: "get",
    path: "/views",
    summary: "The caller's saved queue views",
    access: "agent",
    handler: async (_input, req, res) => {
      res.json({ views: await views.list(req.user!) });
    },
  });

  api.add({
    method: "post",
    path: "/views",
    status: 201,
    summary: "Save a queue view (named filters)",
    access: "agent",
    body: CreateViewRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ view: await views.create(req.user!, body) });
    },
  });

  api.add({
    method: "patch",
    path: "/views/:id",
    summary: "Rename, refilter or move one of the caller's views",
    access: "agent",
    notFound: "View",
    params: IdParams,
    body: UpdateViewRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ view: await views.update(req.user!, params.id, body) });
    },
  });

  api.add({
    method: "delete",
    path: "/views/:id",
    status: 204,
    summary: "Delete one of the caller's views",
    access: "agent",
    notFound: "View",
    params: IdParams,
    body: z.object({}).optional(),
    handler: async ({ params }, req, res) => {
      await views.remove(req.user!, params.id);
      res.status(204).end();
    },
  });
}
