import {
  PortalRmaResponse,
  RmaListResponse,
  RmaResponse,
} from "../../../../shared/contracts/http/rma";
import type { RequestHandler } from "express";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { PortalTokenParams } from "../../../../shared/contracts/http/portal";
import {
  OpenRmaRequest,
  PortalQuoteDecisionRequest,
  RmaLegInput,
  RmaLegParams,
  RmaParams,
  RmaTransitionRequest,
  UpdateRmaRequest,
} from "../../../../shared/contracts/http/rma";
import type { ApiRouter } from "../../http/api-router";
import type { RmaService } from "./rma.service";

/** RMA cases on tickets, for agents; and the customer's answer to a quote, by ticket link. */
export function registerRmaRoutes(
  api: ApiRouter,
  rmas: RmaService,
  linkLimit: RequestHandler[],
): void {
  api.add({
    method: "get",
    path: "/tickets/:id/rmas",
    summary: "A ticket's RMAs (returns), newest first, with legs, history and allowed next states",
    access: "agent",
    response: RmaListResponse,
    notFound: "Ticket",
    params: IdParams,
    handler: async ({ params }) => ({ rmas: await rmas.listForTicket(params.id) }),
  });

  api.add({
    method: "post",
    path: "/tickets/:id/rmas",
    status: 201,
    summary: "Open an RMA on the ticket's handset (the warranty decision limits the type)",
    access: "agent",
    response: RmaResponse,
    notFound: "Ticket",
    params: IdParams,
    body: OpenRmaRequest,
    handler: async ({ params, body, user }) => ({ rma: await rmas.open(user, params.id, body) }),
  });

  api.add({
    method: "get",
    path: "/rmas/:rmaId",
    summary: "One RMA",
    access: "agent",
    response: RmaResponse,
    notFound: "RMA",
    params: RmaParams,
    handler: async ({ params }) => ({ rma: await rmas.get(params.rmaId) }),
  });

  api.add({
    method: "post",
    path: "/rmas/:rmaId/transitions",
    summary: "Move an RMA to its next state (409 with the allowed next states otherwise)",
    access: "agent",
    response: RmaResponse,
    notFound: "RMA",
    params: RmaParams,
    body: RmaTransitionRequest,
    handler: async ({ params, body, user }) => ({
      rma: await rmas.transition(user, params.rmaId, body),
    }),
  });

  api.add({
    method: "patch",
    path: "/rmas/:rmaId",
    summary: "Change an RMA's distributor reference, diagnosis, outcome or costs",
    access: "agent",
    response: RmaResponse,
    notFound: "RMA",
    params: RmaParams,
    body: UpdateRmaRequest,
    handler: async ({ params, body, user }) => ({
      rma: await rmas.update(user, params.rmaId, body),
    }),
  });

  api.add({
    method: "put",
    path: "/rmas/:rmaId/legs/:kind",
    summary: "Record a leg's courier and tracking number",
    access: "agent",
    response: RmaResponse,
    notFound: "RMA",
    params: RmaLegParams,
    body: RmaLegInput,
    handler: async ({ params, body, user }) => ({
      rma: await rmas.setLeg(user, params.rmaId, params.kind, body),
    }),
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/rma/quote",
    summary: "The customer accepts or declines the repair quote on their ticket page",
    access: "link",
    response: PortalRmaResponse,
    before: linkLimit,
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalQuoteDecisionRequest,
    handler: async ({ params, body }) => ({
      rma: await rmas.decideQuote(params.token, body.decision),
    }),
  });
}
