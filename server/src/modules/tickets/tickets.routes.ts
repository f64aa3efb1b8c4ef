import {
  AgentCreateTicketRequest,
  AgentMessageRequest,
  IdParams,
  ListTicketsQuery,
  UpdateTicketRequest,
} from "../../../../shared/contracts/http/agent-tickets";
import type { ApiRouter } from "../../http/api-router";
import type { TicketsService } from "./tickets.service";

/** The agents' ticket API. */
export function registerTicketRoutes(api: ApiRouter, tickets: TicketsService): void {
  api.add({
    method: "get",
    path: "/tickets",
    summary: "The queue: filter, search and page through tickets",
    access: "agent",
    query: ListTicketsQuery,
    handler: async ({ query }, req, res) => {
      res.json(await tickets.list(req.user!, query));
    },
  });

  api.add({
    method: "post",
    path: "/tickets",
    status: 201,
    summary: "Open a ticket on a customer's behalf",
    access: "agent",
    body: AgentCreateTicketRequest,
    handler: async ({ body }, req, res) => {
      const { ticket, token } = await tickets.create(req.user!, body);
      res.status(201).json({
        ticket,
        accessUrl: `${req.protocol}://${req.get("host") ?? "localhost"}/portal/t/${token}`,
      });
    },
  });

  api.add({
    method: "get",
    path: "/tickets/counts",
    summary: "How many tickets there are in each status",
    access: "agent",
    handler: async (_input, _req, res) => {
      res.json({ counts: await tickets.countByStatus() });
    },
  });

  api.add({
    method: "get",
    path: "/tickets/:id",
    summary: "A ticket with its customer, handset, warranty decision and full history",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json(await tickets.detail(params.id));
    },
  });

  api.add({
    method: "patch",
    path: "/tickets/:id",
    summary: "Change status, priority, category or assignee",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    body: UpdateTicketRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ ticket: await tickets.update(req.user!, params.id, body) });
    },
  });

  api.add({
    method: "post",
    path: "/tickets/:id/messages",
    status: 201,
    summary: "Reply to the customer, or add an internal note",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    body: AgentMessageRequest,
    handler: async ({ params, body }, req, res) => {
      const event = await tickets.addMessage(req.user!, params.id, body);
      res.status(201).json({ event });
    },
  });
}
