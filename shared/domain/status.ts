import type { TicketStatus } from "./enums";

const WORKING: TicketStatus[] = [
  "open",
  "pending_customer",
  "pending_internal",
  "pending_distributor",
];

/**
 * Where a ticket may go from each status. Nothing returns to `new`; `closed` is final (a customer
 * with more to say opens a new ticket); a resolved ticket can be reopened or closed.
 */
export const STATUS_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: [...WORKING, "resolved", "closed"],
  open: ["pending_customer", "pending_internal", "pending_distributor", "resolved", "closed"],
  pending_customer: ["open", "pending_internal", "pending_distributor", "resolved", "closed"],
  pending_internal: ["open", "pending_customer", "pending_distributor", "resolved", "closed"],
  pending_distributor: ["open", "pending_customer", "pending_internal", "resolved", "closed"],
  resolved: ["open", "closed"],
  closed: [],
};

/** Whether a ticket may move from `from` to `to` (staying put is always allowed). */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}
