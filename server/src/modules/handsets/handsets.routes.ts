import {
  HandsetDetailResponse,
  HandsetListResponse,
  HandsetResponse,
} from "../../../../shared/contracts/http/tickets";
import {
  FindHandsetsQuery,
  IdParams,
  UpdateHandsetRequest,
} from "../../../../shared/contracts/http/agent-tickets";
import type { ApiRouter } from "../../http/api-router";
import type { HandsetsService } from "./handsets.service";

/** The agents' handset API. */
export function registerHandsetRoutes(api: ApiRouter, handsets: HandsetsService): void {
  api.add({
    method: "get",
    path: "/handsets",
    summary: "Find handsets by any identifier (an IMEI however typed, a serial)",
    access: "agent",
    response: HandsetListResponse,
    query: FindHandsetsQuery,
    handler: async ({ query }) => ({ items: await handsets.findByIdentifier(query.identifier) }),
  });

  api.add({
    method: "get",
    path: "/handsets/:id",
    summary: "A handset with its identifiers, warranty decision and tickets",
    access: "agent",
    response: HandsetDetailResponse,
    notFound: "Handset",
    params: IdParams,
    handler: async ({ params }) => ({ handset: await handsets.get(params.id) }),
  });

  api.add({
    method: "patch",
    path: "/handsets/:id",
    summary: "Change warranty source, dates, DOA deadline, void reason, brand/model (audited)",
    access: "agent",
    response: HandsetResponse,
    notFound: "Handset",
    params: IdParams,
    body: UpdateHandsetRequest,
    handler: async ({ params, body, user }) => ({
      handset: await handsets.update(user, params.id, body),
    }),
  });
}
