import type {
  ActorType,
  Category,
  IdentifierKind,
  IdentifierSource,
  Priority,
  Role,
  Satisfaction,
  TicketEventType,
  TicketFlag,
  TicketStatus,
  VoidReason,
  WarrantySource,
} from "../../domain/enums";
import type { VerdictSummary } from "../../domain/verdict";
import type { WarrantyDecision } from "../../domain/warranty";
import type { TicketRmaSummaryDto } from "./rma";
import type { TicketSlaDto } from "./sla";

/** A ticket as the agents' queue lists it (and as `ticket:created` / `ticket:updated` carry it). */
export interface TicketDto {
  id: string;
  number: string;
  subject: string;
  category: Category;
  priority: Priority;
  status: TicketStatus;
  channel: "portal" | "agent";
  customer: { id: string; name: string; email: string };
  handset: {
    id: string;
    brand: string | null;
    model: string | null;
    imeiMasked: string | null;
    warrantySource: WarrantySource;
  } | null;
  assignee: { id: string; name: string } | null;
  warranty: WarrantyDecision | null;
  flags: TicketFlag[];
  /**
   * The network verdict on the desk's carrier as it was when the ticket was opened, in brief
   * (`GET /api/tickets/:id/network` gives it in full, then and now). Null when the variant was
   * unknown.
   */
  verdictAtOpen: VerdictSummary | null;
  /** The customer's rating, once given. */
  satisfaction: Satisfaction | null;
  createdAt: string;
  updatedAt: string;
  /** The SLA's next due date (what `sort=sla_asc` orders by); null when no clock runs. */
  slaDueAt: string | null;
  /** The SLA clocks; null when no policy applies. */
  sla: TicketSlaDto | null;
  /** The ticket's latest RMA, if it has one. */
  rma: TicketRmaSummaryDto | null;
}

/** One identifier of a handset, in full (agents only). */
export interface HandsetIdentifierDto {
  kind: IdentifierKind;
  value: string;
  slot: number | null;
  source: IdentifierSource;
  softwareVersion: string | null;
}

/** A handset record as agents see it. */
export interface HandsetDto {
  id: string;
  customerId: string | null;
  brand: string | null;
  model: string | null;
  purchaseDate: string | null;
  warrantySource: WarrantySource;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  doaDeadline: string | null;
  voidReason: VoidReason | null;
  /** The exact variant, when known; its bands decide the network verdict. */
  variantId: string | null;
  /** The import batch (shipment) it came in, when known. */
  batchId: string | null;
  identifiers: HandsetIdentifierDto[];
  warranty: WarrantyDecision;
  createdAt: string;
  updatedAt: string;
}

/** A file attached to a message; download it from the ticket's attachment route. */
export interface AttachmentDto {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** An entry of a ticket's history as agents see it. */
export interface TicketEventDto {
  id: string;
  ticketId: string;
  seq: number;
  type: TicketEventType;
  public: boolean;
  actor: { type: ActorType; id: string | null; name: string | null };
  body: string | null;
  attachments: AttachmentDto[];
  changes:
    | {
        field: string;
        from: string | number | boolean | null;
        to: string | number | boolean | null;
      }[]
    | null;
  createdAt: string;
}

/**
 * `GET /api/tickets/:id`: a ticket with its customer, handset and the latest page of its history
 * (oldest first). `earlierCursor` is null when that page is the whole history; otherwise pass it
 * as `before` to `GET /api/tickets/:id/events` for the page before.
 */
export interface TicketDetailDto {
  ticket: TicketDto;
  /** The record the ticket's email found; `emailVerifiedAt` null: nobody proved that address. */
  customer: {
    id: string;
    name: string;
    email: string;
    phone: string | null;
    emailVerifiedAt: string | null;
  };
  /** Who the ticket is from, as given on it; `differsFromCustomer` when not the record's name. */
  contact: { name: string; phone: string | null; differsFromCustomer: boolean };
  handset: HandsetDto | null;
  events: TicketEventDto[];
  earlierCursor: string | null;
}

/** `GET /api/tickets/:id/events?before=<cursor>`: the page of history before the cursor. */
export interface TicketEventPageDto {
  /** Oldest first, like the detail's. */
  events: TicketEventDto[];
  /** For the page before this one; null at the ticket's first event. */
  earlierCursor: string | null;
}

/** A signed-in agent as the API shows it. */
export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
}
