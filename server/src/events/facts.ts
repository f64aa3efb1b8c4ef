import { EventEmitter } from "node:events";

/**
 * Facts about tickets, announced after their transaction committed. Any module may publish one;
 * listeners (the realtime publisher, assignment's round robin) react to them. See
 * docs/ARCHITECTURE.md, "Facts and the one publisher".
 */
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
 * The typed fact bus: the single place committed changes are announced. Services publish after
 * the unit of work returned (never inside it, so a rolled-back change is never announced); the
 * realtime publisher and any other part listen. It lives outside modules/ so that every module
 * can publish without depending on another.
 */
export class TicketNotifier extends EventEmitter<TicketFacts> {}
