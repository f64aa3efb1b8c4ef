import type { EntityManager, SelectQueryBuilder } from "typeorm";
import type { ListTicketsInput } from "../../../../shared/contracts/http/agent-tickets";
import type { Statement } from "../../db/dialect";
import type { Ticket } from "./ticket.entity";
import type { TicketChannel } from "./ticket.entity";
import type { TicketExtras } from "./tickets.presenter";

/** What a ticket being opened tells an extension. */
export interface OpeningTicket {
  id: string;
  channel: TicketChannel;
  priority: Ticket["priority"];
  category: Ticket["category"];
}

/** What an extension adds to a ticket being opened. */
export interface OpeningContribution {
  /** The queue's order key (the next SLA due date), when the extension keeps one. */
  slaDueAt?: Date | null;
  /** Rows written with the ticket, in the same round of writes, after the ticket's own. */
  writes: Statement[];
  /** Work after those writes, in the same unit of work. */
  after?: (em: EntityManager) => Promise<void>;
}

/**
 * The extension point tickets owns: modules that add to a ticket (SLA clocks, RMAs) register here
 * in the composition root rather than being imported by tickets, so tickets stays below them in
 * the module order (docs/ARCHITECTURE.md, "Module order"). Every hook runs inside the caller's
 * unit of work.
 */
export interface TicketExtension {
  /** What the extension shows on each of these tickets' queue rows. */
  extras?(em: EntityManager, ticketIds: string[], now: Date): Promise<(id: string) => TicketExtras>;
  /** A ticket's status, priority, category or public conversation changed. */
  changed?(em: EntityManager, ticketId: string, now: Date): Promise<void>;
  /** Narrows the queue (alias `t`) by the extension's own filters of the request. */
  filter?(
    qb: SelectQueryBuilder<Ticket>,
    filter: ListTicketsInput,
    now: Date,
    dateParam: (date: Date) => Date | string,
  ): void;
  /**
   * A ticket is being opened: the extension's reads (run with the opening's other reads), then
   * what it adds to the ticket.
   */
  opening?(
    em: EntityManager,
    ticket: Pick<OpeningTicket, "priority" | "category">,
  ): Promise<(ticket: OpeningTicket, now: Date) => OpeningContribution>;
}

/** The registered extensions, in registration order. */
export class TicketExtensions {
  private readonly list: TicketExtension[] = [];

  register(extension: TicketExtension): this {
    this.list.push(extension);
    return this;
  }

  async extras(em: EntityManager, ids: string[], now: Date): Promise<(id: string) => TicketExtras> {
    const parts: ((id: string) => TicketExtras)[] = [];
    for (const extension of this.list) {
      if (extension.extras) {
        parts.push(await extension.extras(em, ids, now));
      }
    }
    return (id) => Object.assign({}, ...parts.map((part) => part(id))) as TicketExtras;
  }

  async changed(em: EntityManager, ticketId: string, now: Date): Promise<void> {
    for (const extension of this.list) {
      await extension.changed?.(em, ticketId, now);
    }
  }

  filter(
    qb: SelectQueryBuilder<Ticket>,
    filter: ListTicketsInput,
    now: Date,
    dateParam: (date: Date) => Date | string,
  ): void {
    for (const extension of this.list) {
      extension.filter?.(qb, filter, now, dateParam);
    }
  }

  /** The extensions' reads for opening a ticket; each result gives its contribution. */
  opening(
    em: EntityManager,
    ticket: Pick<OpeningTicket, "priority" | "category">,
  ): Promise<((ticket: OpeningTicket, now: Date) => OpeningContribution)[]> {
    return Promise.all(
      this.list.flatMap((extension) => (extension.opening ? [extension.opening(em, ticket)] : [])),
    );
  }
}
