import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import { SLA_AT_RISK_MS } from "../../../../shared/contracts/http/sla";
import { RMA_DISTRIBUTOR_STATES } from "../../../../shared/domain/rma";
import type { TicketFilters } from "../../api/tickets";

const DAY_MS = 86_400_000;

/**
 * Whether a ticket from a socket event belongs in the list the filters describe. `q` is searched
 * on the server (numbers, IMEIs, emails, words); here only what the list row shows can be checked,
 * so a search that might match something hidden (an IMEI) answers "unknown".
 */
export function matchesFilters(
  ticket: TicketDto,
  filters: TicketFilters,
  userId: string,
  now: number = Date.now(),
): boolean | "unknown" {
  if (filters.status.length > 0 && !filters.status.includes(ticket.status)) {
    return false;
  }
  if (filters.priority.length > 0 && !filters.priority.includes(ticket.priority)) {
    return false;
  }
  if (filters.category.length > 0 && !filters.category.includes(ticket.category)) {
    return false;
  }
  if (filters.assignee === "me" && ticket.assignee?.id !== userId) {
    return false;
  }
  if (filters.assignee === "none" && ticket.assignee !== null) {
    return false;
  }
  if (
    filters.assignee !== "" &&
    filters.assignee !== "me" &&
    filters.assignee !== "none" &&
    ticket.assignee?.id !== filters.assignee
  ) {
    return false;
  }
  if (!matchesOpsFilters(ticket, filters, now)) {
    return false;
  }
  if (filters.warrantySource !== "" && ticket.handset?.warrantySource !== filters.warrantySource) {
    return false;
  }
  const q = filters.q.trim().toLowerCase();
  if (q === "") {
    return true;
  }
  const number = /^(?:gd-?)?(\d{1,9})$/.exec(q);
  if (number !== null && ticket.number === `GD-${Number(number[1])}`) {
    return true;
  }
  const words = [ticket.subject, ticket.customer.name, ticket.customer.email];
  if (words.some((text) => text.toLowerCase().includes(q))) {
    return true;
  }
  // An identifier (IMEI, serial) may match the handset, which the row does not carry in full.
  return /^[a-z0-9 -]{6,64}$/.test(q) ? "unknown" : false;
}

/** The SLA and RMA filters, as far as the row shows them (the server decides on a fetch). */
function matchesOpsFilters(ticket: TicketDto, filters: TicketFilters, now: number): boolean {
  const sla = ticket.sla;
  const due = ticket.slaDueAt === null ? null : Date.parse(ticket.slaDueAt);
  switch (filters.sla) {
    case "breached":
      if (!(sla?.breached === true || (due !== null && due <= now))) {
        return false;
      }
      break;
    case "at_risk":
      if (sla?.breached === true || due === null || due <= now || due > now + SLA_AT_RISK_MS) {
        return false;
      }
      break;
    case "paused":
      if (sla?.paused !== true) {
        return false;
      }
      break;
    case "":
      break;
  }
  const rma = ticket.rma;
  if (filters.rmaState.length > 0 && (rma === null || !filters.rmaState.includes(rma.state))) {
    return false;
  }
  if (filters.atDistributorDays !== null) {
    const since = rma?.distributorSince ? Date.parse(rma.distributorSince) : null;
    if (
      rma === null ||
      since === null ||
      !RMA_DISTRIBUTOR_STATES.includes(rma.state) ||
      now - since < filters.atDistributorDays * DAY_MS
    ) {
      return false;
    }
  }
  return true;
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
