import { EventEmitter } from "node:events";

/** Facts about tickets, announced after their transaction committed. */
export interface TicketFacts {
  "ticket.created": [ticketId: string];
  "ticket.updated": [ticketId: string];
  "ticket.event": [ticketId: string, eventId: string];
}

/**
 * The single place committed ticket changes are announced. Services call it after the unit of
 * work returned; the realtime publisher (and anything else) listens.
 */
export class TicketNotifier extends EventEmitter<TicketFacts> {}
