import {
  AgentCreateTicketResponse,
  TicketCountsResponse,
  TicketDetailDto,
  TicketEventPageDto,
  TicketEventResponse,
  TicketListResponse,
  TicketResponse,
} from "../../../../shared/contracts/http/tickets";
import {
  AgentCreateTicketRequest,
  AgentMessageRequest,
  IdParams,
  ListTicketsQuery,
  TicketEventsQuery,
  UpdateTicketRequest,
} from "../../../../shared/contracts/http/agent-tickets";
import type { RequestHandler } from "express";
import { NoContent } from "../../http/api-router";
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
    response: TicketListResponse,
    query: ListTicketsQuery,
    handler: ({ query, user }) => tickets.list(user, query),
  });

  api.add({
    method: "post",
    path: "/tickets",
    status: 201,
    summary: "Open a ticket on a customer's behalf",
    access: "agent",
    response: AgentCreateTicketResponse,
    body: AgentCreateTicketRequest,
    handler: ({ body, user }) => tickets.create(user, body),
  });

  api.add({
    method: "get",
    path: "/tickets/counts",
    summary: "How many tickets there are in each status",
    access: "agent",
    response: TicketCountsResponse,
    handler: async () => ({ counts: await tickets.countByStatus() }),
  });

  api.add({
    method: "get",
    path: "/tickets/:id",
    summary:
      "A ticket with its customer, handset, warranty decision and the latest page of its history",
    access: "agent",
    response: TicketDetailDto,
    notFound: "Ticket",
    params: IdParams,
    handler: ({ params }) => tickets.detail(params.id),
  });

  api.add({
    method: "get",
    path: "/tickets/:id/events",
    summary: "Earlier history of a ticket: the page of events before the cursor `before`",
    access: "agent",
    response: TicketEventPageDto,
    notFound: "Ticket",
    params: IdParams,
    query: TicketEventsQuery,
    handler: ({ params, query }) => tickets.events(params.id, query.before),
  });

  api.add({
    method: "patch",
    path: "/tickets/:id",
    summary: "Change status, priority, category or assignee",
    access: "agent",
    response: TicketResponse,
    notFound: "Ticket",
    params: IdParams,
    body: UpdateTicketRequest,
    handler: async ({ params, body, user }) => ({
      ticket: await tickets.update(user, params.id, body),
    }),
  });

  api.add({
    method: "post",
    path: "/tickets/:id/messages",
    status: 201,
    summary: "Reply to the customer, or add an internal note",
    access: "agent",
    response: TicketEventResponse,
    notFound: "Ticket",
    params: IdParams,
    before: [uploads],
    body: AgentMessageRequest,
    // The upload adapter: the files of the message are on the request.
    http: async ({ params, body, user }, req) => {
      const event = await withUploadedFiles(req, (files) =>
        tickets.addMessage(user, params.id, body, files),
      );
      return { event };
    },
  });

  api.add({
    method: "get",
    path: "/tickets/:id/attachments/:attachmentId",
    summary: "Download a file of a message or note, as an attachment",
    access: "agent",
    response: NoContent,
    notFound: "Attachment",
    params: IdParams.extend({ attachmentId: uuidField }),
    file: { contentType: "application/octet-stream", description: "The file, as a download" },
    // The download adapter: the file is streamed to the response.
    http: async ({ params }, _req, res) => {
      const { attachment, stream } = await tickets.attachment(params.id, params.attachmentId);
      await sendAttachment(res, attachment, stream);
    },
  });
}
