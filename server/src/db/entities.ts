import { SessionRow } from "../auth/session.entity";
import { Agent } from "../modules/agents/agent.entity";
import { Customer } from "../modules/customers/customer.entity";
import { Handset } from "../modules/handsets/handset.entity";
import { HandsetIdentifier } from "../modules/handsets/handset-identifier.entity";
import { Ticket } from "../modules/tickets/ticket.entity";
import { TicketEvent } from "../modules/tickets/ticket-event.entity";

/** Every entity of the application, in one list for the DataSource. */
export const entities = [
  Agent,
  Customer,
  Handset,
  HandsetIdentifier,
  SessionRow,
  Ticket,
  TicketEvent,
];
