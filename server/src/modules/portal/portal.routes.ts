import type { RequestHandler } from "express";
import {
  PortalCreateTicketRequest,
  PortalMessageRequest,
  PortalTokenParams,
} from "../../../../shared/contracts/http/portal";
import type { PortalCreateTicketResponse } from "../../../../shared/contracts/http/portal";
import type { ApiRouter } from "../../http/api-router";
import type { PortalService } from "./portal.service";

export interface PortalLimits {
  /** New tickets per client IP per hour (none when the limit is off). */
  create: RequestHandler[];
  /** Requests that name a link token: slows down guessing. */
  link: RequestHandler[];
}

/** The customer portal's API: open a ticket, read it and reply through its secret link. */
export function registerPortalRoutes(
  api: ApiRouter,
  portal: PortalService,
  limits: PortalLimits,
): void {
  api.add({
    method: "post",
    path: "/portal/tickets",
    status: 201,
    summary: "Open a ticket about a handset (no account needed)",
    access: "public",
    before: limits.create,
    body: PortalCreateTicketRequest,
    handler: async ({ body }, req, res) => {
      const { ticket, token } = await portal.openTicket(body);
      const answer: PortalCreateTicketResponse = {
        ticket,
        accessUrl: `${req.protocol}://${req.get("host") ?? "localhost"}/portal/t/${token}`,
      };
      res.status(201).json(answer);
    },
  });

  api.add({
    method: "get",
    path: "/portal/tickets/:token",
    summary: "A ticket as its customer sees it: public messages, handset, warranty decision",
    access: "link",
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    handler: async ({ params }, _req, res) => {
      res.json(await portal.view(params.token));
    },
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/messages",
    status: 201,
    summary: "The customer replies on their ticket",
    access: "link",
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalMessageRequest,
    handler: async ({ params, body }, _req, res) => {
      const message = await portal.reply(params.token, body.body);
      res.status(201).json({ message });
    },
  });
}
