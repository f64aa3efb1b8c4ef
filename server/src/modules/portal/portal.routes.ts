import {
  PortalCreateTicketResponse,
  PortalMessagePage,
  PortalReplyResponse,
  PortalRevokeResponse,
  PortalTicketView,
} from "../../../../shared/contracts/http/portal";
import type { RequestHandler, Response } from "express";
import { NotFoundError } from "../../errors/app-error";
import { z } from "zod";
import {
  PortalCreateTicketRequest,
  PortalMessageRequest,
  PortalMessagesQuery,
  PortalRatingRequest,
  PortalTokenParams,
} from "../../../../shared/contracts/http/portal";
import { uuidField } from "../../../../shared/contracts/http/common";
import { NoContent } from "../../http/api-router";
import type { ApiRouter } from "../../http/api-router";
import { sendAttachment } from "../attachments/download";
import { withUploadedFiles } from "../attachments/uploads";
import type { PortalService } from "./portal.service";

export interface PortalLimits {
  /** New tickets per client IP per hour (none when the limit is off). */
  create: RequestHandler[];
  /** Requests that name a link token: slows down guessing. */
  link: RequestHandler[];
  /** Replies per ticket and per IP: each is stored and shown to agents (see docs/SECURITY.md). */
  reply: RequestHandler[];
  /** Link replacements per ticket: each mails the customer. */
  replaceLink: RequestHandler[];
}

/** The ticket `requireLink` found for this request's token, for the per-ticket limits. */
export function linkTicketOf(res: Response): string | undefined {
  const id: unknown = res.locals.linkTicketId;
  return typeof id === "string" ? id : undefined;
}

const AttachmentParams = PortalTokenParams.extend({ attachmentId: uuidField });

/**
 * Resolves the link token of the path to its ticket before anything reads the request: a wrong
 * or revoked link is refused (404) at once, so a stranger cannot make the server read, let alone
 * store, an upload (the error handler closes the connection instead of reading the body). The
 * service checks the token again inside its transaction; this is the early answer.
 */
function requireLink(portal: PortalService): RequestHandler {
  return (req, res, next) => {
    const parsed = PortalTokenParams.safeParse(req.params);
    if (!parsed.success) {
      next(new NotFoundError("Ticket"));
      return;
    }
    portal.ticketIdForToken(parsed.data.token).then((ticketId) => {
      if (ticketId === null) {
        next(new NotFoundError("Ticket"));
        return;
      }
      res.locals.linkTicketId = ticketId;
      next();
    }, next);
  };
}

/**
 * The customer portal's API: open a ticket (JSON, or multipart with up to five photos), read it,
 * reply, rate it, replace its link, and download its public attachments, all by the secret link.
 * `uploads` reads the files of a request (see acceptUploads).
 */
export function registerPortalRoutes(
  api: ApiRouter,
  portal: PortalService,
  limits: PortalLimits,
  uploads: RequestHandler,
): void {
  api.add({
    method: "post",
    path: "/portal/tickets",
    status: 201,
    summary: "Open a ticket about a handset (no account needed); multipart for photos",
    access: "public",
    response: PortalCreateTicketResponse,
    before: [...limits.create, uploads],
    body: PortalCreateTicketRequest,
    // The upload adapter: the photos are on the request.
    http: ({ body }, req) => withUploadedFiles(req, (files) => portal.openTicket(body, files)),
  });

  api.add({
    method: "get",
    path: "/portal/tickets/:token",
    summary: "A ticket as its customer sees it: public messages, handset, warranty decision",
    access: "link",
    response: PortalTicketView,
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    handler: ({ params }) => portal.view(params.token),
  });

  api.add({
    method: "get",
    path: "/portal/tickets/:token/messages",
    summary: "Earlier messages of the conversation: the page before the cursor `before`",
    access: "link",
    response: PortalMessagePage,
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    query: PortalMessagesQuery,
    handler: ({ params, query }) => portal.messages(params.token, query.before),
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/messages",
    status: 201,
    summary: "The customer replies on their ticket (multipart for photos)",
    access: "link",
    response: PortalReplyResponse,
    before: [...limits.link, requireLink(portal), ...limits.reply, uploads],
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalMessageRequest,
    // The upload adapter: the photos are on the request.
    http: async ({ params, body }, req) => ({
      message: await withUploadedFiles(req, (files) =>
        portal.reply(params.token, body.body, files),
      ),
    }),
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/rating",
    status: 204,
    summary: "Rate a resolved ticket: good or bad, with an optional comment (once)",
    access: "link",
    response: NoContent,
    before: limits.link,
    notFound: "Ticket",
    params: PortalTokenParams,
    body: PortalRatingRequest,
    handler: ({ params, body }) => portal.rate(params.token, body.rating, body.comment || null),
  });

  api.add({
    method: "post",
    path: "/portal/tickets/:token/revoke",
    summary: "Replace this ticket's private link: the old one stops working at once",
    access: "link",
    response: PortalRevokeResponse,
    before: [...limits.link, requireLink(portal), ...limits.replaceLink],
    notFound: "Ticket",
    params: PortalTokenParams,
    body: z.object({}),
    handler: ({ params }) => portal.revoke(params.token),
  });

  api.add({
    method: "get",
    path: "/portal/tickets/:token/attachments/:attachmentId",
    summary: "Download a file of a public message, as an attachment",
    access: "link",
    response: NoContent,
    before: limits.link,
    notFound: "Attachment",
    params: AttachmentParams,
    file: { contentType: "application/octet-stream", description: "The file, as a download" },
    // The download adapter: the file is streamed to the response.
    http: async ({ params }, _req, res) => {
      const { attachment, stream } = await portal.attachment(params.token, params.attachmentId);
      await sendAttachment(res, attachment, stream);
    },
  });
}
