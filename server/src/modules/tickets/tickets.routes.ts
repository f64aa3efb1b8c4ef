import {
  AgentCreateTicketRequest,
  AgentMessageRequest,
  IdParams,
  ListTicketsQuery,
  TicketEventsQuery,
  UpdateTicketRequest,
} from "../../../../shared/contracts/http/agent-tickets";
import type { RequestHandler } from "express";
import type { ApiRouter } from "../../http/api-router";
import { uuidField } from "../../../../shared/contracts/http/common";
import { sendAttachment } from "../attachments/download";
import { withUploadedFiles } from "../attachments/uploads";
import type { TicketsService } from "./tickets.service";

/** The agents' ticket API; `uploads` reads the files of a message (see acceptUploads). */
export function registerTicketRoutes(
  api: ApiRouter,
  tickets: TicketsService,
  uploads: RequestHandler,
): void {
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
      res.status(201).json(await tickets.create(req.user!, body));
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
    summary:
      "A ticket with its customer, handset, warranty decision and the latest page of its history",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      res.json(await tickets.detail(params.id));
    },
  });

  api.add({
    method: "get",
    path: "/tickets/:id/events",
    summary: "Earlier history of a ticket: the page of events before the cursor `before`",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    query: TicketEventsQuery,
    handler: async ({ params, query }, _req, res) => {
      res.json(await tickets.events(params.id, query.before));
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
    before: [uploads],
    body: AgentMessageRequest,
    handler: async ({ params, body }, req, res) => {
      const event = await withUploadedFiles(req, (files) =>
        tickets.addMessage(req.user!, params.id, body, files),
      );
      res.status(201).json({ event });
    },
  });

  api.add({
    method: "get",
    path: "/tickets/:id/attachments/:attachmentId",
    summary: "Download a file of a message or note, as an attachment",
    access: "agent",
    notFound: "Attachment",
    params: IdParams.extend({ attachmentId: uuidField }),
    handler: async ({ params }, _req, res) => {
      const { attachment, stream } = await tickets.attachment(params.id, params.attachmentId);
      await sendAttachment(res, attachment, stream);
    },
  });
}
