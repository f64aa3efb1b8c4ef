import { In, Not } from "typeorm";
import type { EntityManager } from "typeorm";
import { maskImei } from "../../../../shared/domain/imei";
import type { TicketHistory, TicketRef } from "../catalog/ports";
import { findHandsetVariantId, findOwnedHandsetsOfVariant } from "../handsets/handsets.repository";
import { primaryImei } from "../handsets/handsets.presenter";
import type { TicketExtensions } from "./extensions";
import { Ticket } from "./ticket.entity";
import { appendEvent } from "./tickets.repository";
import { ticketMailOf } from "./ticket-mail";
import { queueAgentReply } from "../outbox/outbox.repository";

/** Ticket statuses that no longer count as open for "who is affected". */
export const SETTLED_STATUSES = ["resolved", "closed"] as const;

function ref(ticket: Ticket): TicketRef {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    handsetId: ticket.handsetId,
    customer: ticket.customer ? { id: ticket.customer.id, name: ticket.customer.name } : null,
  };
}

/**
 * Tickets' side of the TicketHistory port (catalog/ports.ts): what the catalogue, carriers and
 * handsets need of tickets, through tickets' own repository and extensions.
 */
export class TicketHistoryAdapter implements TicketHistory {
  constructor(private readonly extensions: TicketExtensions) {}

  async openTicketsOfVariant(
    em: EntityManager,
    variantId: string,
    withCustomer: boolean,
  ): Promise<TicketRef[]> {
    const tickets = await em.getRepository(Ticket).find({
      where: { status: Not(In([...SETTLED_STATUSES])), handset: { variantId } },
      relations: withCustomer ? { customer: true } : {},
      order: { createdAt: "ASC", id: "ASC" },
    });
    return tickets.map(ref);
  }

  async ticketsOfHandset(
    em: EntityManager,
    handsetId: string,
    notClosed: boolean,
  ): Promise<TicketRef[]> {
    const tickets = await em.getRepository(Ticket).find({
      where: notClosed ? { handsetId, status: Not("closed") } : { handsetId },
      order: { createdAt: "DESC" },
      select: { id: true, number: true, subject: true, status: true, handsetId: true },
    });
    return tickets.map(ref);
  }

  async append(
    em: EntityManager,
    ticketId: string,
    entry: Parameters<TicketHistory["append"]>[2],
    now: Date,
  ): Promise<string> {
    return (await appendEvent(em, ticketId, entry, now)).id;
  }

  changed(em: EntityManager, ticketId: string, now: Date): Promise<void> {
    return this.extensions.changed(em, ticketId, now);
  }

  async verdictBasis(
    em: EntityManager,
    ticketId: string,
  ): ReturnType<TicketHistory["verdictBasis"]> {
    const ticket = await em.getRepository(Ticket).findOne({
      where: { id: ticketId },
      select: { id: true, handsetId: true, verdictAtOpen: true },
    });
    if (ticket === null) {
      return null;
    }
    const variantId = ticket.handsetId ? await findHandsetVariantId(em, ticket.handsetId) : null;
    return { verdictAtOpen: ticket.verdictAtOpen ?? null, variantId };
  }

  async ownedHandsetsOfVariant(
    em: EntityManager,
    variantId: string,
    limit: number,
  ): ReturnType<TicketHistory["ownedHandsetsOfVariant"]> {
    const { handsets, handsetCount, customerCount } = await findOwnedHandsetsOfVariant(
      em,
      variantId,
      limit,
    );
    return {
      handsets: handsets.map((handset) => {
        const imei = primaryImei(handset);
        return {
          id: handset.id,
          customer: handset.customer
            ? { id: handset.customer.id, name: handset.customer.name }
            : null,
          imeiMasked: imei ? maskImei(imei) : null,
          batchId: handset.batchId,
        };
      }),
      handsetCount,
      customerCount,
    };
  }

  async mailPublicMessage(
    em: EntityManager,
    ticketId: string,
    message: { agentName: string; body: string },
    now: Date,
  ): Promise<void> {
    const mail = await ticketMailOf(em, ticketId);
    if (mail !== null) {
      await queueAgentReply(em, { ...mail, ...message, fileNames: [] }, now);
    }
  }
}
