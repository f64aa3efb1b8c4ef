import { z } from "zod";
import { CATEGORIES } from "../../domain/enums";
import { SATISFACTION } from "../../domain/enums";
import { TICKET_STATUSES } from "../../domain/enums";
import { AttachmentDto } from "./tickets";
import { PortalRmaView } from "./rma";
import { WarrantyDecisionSchema, isoInstant } from "./domain-schemas";
import { Limits } from "../../domain/limits";
import { textField } from "../../domain/text";
import { VERDICT_LEVELS } from "../../domain/verdict";
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
export const PortalTicketDto = z.strictObject({
  number: z.string(),
  subject: z.string(),
  category: z.enum(CATEGORIES),
  status: z.enum(TICKET_STATUSES),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type PortalTicketDto = z.output<typeof PortalTicketDto>;

/** A public message of the conversation; internal notes never appear here. */
export const PortalMessageDto = z.strictObject({
  id: z.string(),
  from: z.enum(["customer", "agent"]),
  authorName: z.string(),
  body: z.string(),
  attachments: z.array(AttachmentDto),
  createdAt: isoInstant,
});
export type PortalMessageDto = z.output<typeof PortalMessageDto>;

export const PortalHandsetDto = z.strictObject({
  brand: z.string().nullable(),
  model: z.string().nullable(),
  imeiMasked: z.string().nullable(),
});
export type PortalHandsetDto = z.output<typeof PortalHandsetDto>;

/** Whether the customer's phone works on the network, as words for them (no band numbers). */
export const PortalNetworkDto = z.strictObject({
  /** The carrier's name; null when the desk does not know the phone's exact variant yet. */
  carrier: z.string().nullable(),
  level: z.enum(VERDICT_LEVELS),
  words: z.string(),
});
export type PortalNetworkDto = z.output<typeof PortalNetworkDto>;

/**
 * `GET /api/portal/tickets/:token`. `messages` is the latest page of the conversation (oldest
 * first); `earlierCursor` is null when it is the whole conversation, otherwise pass it as
 * `before` to `GET /api/portal/tickets/:token/messages` for the page before.
 */
export const PortalTicketView = z.strictObject({
  ticket: PortalTicketDto,
  messages: z.array(PortalMessageDto),
  earlierCursor: z.string().nullable(),
  handset: PortalHandsetDto.nullable(),
  warranty: WarrantyDecisionSchema.nullable(),
  /** The rating given, or null; `canRate` says whether the one-click rating is open now. */
  satisfaction: z
    .strictObject({
      rating: z.enum(SATISFACTION),
      comment: z.string().nullable(),
      ratedAt: isoInstant,
    })
    .nullable(),
  canRate: z.boolean(),
  /** The return (RMA) of the ticket's phone as a timeline in plain words, if there is one. */
  rma: PortalRmaView.nullable(),
  /**
   * Whether the phone works on the desk's carrier today, in plain words; null when there is no
   * phone, or the handset record is not theirs to see (docs/SECURITY.md).
   */
  network: PortalNetworkDto.nullable(),
});
export type PortalTicketView = z.output<typeof PortalTicketView>;

/** `GET /api/portal/tickets/:token/messages?before=<cursor>`: the page before the cursor. */
export const PortalMessagePage = z.strictObject({
  /** Oldest first, like the ticket view's. */
  messages: z.array(PortalMessageDto),
  /** For the page before this one; null at the ticket's first message. */
  earlierCursor: z.string().nullable(),
});
export type PortalMessagePage = z.output<typeof PortalMessagePage>;

/** `POST /api/portal/tickets/:token/messages` answer. */
export const PortalReplyResponse = z.strictObject({ message: PortalMessageDto });

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
export const PortalCreateTicketResponse = z.strictObject({
  ticket: PortalTicketDto,
  accessUrl: z.string(),
});
export type PortalCreateTicketResponse = z.output<typeof PortalCreateTicketResponse>;

/** `POST /api/portal/tickets/:token/revoke`: the new private link (the old one is dead). */
export const PortalRevokeResponse = z.strictObject({ accessUrl: z.string() });
export type PortalRevokeResponse = z.output<typeof PortalRevokeResponse>;

/** `POST /api/portal/tickets` body as a client sends it (the IMEI as typed). */
export type PortalCreateTicketBody = z.input<typeof PortalCreateTicketRequest>;
