import { SavedViewListResponse, SavedViewResponse } from "../../../../shared/contracts/http/views";
import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { CreateViewRequest, UpdateViewRequest } from "../../../../shared/contracts/http/views";
import { NoContent } from "../../http/api-router";
import type { ApiRouter } from "../../http/api-router";
import type { ViewsService } from "./views.service";

/** Each agent's saved queue views. */
export function registerViewRoutes(api: ApiRouter, views: ViewsService): void {
  api.add({
    method: "get",
    path: "/views",
    summary: "The caller's saved queue views",
    access: "agent",
    response: SavedViewListResponse,
    handler: async ({ user }) => ({ views: await views.list(user) }),
  });

  api.add({
    method: "post",
    path: "/views",
    status: 201,
    summary: "Save a queue view (named filters)",
    access: "agent",
    response: SavedViewResponse,
    body: CreateViewRequest,
    handler: async ({ body, user }) => ({ view: await views.create(user, body) }),
  });

  api.add({
    method: "patch",
    path: "/views/:id",
    summary: "Rename, refilter or move one of the caller's views",
    access: "agent",
    response: SavedViewResponse,
    notFound: "View",
    params: IdParams,
    body: UpdateViewRequest,
    handler: async ({ params, body, user }) => ({
      view: await views.update(user, params.id, body),
    }),
  });

  api.add({
    method: "delete",
    path: "/views/:id",
    status: 204,
    summary: "Delete one of the caller's views",
    access: "agent",
    response: NoContent,
    notFound: "View",
    params: IdParams,
    body: z.object({}).optional(),
    handler: ({ params, user }) => views.remove(user, params.id),
  });
}
