/**
 * Returns (RMA) to the distributor: the state machine of docs/DOMAIN.md ("Returns"), pure and
 * isomorphic, so the server enforces it and the console shows only the moves it allows.
 */
import type { TicketStatus } from "./enums";
import type { WarrantyStatus } from "./warranty";

/** What kind of return it is. */
export const RMA_TYPES = [
  "doa_advance_replacement",
  "warranty_repair",
  "paid_repair",
  "return_refund",
] as const;
export type RmaType = (typeof RMA_TYPES)[number];

/** Every state of a return, lower-cased for the wire. */
export const RMA_STATES = [
  "requested",
  "approved",
  "rejected",
  "awaiting_device",
  "received",
  "diagnosed",
  "no_fault_found",
  "customer_damage",
  "quote_sent",
  "quote_accepted",
  "covered_defect",
  "sent_to_distributor",
  "customs_hold",
  "at_distributor",
  "repaired",
  "replaced",
  "denied",
  "return_shipped_to_desk",
  "qa_passed",
  "return_to_customer",
  "delivered",
  "closed",
  "refunded",
  "doa_reported",
  "advance_replacement_shipped",
  "defective_received",
  "credit_claimed",
] as const;
export type RmaState = (typeof RMA_STATES)[number];

/**
 * The machine, edge by edge (docs/DOMAIN.md, "Returns"). Two of its edges are choices of ours: a
 * sent quote is either accepted (then the unit goes to the distributor) or declined (the unit goes
 * back to the customer unrepaired); REFUNDED, an end, follows DIAGNOSED (the returned unit
 * inspected). CUSTOMS_HOLD is optional on the way out.
 */
export const RMA_TRANSITIONS: Record<RmaState, readonly RmaState[]> = {
  requested: ["approved", "rejected"],
  approved: ["awaiting_device"],
  rejected: [],
  awaiting_device: ["received"],
  received: ["diagnosed"],
  diagnosed: ["no_fault_found", "customer_damage", "covered_defect", "refunded"],
  no_fault_found: ["return_to_customer"],
  customer_damage: ["quote_sent"],
  quote_sent: ["quote_accepted", "return_to_customer"],
  quote_accepted: ["sent_to_distributor"],
  covered_defect: ["sent_to_distributor"],
  sent_to_distributor: ["customs_hold", "at_distributor"],
  customs_hold: ["at_distributor"],
  at_distributor: ["repaired", "replaced", "denied"],
  repaired: ["return_shipped_to_desk"],
  replaced: ["return_shipped_to_desk"],
  denied: ["return_shipped_to_desk"],
  return_shipped_to_desk: ["qa_passed"],
  qa_passed: ["return_to_customer"],
  return_to_customer: ["delivered"],
  delivered: ["closed"],
  closed: [],
  refunded: [],
  doa_reported: ["advance_replacement_shipped"],
  advance_replacement_shipped: ["defective_received"],
  defective_received: ["credit_claimed"],
  credit_claimed: ["closed"],
};

/** Where each type of RMA starts. */
export const RMA_INITIAL_STATE: Record<RmaType, RmaState> = {
  doa_advance_replacement: "doa_reported",
  warranty_repair: "requested",
  paid_repair: "requested",
  return_refund: "requested",
};

const DOA_STATES: readonly RmaState[] = [
  "doa_reported",
  "advance_replacement_shipped",
  "defective_received",
  "credit_claimed",
];

/**
 * The states each type may pass through (the machine is one graph; a type walks part of it).
 * A DOA is the advance-replacement chain; a paid repair is never a covered defect (it reaches
 * the distributor only through an accepted quote); only a return-and-refund ends in REFUNDED.
 */
export function rmaTypeAllows(type: RmaType, state: RmaState): boolean {
  switch (type) {
    case "doa_advance_replacement":
      return DOA_STATES.includes(state) || state === "closed";
    case "warranty_repair":
      return !DOA_STATES.includes(state) && state !== "refunded";
    case "paid_repair":
      return !DOA_STATES.includes(state) && state !== "refunded" && state !== "covered_defect";
    case "return_refund":
      return [
        "requested",
        "approved",
        "rejected",
        "awaiting_device",
        "received",
        "diagnosed",
        "refunded",
      ].includes(state);
  }
}

