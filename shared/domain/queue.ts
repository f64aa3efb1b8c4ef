import type { Category, Priority, TicketFlag, TicketStatus, WarrantySource } from "./enums";
import { TICKET_FLAGS } from "./enums";
import type { VerdictLevel } from "./verdict";
import { RMA_DISTRIBUTOR_STATES } from "./rma";
import type { RmaState } from "./rma";
import { SLA_AT_RISK_MS } from "./sla";
import type { SlaFilter } from "./sla";

const DAY_MS = 86_400_000;

/**
 * The queue's filters (`GET /api/tickets`), as a list holds them: an empty list, "" or null
 * means "any". The server applies them in SQL (server/src/modules/tickets/ticket-list.repository.ts
 * and views/queue-filters.ts); the console applies them with {@link matchesQueueFilters} to
 * tickets that arrive over the socket. A test runs both on the same tickets
 * (test/integration/queue-filters-agree.test.ts), so the two cannot drift apart.
 */
export interface QueueFilter {
  status: readonly TicketStatus[];
  priority: readonly Priority[];
  category: readonly Category[];
  /** `me`, `none`, an agent's id, or "" for anyone. */
  assignee: string;
  warrantySource: WarrantySource | "";
  q: string;
  sla: SlaFilter | "";
  /** With the distributor for more than this many days. */
  atDistributorDays: number | null;
  rmaState: readonly RmaState[];
  /**
   * The network verdict's level when the ticket was opened (kept on the ticket; the verdict today
   * moves with band profiles and certifications, so a view on it would change under the agent).
   * A ticket opened without a verdict counts as `unknown`.
   */
  verdict: readonly VerdictLevel[];
  /** Tickets carrying any of these flags. */
  flag: readonly TicketFlag[];
}

/** What the predicate reads of a ticket: the fields of a queue row (`TicketDto`). */
export interface QueueRow {
  number: string;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  category: Category;
  customer: { name: string; email: string };
  assignee: { id: string } | null;
  handset: { warrantySource: WarrantySource; model: string | null } | null;
  flags: readonly TicketFlag[];
  verdictAtOpen: { level: VerdictLevel } | null;
  slaDueAt: string | null;
  sla: { breached: boolean; paused: boolean } | null;
  rma: { state: RmaState; distributorSince: string | null } | null;
}

/**
 * Whether a ticket belongs in the list the filters describe. `q` is searched on the server
 * (numbers, IMEIs, emails, words, the handset's model, variant and batch, a flag); here only
 * what the row shows can be checked, so a search that might match something the row does not
 * carry (an IMEI, the handset's variant or batch) answers "unknown". The RMA filters read the
 * row's RMA, the ticket's latest.
 */
export function matchesQueueFilters(
  ticket: QueueRow,
  filters: QueueFilter,
  userId: string,
  now: number,
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
  if (
    filters.verdict.length > 0 &&
    !filters.verdict.includes(ticket.verdictAtOpen?.level ?? "unknown")
  ) {
    return false;
  }
  if (filters.flag.length > 0 && !filters.flag.some((flag) => ticket.flags.includes(flag))) {
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
  const flag = q.replace(/[\s-]+/g, "_");
  if (
    (TICKET_FLAGS as readonly string[]).includes(flag) &&
    ticket.flags.includes(flag as TicketFlag)
  ) {
    return true;
  }
  const model = ticket.handset?.model?.toLowerCase() ?? null;
  if (model !== null && [...q].length > 1 && model.startsWith(q)) {
    return true;
  }
  // The handset's variant, catalogue model or batch may match, and the row does not carry them.
  if (ticket.handset !== null && [...q].length > 1) {
    return "unknown";
  }
  // An identifier (IMEI, serial) may match the handset, which the row does not carry in full.
  return /^[a-z0-9 -]{6,64}$/.test(q) ? "unknown" : false;
}

/** The SLA and RMA filters, as far as the row shows them (the server decides on a fetch). */
function matchesOpsFilters(ticket: QueueRow, filters: QueueFilter, now: number): boolean {
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
