import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { insertRow } from "../../db/rows";
import { OutboxMessage } from "./outbox.entity";

export interface TicketLinkMessage {
  ticketId: string;
  recipient: string;
  name: string;
  number: string;
  subject: string;
  url: string;
}

/**
 * Queues the message that carries a ticket's private link to its customer, in the same
 * transaction as the ticket (or the new link), so the link is never lost.
 */
export async function queueTicketLink(
  em: EntityManager,
  input: TicketLinkMessage,
  now: Date,
): Promise<void> {
  await insertRow(em, OutboxMessage, ticketLinkMessage(input, now));
}

/** The outbox row of a ticket-link message, not yet written. */
export function ticketLinkMessage(input: TicketLinkMessage, now: Date): OutboxMessage {
  return Object.assign(new OutboxMessage(), {
    id: randomUUID(),
    kind: "ticket_link",
    ticketId: input.ticketId,
    recipient: input.recipient,
    subject: `Your support ticket ${input.number}`,
    body:
      `Hello ${input.name},\n\nWe have your ticket ${input.number} ("${input.subject}").\n` +
      `Follow it, reply and add photos here (keep this link private):\n\n${input.url}\n`,
    createdAt: now,
    sentAt: null,
  } satisfies OutboxMessage);
}