/** Who moves an RMA: agents in the console, or the customer on their ticket page. */
export type RmaActor = "agent" | "customer";

/**
 * Moves only the customer makes: accepting a quote is theirs, on their ticket page. (Declining
 * one is recorded on the quote; the desk then ships the unit back, a move with tracking.)
 */
export const CUSTOMER_ONLY_STATES: readonly RmaState[] = ["quote_accepted"];

/** The states an RMA of `type` in `state` may move to next, for `actor`. */
export function nextRmaStates(
  type: RmaType,
  state: RmaState,
  actor: RmaActor = "agent",
): RmaState[] {
  return RMA_TRANSITIONS[state].filter(
    (next) =>
      rmaTypeAllows(type, next) &&
      (actor === "customer"
        ? CUSTOMER_ONLY_STATES.includes(next)
        : !CUSTOMER_ONLY_STATES.includes(next)),
  );
}

/** Whether `actor` may move an RMA of `type` from `from` to `to`. */
export function canMoveRma(type: RmaType, from: RmaState, to: RmaState, actor: RmaActor): boolean {
  return nextRmaStates(type, from, actor).includes(to);
}

/** Ends: nothing follows. */
export function isRmaFinished(state: RmaState): boolean {
  return RMA_TRANSITIONS[state].length === 0;
}

/** States in which the unit is with the distributor (or on its way there). */
export const RMA_DISTRIBUTOR_STATES: readonly RmaState[] = [
  "sent_to_distributor",
  "customs_hold",
  "at_distributor",
  "repaired",
  "replaced",
  "denied",
];

/** The legs of a return, each with its own courier, tracking number and times. */
export const RMA_LEG_KINDS = [
  "customer_to_desk",
  "desk_to_distributor",
  "distributor_to_desk",
  "desk_to_customer",
] as const;
export type RmaLegKind = (typeof RMA_LEG_KINDS)[number];

/** Entering these states ships a leg: the move must name its courier and tracking number. */
export const RMA_LEG_SHIPPED_BY: Partial<Record<RmaState, RmaLegKind>> = {
  sent_to_distributor: "desk_to_distributor",
  return_shipped_to_desk: "distributor_to_desk",
  return_to_customer: "desk_to_customer",
  advance_replacement_shipped: "desk_to_customer",
};

/** Entering these states means a leg arrived. */
export const RMA_LEG_RECEIVED_BY: Partial<Record<RmaState, RmaLegKind>> = {
  received: "customer_to_desk",
  at_distributor: "desk_to_distributor",
  qa_passed: "distributor_to_desk",
  delivered: "desk_to_customer",
  defective_received: "customer_to_desk",
};

/**
 * The ticket status an RMA state puts its ticket in, when the ticket workflow allows the move:
 * waiting on the customer or on the distributor pauses the SLA clock; the unit back at the desk
 * is work again; the unit delivered (or the money refunded) resolves the ticket.
 */
export const RMA_TICKET_STATUS: Partial<Record<RmaState, TicketStatus>> = {
  awaiting_device: "pending_customer",
  received: "open",
  quote_sent: "pending_customer",
  quote_accepted: "open",
  sent_to_distributor: "pending_distributor",
  qa_passed: "open",
  return_to_customer: "pending_customer",
  delivered: "resolved",
  refunded: "resolved",
  advance_replacement_shipped: "pending_customer",
  defective_received: "open",
  credit_claimed: "pending_distributor",
};

/** What a move to `to` must carry, besides an optional note. */
export interface RmaMoveNeeds {
  /** Courier and tracking number of the leg it ships. */
  leg: RmaLegKind | null;
  diagnosis: boolean;
  quote: boolean;
  /** The replacement unit's IMEI (a new handset linked to the old one). */
  replacement: boolean;
  /** A reason, for refusals. */
  note: boolean;
}

/** What a move to `to` must carry (the server checks it; the console asks for it). */
export function rmaMoveNeeds(to: RmaState): RmaMoveNeeds {
  return {
    leg: RMA_LEG_SHIPPED_BY[to] ?? null,
    diagnosis: to === "diagnosed",
    quote: to === "quote_sent",
    replacement: to === "replaced" || to === "advance_replacement_shipped",
    note: to === "rejected" || to === "denied",
  };
}

