import { z } from "zod";
import { CATEGORIES } from "../../domain/enums";
import { SATISFACTION } from "../../domain/enums";
import type { Category, Satisfaction, TicketStatus } from "../../domain/enums";
import type { AttachmentDto } from "./tickets";
import type { PortalRmaView } from "./rma";
import { Limits } from "../../domain/limits";
import { textField } from "../../domain/text";
import type { WarrantyDecision } from "../../domain/warranty";
import { emailField, imeiField, isoDateField, phoneField } from "./common";

/** `POST /api/portal/tickets`: a customer opens a ticket about a handset. */
export const PortalCreateTicketRequest = z.object({
  name: textField({ max: Limits.nameMax }),
  email: emailField,
  phone: phoneField.optional(),
  imei: imeiField,
  brand: textField({ max: Limits.brandMax }).optional(),
  model: textField({ max: Limits.modelMax }).optional(),
  /** When the customer bought it, as they remember it; an agent confirms the warranty dates. */
  purchaseDate: isoDateField.optional(),
  category: z.enum(CATEGORIES, { error: "must be one of the listed categories" }),
  subject: textField({ max: Limits.subjectMax }),
  description: textField({ max: Limits.descriptionMax, multiline: true }),
});
export type PortalCreateTicketInput = z.output<typeof PortalCreateTicketRequest>;

/** `POST /api/portal/tickets/:token/messages`. */
export const PortalMessageRequest = z.object({
  body: textField({ max: Limits.messageMax, multiline: true }),
});

/**
 * A link token from the path: 43 base64url characters (256 random bits). Whatever is not a live
 * token, well-formed or not, is the same 404 (the router answers malformed params with 404).
 */
export const PortalTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** The ticket as its customer sees it. */
export interface PortalTicketDto {
  number: string;
  subject: string;
  category: Category;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
}

/** A public message of the conversation; internal notes never appear here. */
export interface PortalMessageDto {
  id: string;
  from: "customer" | "agent";
  authorName: string;
  body: string;
  attachments: AttachmentDto[];
  createdAt: string;
}

export interface PortalHandsetDto {
  brand: string | null;
  model: string | null;
  imeiMasked: string | null;
}

/**
 * `GET /api/portal/tickets/:token`. `messages` is the latest page of the conversation (oldest
 * first); `earlierCursor` is null when it is the whole conversation, otherwise pass it as
 * `before` to `GET /api/portal/tickets/:token/messages` for the page before.
 */
export interface PortalTicketView {
  ticket: PortalTicketDto;
  messages: PortalMessageDto[];
  earlierCursor: string | null;
  handset: PortalHandsetDto | null;
  warranty: WarrantyDecision | null;
  /** The rating given, or null; `canRate` says whether the one-click rating is open now. */
  satisfaction: { rating: Satisfaction; comment: string | null; ratedAt: string } | null;
  canRate: boolean;
  /** The return (RMA) of the ticket's phone as a timeline in plain words, if there is one. */
  rma: PortalRmaView | null;
}

/** `GET /api/portal/tickets/:token/messages?before=<cursor>`: the page before the cursor. */
export interface PortalMessagePage {
  /** Oldest first, like the ticket view's. */
  messages: PortalMessageDto[];
  /** For the page before this one; null at the ticket's first message. */
  earlierCursor: string | null;
}

/** `GET /api/portal/tickets/:token/messages` query: which page of the conversation. */
export const PortalMessagesQuery = z.strictObject({
  before: z.uuid({ error: "is not a cursor from this conversation" }).optional(),
});

/** `POST /api/portal/tickets/:token/rating`: once, when the ticket is resolved or closed. */
export const PortalRatingRequest = z.object({
  rating: z.enum(SATISFACTION, { error: "must be good or bad" }),
  comment: textField({ min: 0, max: Limits.messageMax, multiline: true }).optional(),
});

/** `POST /api/portal/tickets` answer. */
export interface PortalCreateTicketResponse {
  ticket: PortalTicketDto;
  accessUrl: string;
}
