import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import { matchesQueueFilters } from "../../../../shared/domain/queue";
import type { TicketFilters } from "../../api/tickets";

/**
 * Whether a ticket from a socket event belongs in the list the filters describe: the queue's
 * one predicate (shared/domain/queue.ts), the same rules the server's listing applies.
 */
export function matchesFilters(
  ticket: TicketDto,
  filters: TicketFilters,
  userId: string,
  now: number = Date.now(),
): boolean | "unknown" {
  return matchesQueueFilters(ticket, filters, userId, now);
}

/** The value the list is sorted by, in ms (no SLA due date sorts last). */
export function sortValue(ticket: TicketDto, sort: TicketFilters["sort"]): number {
  if (sort === "sla_asc") {
    return ticket.slaDueAt === null ? Infinity : Date.parse(ticket.slaDueAt);
  }
  return Date.parse(sort.startsWith("updated") ? ticket.updatedAt : ticket.createdAt);
}

/**
 * Where a ticket goes in a list sorted by `sort` (ties by id, as the server pages them), or -1
 * when it belongs after the loaded part and a next page exists (the next page will bring it).
 */
export function insertionIndex(
  items: readonly TicketDto[],
  ticket: TicketDto,
  sort: TicketFilters["sort"],
  hasMore: boolean,
): number {
  const descending = sort.endsWith("_desc");
  const value = sortValue(ticket, sort);
  const before = (other: TicketDto): boolean => {
    const otherValue = sortValue(other, sort);
    if (value !== otherValue) {
      return descending ? value > otherValue : value < otherValue;
    }
    return descending ? ticket.id > other.id : ticket.id < other.id;
  };
  const index = items.findIndex(before);
  if (index === -1) {
    return hasMore ? -1 : items.length;
  }
  return index;
}
