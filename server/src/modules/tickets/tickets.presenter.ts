import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type {
  PortalHandsetDto,
  PortalMessageDto,
  PortalTicketDto,
} from "../../../../shared/contracts/http/portal";
import type {
  AttachmentDto,
  HandsetDto,
  TicketDto,
  TicketEventDto,
} from "../../../../shared/contracts/http/tickets";
import type { TicketRmaSummaryDto } from "../../../../shared/contracts/http/rma";
import type { TicketSlaDto } from "../../../../shared/contracts/http/sla";
import { maskImei } from "../../../../shared/domain/imei";
import { summariseVerdict } from "../../../../shared/domain/verdict";
import { decideWarranty } from "../../../../shared/domain/warranty";
import type { WarrantyDecision } from "../../../../shared/domain/warranty";
import type { Attachment } from "../attachments/attachment.entity";
import type { Customer } from "../customers/customer.entity";
import type { Handset } from "../handsets/handset.entity";
import type { Ticket } from "./ticket.entity";
import type { TicketEvent } from "./ticket-event.entity";

/** The first IMEI of a handset (slot 1 first), or null. */
export function primaryImei(handset: Handset): string | null {
  const imeis = (handset.identifiers ?? [])
    .filter((identifier) => identifier.kind === "imei")
    .sort((a, b) => (a.slot ?? 99) - (b.slot ?? 99));
  return imeis[0]?.value ?? null;
}

/** The warranty decision for a handset on `today` (YYYY-MM-DD). */
export function warrantyOf(handset: Handset, today: string): WarrantyDecision {
  return decideWarranty(handset, today);
}

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

export function presentPortalHandset(handset: Handset): PortalHandsetDto {
  const imei = primaryImei(handset);
  return { brand: handset.brand, model: handset.model, imeiMasked: imei ? maskImei(imei) : null };
}

export function presentAttachment(attachment: Attachment): AttachmentDto {
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
  };
}

/** A public message for the customer: their own words, or an agent's reply under the agent's name. */
export function presentPortalMessage(
  event: TicketEvent,
  customer: Customer,
  attachments: Attachment[] = [],
): PortalMessageDto {
  const fromCustomer = event.actorType === "customer";
  return {
    id: event.id,
    from: fromCustomer ? "customer" : "agent",
    authorName: fromCustomer ? customer.name : (event.actorName ?? "Support"),
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

export function presentHandset(handset: Handset, today: string): HandsetDto {
  return {
    id: handset.id,
    customerId: handset.customerId,
    brand: handset.brand,
    model: handset.model,
    purchaseDate: handset.purchaseDate,
    warrantySource: handset.warrantySource,
    warrantyStart: handset.warrantyStart,
    warrantyEnd: handset.warrantyEnd,
    doaDeadline: handset.doaDeadline,
    voidReason: handset.voidReason,
    variantId: handset.variantId ?? null,
    batchId: handset.batchId ?? null,
    identifiers: (handset.identifiers ?? []).map((identifier) => ({
      kind: identifier.kind,
      value: identifier.value,
      slot: identifier.slot,
      source: identifier.source,
      softwareVersion: identifier.softwareVersion,
    })),
    warranty: warrantyOf(handset, today),
    createdAt: handset.createdAt.toISOString(),
    updatedAt: handset.updatedAt.toISOString(),
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
