import { EventEmitter } from "node:events";

/** Facts about tickets, announced after their transaction committed. */
export interface TicketFacts {
  "ticket.created": [ticketId: string];
  "ticket.updated": [ticketId: string];
  "ticket.event": [ticketId: string, eventId: string];
  /** The customer replaced the ticket's link: sockets opened with the old one must go. */
  "ticket.link-revoked": [ticketId: string];
  /** A ticket was assigned to an agent, by someone (null: Greydesk), round-robin or not. */
  "ticket.assigned": [
    ticketId: string,
    assigneeId: string,
    by: { id: string; name: string } | null,
    roundRobin: boolean,
  ];
}

/**
 * The single place committed ticket changes are announced. Services call it after the unit of
 * work returned; the realtime publisher (and anything else) listens.
 */
export class TicketNotifier extends EventEmitter<TicketFacts> {}
