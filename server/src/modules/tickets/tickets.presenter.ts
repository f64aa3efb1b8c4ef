import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type {
  PortalHandsetDto,
  PortalMessageDto,
  PortalTicketDto,
} from "../../../../shared/contracts/http/portal";
import type {
  AttachmentDto,
  TicketDto,
  TicketEventDto,
} from "../../../../shared/contracts/http/tickets";
import type { TicketRmaSummaryDto } from "../../../../shared/contracts/http/rma";
import type { TicketSlaDto } from "../../../../shared/contracts/http/sla";
import { maskImei } from "../../../../shared/domain/imei";
import { summariseVerdict } from "../../../../shared/domain/verdict";
import type { Attachment } from "../attachments/attachment.entity";
import type { Customer } from "../customers/customer.entity";
import type { Handset } from "../handsets/handset.entity";
import type { Ticket } from "./ticket.entity";
import type { TicketEvent } from "./ticket-event.entity";

export { presentHandset, primaryImei, warrantyOf } from "../handsets/handsets.presenter";
import { primaryImei, warrantyOf } from "../handsets/handsets.presenter";
import type { WarrantyDecision } from "../../../../shared/domain/warranty";

export function presentPortalTicket(ticket: Ticket): PortalTicketDto {
  return {
    number: ticketNumberLabel(ticket.number),
    subject: ticket.subject,
    category: ticket.category,
    status: ticket.status,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

/**
 * Whether the customer of `ticket` may see what is recorded about its handset: the handset is on
 * their own record, and was before this ticket (it was not opened on an IMEI that another
 * customer's handset already carried: the `identifier_on_other_customer` flag).
 */
export function handsetIsTheirs(ticket: Ticket, handset: Handset): boolean {
  return (
    handset.customerId !== null &&
    handset.customerId === ticket.customerId &&
    !ticket.flags.includes("identifier_on_other_customer")
  );
}

/**
 * The handset and its warranty as the ticket's customer sees them (see docs/SECURITY.md, T42).
 *
 * The rule: a customer sees only what concerns their own purchase. When the handset is theirs
 * ({@link handsetIsTheirs}), the record: its brand and model, and the warranty decision made
 * from what agents and import batches set on it (dates, DOA window, void reason). When it is
 * not, because someone else's handset record already carried the IMEI they typed (a second-hand
 * buyer, a repair shop, someone who read it off a box), nothing that was recorded about that
 * handset: only what follows from the IMEI itself, the brand and model its TAC names (`tac`,
 * null when unknown) and the masked IMEI, and no warranty decision at all. An agent who
 * settles who owns the phone tells the customer in a reply.
 */
export function presentPortalHandset(
  ticket: Ticket,
  handset: Handset,
  tac: { brand: string; model: string } | null,
  today: string,
): { handset: PortalHandsetDto; warranty: WarrantyDecision | null } {
  const imei = primaryImei(handset);
  const imeiMasked = imei ? maskImei(imei) : null;
  if (!handsetIsTheirs(ticket, handset)) {
    return {
      handset: { brand: tac?.brand ?? null, model: tac?.model ?? null, imeiMasked },
      warranty: null,
    };
  }
  return {
    handset: { brand: handset.brand, model: handset.model, imeiMasked },
    warranty: warrantyOf(handset, today),
  };
}

export function presentAttachment(attachment: Attachment): AttachmentDto {
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
  };
}

/**
 * Who a ticket is from: the name and phone given on it. A ticket from before they were kept has
 * neither, and its customer's stand in (what it showed then).
 */
export function contactOf(
  ticket: Ticket,
  customer: Customer,
): { name: string; phone: string | null } {
  return ticket.contactName === null
    ? { name: customer.name, phone: customer.phone }
    : { name: ticket.contactName, phone: ticket.contactPhone };
}

/** Names compared as people read them: case, spacing and Unicode forms aside. */
function sameName(a: string, b: string): boolean {
  const plain = (name: string) =>
    name.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en");
  return plain(a) === plain(b);
}

/** Who a ticket is from, for agents, and whether that is not the name on the customer's record. */
export function presentContact(
  ticket: Ticket,
  customer: Customer,
): { name: string; phone: string | null; differsFromCustomer: boolean } {
  const contact = contactOf(ticket, customer);
  return { ...contact, differsFromCustomer: !sameName(contact.name, customer.name) };
}

/**
 * A public message for the customer: their own words, or an agent's reply under the agent's
 * name. Each under the name it was written with, never the customer record's: whoever typed
 * someone's email on the form must not learn that customer's name from it.
 */
export function presentPortalMessage(
  event: TicketEvent,
  attachments: Attachment[] = [],
): PortalMessageDto {
  const fromCustomer = event.actorType === "customer";
  return {
    id: event.id,
    from: fromCustomer ? "customer" : "agent",
    authorName: event.actorName ?? (fromCustomer ? "You" : "Support"),
    body: event.body ?? "",
    attachments: attachments.map(presentAttachment),
    createdAt: event.createdAt.toISOString(),
  };
}

/** What the queue shows of a ticket beyond its own row: its SLA clocks and latest RMA. */
export interface TicketExtras {
  sla?: TicketSlaDto | null;
  rma?: TicketRmaSummaryDto | null;
}

/** A ticket as the queue lists it; needs customer, handset (with identifiers) and assignee loaded. */
export function presentTicket(ticket: Ticket, today: string, extras: TicketExtras = {}): TicketDto {
  const customer = ticket.customer;
  if (!customer) {
    throw new Error("presentTicket needs the customer loaded");
  }
  const handset = ticket.handset ?? null;
  const imei = handset ? primaryImei(handset) : null;
  return {
    id: ticket.id,
    number: ticketNumberLabel(ticket.number),
    subject: ticket.subject,
    category: ticket.category,
    priority: ticket.priority,
    status: ticket.status,
    channel: ticket.channel,
    customer: { id: customer.id, name: customer.name, email: customer.email },
    handset: handset
      ? {
          id: handset.id,
          brand: handset.brand,
          model: handset.model,
          imeiMasked: imei ? maskImei(imei) : null,
          warrantySource: handset.warrantySource,
        }
      : null,
    assignee: ticket.assignee ? { id: ticket.assignee.id, name: ticket.assignee.name } : null,
    warranty: handset ? warrantyOf(handset, today) : null,
    flags: ticket.flags,
    verdictAtOpen: ticket.verdictAtOpen ? summariseVerdict(ticket.verdictAtOpen) : null,
    satisfaction: ticket.satisfaction,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    slaDueAt: ticket.slaDueAt ? ticket.slaDueAt.toISOString() : null,
    sla: extras.sla ?? null,
    rma: extras.rma ?? null,
  };
}

export function presentEvent(event: TicketEvent, attachments: Attachment[] = []): TicketEventDto {
  return {
    id: event.id,
    ticketId: event.ticketId,
    seq: event.seq,
    type: event.type,
    public: event.public,
    actor: { type: event.actorType, id: event.actorId, name: event.actorName },
    body: event.body,
    attachments: attachments.map(presentAttachment),
    changes: event.changes,
    createdAt: event.createdAt.toISOString(),
  };
}
