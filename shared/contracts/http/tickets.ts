import { z } from "zod";
import {
  ACTOR_TYPES,
  CATEGORIES,
  IDENTIFIER_KINDS,
  IDENTIFIER_SOURCES,
  PRIORITIES,
  ROLES,
  SATISFACTION,
  TICKET_EVENT_TYPES,
  TICKET_CHANNELS,
  TICKET_FLAGS,
  TICKET_STATUSES,
  VOID_REASONS,
  WARRANTY_SOURCES,
} from "../../domain/enums";
import {
  NetworkVerdictSchema,
  VerdictSummarySchema,
  WarrantyDecisionSchema,
  isoDay,
  isoInstant,
} from "./domain-schemas";
import { TicketRmaSummaryDto } from "./rma";
import { TicketSlaDto } from "./sla";

/*
 * Response schemas: each is the single declaration of its shape; the type of the same name is
 * derived from it. The server checks answers against them in test mode; the client imports the
 * types only (`import type`).
 */

/** A ticket as the agents' queue lists it (and as `ticket:created` / `ticket:updated` carry it). */
export const TicketDto = z.strictObject({
  id: z.string(),
  number: z.string(),
  subject: z.string(),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  channel: z.enum(TICKET_CHANNELS),
  customer: z.strictObject({ id: z.string(), name: z.string(), email: z.string() }),
  handset: z
    .strictObject({
      id: z.string(),
      brand: z.string().nullable(),
      model: z.string().nullable(),
      imeiMasked: z.string().nullable(),
      warrantySource: z.enum(WARRANTY_SOURCES),
    })
    .nullable(),
  assignee: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  warranty: WarrantyDecisionSchema.nullable(),
  flags: z.array(z.enum(TICKET_FLAGS)),
  /**
   * The network verdict on the desk's carrier as it was when the ticket was opened, in brief
   * (`GET /api/tickets/:id/network` gives it in full, then and now). Null when the variant was
   * unknown.
   */
  verdictAtOpen: VerdictSummarySchema.nullable(),
  /** The customer's rating, once given. */
  satisfaction: z.enum(SATISFACTION).nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  /** The SLA's next due date (what `sort=sla_asc` orders by); null when no clock runs. */
  slaDueAt: isoInstant.nullable(),
  /** The SLA clocks; null when no policy applies. */
  sla: TicketSlaDto.nullable(),
  /** The ticket's latest RMA, if it has one. */
  rma: TicketRmaSummaryDto.nullable(),
});
export type TicketDto = z.output<typeof TicketDto>;

/** One identifier of a handset, in full (agents only). */
export const HandsetIdentifierDto = z.strictObject({
  kind: z.enum(IDENTIFIER_KINDS),
  value: z.string(),
  slot: z.number().nullable(),
  source: z.enum(IDENTIFIER_SOURCES),
  softwareVersion: z.string().nullable(),
});
export type HandsetIdentifierDto = z.output<typeof HandsetIdentifierDto>;

