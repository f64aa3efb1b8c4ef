import type { EntityManager } from "typeorm";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type { TicketMail } from "../outbox/outbox.repository";
import { Ticket } from "./ticket.entity";
import { contactOf } from "./tickets.presenter";

/** The ticket's customer, number and subject, as its emails name them; null: no such ticket. */
export async function ticketMailOf(
  em: EntityManager,
  ticketId: string,
): Promise<TicketMail | null> {
  const ticket = await em
    .getRepository(Ticket)
    .findOne({ where: { id: ticketId }, relations: { customer: true } });
  if (ticket === null || ticket.customer === undefined) {
    return null;
  }
  return {
    ticketId,
    recipient: ticket.customer.email,
    name: contactOf(ticket, ticket.customer).name,
    number: ticketNumberLabel(ticket.number),
    subject: ticket.subject,
  };
}