/** Agents' labels. */
export const RMA_STATE_LABELS: Record<RmaState, string> = {
  requested: "Requested",
  approved: "Approved",
  rejected: "Rejected",
  awaiting_device: "Awaiting device",
  received: "Received",
  diagnosed: "Diagnosed",
  no_fault_found: "No fault found",
  customer_damage: "Not covered (quote)",
  quote_sent: "Quote sent",
  quote_accepted: "Quote accepted",
  covered_defect: "Covered defect",
  sent_to_distributor: "Sent to distributor",
  customs_hold: "Customs hold",
  at_distributor: "At distributor",
  repaired: "Repaired",
  replaced: "Replaced",
  denied: "Denied by distributor",
  return_shipped_to_desk: "Shipped back to desk",
  qa_passed: "QA passed",
  return_to_customer: "Returning to customer",
  delivered: "Delivered",
  closed: "Closed",
  refunded: "Refunded",
  doa_reported: "DOA reported",
  advance_replacement_shipped: "Replacement shipped",
  defective_received: "Defective unit received",
  credit_claimed: "Credit claimed",
};

export const RMA_TYPE_LABELS: Record<RmaType, string> = {
  doa_advance_replacement: "DOA advance replacement",
  warranty_repair: "Warranty repair",
  paid_repair: "Paid repair (out of warranty)",
  return_refund: "Return and refund",
};

export const RMA_LEG_LABELS: Record<RmaLegKind, string> = {
  customer_to_desk: "Customer → desk",
  desk_to_distributor: "Desk → distributor",
  distributor_to_desk: "Distributor → desk",
  desk_to_customer: "Desk → customer",
};

/**
 * The customer's words for each state, for the timeline on their ticket page. Null: a step of the
 * desk's own bookkeeping the customer does not need to read about.
 */
export const RMA_CUSTOMER_WORDS: Record<RmaState, string | null> = {
  requested: "We have asked for a return for your phone.",
  approved: "Your return is approved.",
  rejected: "We could not accept this return.",
  awaiting_device: "Please send us your phone.",
  received: "We have received your phone.",
  diagnosed: "We have checked your phone.",
  no_fault_found: "We found no fault with your phone.",
  customer_damage: "The repair is not covered by the warranty.",
  quote_sent: "We have sent you a quote for the repair.",
  quote_accepted: "You accepted the quote.",
  covered_defect: "The fault is covered by the warranty.",
  sent_to_distributor: "Your phone is on its way to the repair centre.",
  customs_hold: "Your phone is held at customs on its way to the repair centre.",
  at_distributor: "Your phone is at the repair centre.",
  repaired: "Your phone has been repaired.",
  replaced: "The repair centre is replacing your phone.",
  denied: "The repair centre could not repair your phone.",
  return_shipped_to_desk: "Your phone is on its way back to us.",
  qa_passed: "We have checked the phone that came back.",
  return_to_customer: "Your phone is on its way back to you.",
  delivered: "Your phone has been delivered.",
  closed: "Your return is complete.",
  refunded: "We have refunded you.",
  doa_reported: "We have logged your phone as dead on arrival.",
  advance_replacement_shipped: "Your replacement phone is on its way.",
  defective_received: "We have received the faulty phone.",
  credit_claimed: null,
};

/** An RMA number as shown: 5001 -> "RMA-5001". */
export function rmaNumberLabel(number: number): string {
  return `RMA-${number}`;
}

/** Currencies a cost or quote may be in (ISO 4217 codes). */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** An amount in minor units as people read it: 12950 "USD" -> "USD 129.50". */
export function formatMoney(amountMinor: number, currency: string): string {
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  return `${sign}${currency} ${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * The RMA types a warranty decision allows: without cover, nothing but a paid repair. The server
 * refuses any other (409); the console offers only these.
 */
export const RMA_TYPES_FOR: Record<WarrantyStatus, readonly RmaType[]> = {
  doa: ["doa_advance_replacement", "warranty_repair", "paid_repair", "return_refund"],
  covered: ["warranty_repair", "paid_repair", "return_refund"],
  not_covered: ["paid_repair"],
  pending: ["paid_repair"],
};
