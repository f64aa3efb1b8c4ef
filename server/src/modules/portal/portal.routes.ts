import type { RequestHandler } from "express";
import { z } from "zod";
import {
  PortalCreateTicketRequest,
  PortalMessageRequest,
  PortalRatingRequest,
  PortalTokenParams,
} from "../../../../shared/contracts/http/portal";
import type { PortalCreateTicketResponse } from "../../../../shared/contracts/http/portal";
import { uuidField } from "../../../../shared/contracts/http/common";
import type { ApiRouter } from "../../http/api-router";
import { sendAttachment } from "../attachments/download";
import { acceptUploads, uploadedFiles } from "../attachments/uploads";
import type { PortalService } from "./portal.service";

export interface PortalLimits {
  /** New tickets per client IP per hour (none when the limit is off). */
  create: RequestHandler[];
  /** Requests that name a link token: slows down guessing. */
  link: RequestHandler[];
}

const AttachmentParams = PortalTokenParams.extend({ attachmentId: uuidField });

/**
 * The customer portal's API: open a ticket (JSON, or multipart with up to five photos), read it,
 * reply, rate it, replace its link, and download its public attachments, all by the secret link.
 */
export function registerPortalRoutes(
  api: ApiRouter,
  portal: PortalService,
  limits: PortalLimits,
): void {
  api.add({
    method: "post",
    path: "/portal/tickets",
    status: 201,
    summary: "Open a ticket about a handset (no account needed); multipart for photos",
    access: "public",
    before: [...limits.create, acceptUploads()],
    body: PortalCreateTicketRequest,
    handler: async ({ body }, req, res) => {
      const answer: PortalCreateTicketResponse = await portal.openTicket(body, uploadedFiles(req));
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
    summary: "The customer replies on their ticket (multipart for photos)",
    access: "link",
    before: [...limits.link, acceptUploads()],
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalMessageRequest,
    handler: async ({ params, body }, req, res) => {
      const message = await portal.reply(params.token, body.body, uploadedFiles(req));
      res.status(201).json({ message });
    },
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/rating",
    status: 204,
    summary: "Rate a resolved ticket: good or bad, with an optional comment (once)",
    access: "link",
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalRatingRequest,
    handler: async ({ params, body }, _req, res) => {
      await portal.rate(params.token, body.rating, body.comment || null);
      res.status(204).end();
    },
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/revoke",
    summary: "Replace this ticket's private link: the old one stops working at once",
    access: "link",
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    body: z.object({}),
    handler: async ({ params }, _req, res) => {
      res.json(await portal.revoke(params.token));
    },
  });

  api.add({
    method: "get",
    path: "/portal/tickets/:token/attachments/:attachmentId",
    summary: "Download a file of a public message, as an attachment",
    access: "link",
    before: limits.link,
    notFound: "Attachment",
    params: AttachmentParams,
    handler: async ({ params }, _req, res) => {
      const { attachment, stream } = await portal.attachment(params.token, params.attachmentId);
      await sendAttachment(res, attachment, stream);
    },
  });
}