/** A handset record as agents see it. */
export const HandsetDto = z.strictObject({
  id: z.string(),
  customerId: z.string().nullable(),
  brand: z.string().nullable(),
  model: z.string().nullable(),
  purchaseDate: isoDay.nullable(),
  warrantySource: z.enum(WARRANTY_SOURCES),
  warrantyStart: isoDay.nullable(),
  warrantyEnd: isoDay.nullable(),
  doaDeadline: isoDay.nullable(),
  voidReason: z.enum(VOID_REASONS).nullable(),
  /** The exact variant, when known; its bands decide the network verdict. */
  variantId: z.string().nullable(),
  /** The import batch (shipment) it came in, when known. */
  batchId: z.string().nullable(),
  identifiers: z.array(HandsetIdentifierDto),
  warranty: WarrantyDecisionSchema,
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type HandsetDto = z.output<typeof HandsetDto>;

/** A file attached to a message; download it from the ticket's attachment route. */
export const AttachmentDto = z.strictObject({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
});
export type AttachmentDto = z.output<typeof AttachmentDto>;

const changeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** An entry of a ticket's history as agents see it. */
export const TicketEventDto = z.strictObject({
  id: z.string(),
  ticketId: z.string(),
  seq: z.number(),
  type: z.enum(TICKET_EVENT_TYPES),
  public: z.boolean(),
  actor: z.strictObject({
    type: z.enum(ACTOR_TYPES),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  body: z.string().nullable(),
  attachments: z.array(AttachmentDto),
  changes: z
    .array(z.strictObject({ field: z.string(), from: changeValue, to: changeValue }))
    .nullable(),
  createdAt: isoInstant,
});
export type TicketEventDto = z.output<typeof TicketEventDto>;

/**
 * `GET /api/tickets/:id`: a ticket with its customer, handset and the latest page of its history
 * (oldest first). `earlierCursor` is null when that page is the whole history; otherwise pass it
 * as `before` to `GET /api/tickets/:id/events` for the page before.
 */
export const TicketDetailDto = z.strictObject({
  ticket: TicketDto,
  /** The record the ticket's email found; `emailVerifiedAt` null: nobody proved that address. */
  customer: z.strictObject({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    emailVerifiedAt: isoInstant.nullable(),
  }),
  /** Who the ticket is from, as given on it; `differsFromCustomer` when not the record's name. */
  contact: z.strictObject({
    name: z.string(),
    phone: z.string().nullable(),
    differsFromCustomer: z.boolean(),
  }),
  handset: HandsetDto.nullable(),
  events: z.array(TicketEventDto),
  earlierCursor: z.string().nullable(),
});
export type TicketDetailDto = z.output<typeof TicketDetailDto>;

/** `GET /api/tickets/:id/events?before=<cursor>`: the page of history before the cursor. */
export const TicketEventPageDto = z.strictObject({
  /** Oldest first, like the detail's. */
  events: z.array(TicketEventDto),
  /** For the page before this one; null at the ticket's first event. */
  earlierCursor: z.string().nullable(),
});
export type TicketEventPageDto = z.output<typeof TicketEventPageDto>;

/** A signed-in agent as the API shows it. */
export const UserDto = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
});
export type UserDto = z.output<typeof UserDto>;

/** `GET /api/tickets`: one page of the queue; pass `nextCursor` as `cursor` for the next. */
export const TicketListResponse = z.strictObject({
  items: z.array(TicketDto),
  nextCursor: z.string().nullable(),
});
export type TicketListResponse = z.output<typeof TicketListResponse>;

/** `POST /api/tickets`: the ticket, and the customer's private link (shown once). */
export const AgentCreateTicketResponse = z.strictObject({
  ticket: TicketDto,
  accessUrl: z.string(),
});
export type AgentCreateTicketResponse = z.output<typeof AgentCreateTicketResponse>;

/** `GET /api/tickets/counts`: how many tickets there are in each status. */
export const TicketCountsResponse = z.strictObject({
  counts: z.record(z.enum(TICKET_STATUSES), z.number()),
});
export type TicketCountsResponse = z.output<typeof TicketCountsResponse>;

/** A ticket, as the routes that change one answer. */
export const TicketResponse = z.strictObject({ ticket: TicketDto });
export type TicketResponse = z.output<typeof TicketResponse>;

/** `POST /api/tickets/:id/messages`: the reply or note as it entered the history. */
export const TicketEventResponse = z.strictObject({ event: TicketEventDto });
export type TicketEventResponse = z.output<typeof TicketEventResponse>;

/** `GET /api/handsets/:id`: the record with its tickets, variant, batch and verdict today. */
export const HandsetWithTicketsDto = HandsetDto.extend({
  tickets: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string(),
      subject: z.string(),
      status: z.enum(TICKET_STATUSES),
    }),
  ),
  variant: z
    .strictObject({ id: z.string(), name: z.string(), brand: z.string(), model: z.string() })
    .nullable(),
  batch: z.strictObject({ id: z.string(), reference: z.string() }).nullable(),
  /** The network verdict on the desk's carrier today; null while the variant is unknown. */
  verdict: NetworkVerdictSchema.nullable(),
});
export type HandsetWithTicketsDto = z.output<typeof HandsetWithTicketsDto>;

export const HandsetListResponse = z.strictObject({ items: z.array(HandsetDto) });
export type HandsetListResponse = z.output<typeof HandsetListResponse>;
export const HandsetDetailResponse = z.strictObject({ handset: HandsetWithTicketsDto });
export type HandsetDetailResponse = z.output<typeof HandsetDetailResponse>;
export const HandsetResponse = z.strictObject({ handset: HandsetDto });
export type HandsetResponse = z.output<typeof HandsetResponse>;

/** `GET /api/team`: who tickets can be assigned to. */
export const TeamResponse = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), name: z.string(), role: z.enum(ROLES) })),
});
export type TeamResponse = z.output<typeof TeamResponse>;
/** `GET /api/agents` (admins). */
export const AgentListResponse = z.strictObject({ items: z.array(UserDto) });
export type AgentListResponse = z.output<typeof AgentListResponse>;
/** An agent, as `POST /api/agents`, `PATCH /api/agents/:id` and `GET /api/auth/me` answer. */
export const UserResponse = z.strictObject({ user: UserDto });
export type UserResponse = z.output<typeof UserResponse>;
