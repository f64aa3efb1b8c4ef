import type {
  PortalRmaLegDto,
  PortalRmaView,
  RmaDto,
  TicketRmaSummaryDto,
} from "../../../../shared/contracts/http/rma";
import { maskImei } from "../../../../shared/domain/imei";
import {
  RMA_CUSTOMER_WORDS,
  formatMoney,
  isRmaFinished,
  nextRmaStates,
  rmaNumberLabel,
} from "../../../../shared/domain/rma";
import type { RmaType } from "../../../../shared/domain/rma";
import { primaryImei } from "../tickets/tickets.presenter";
import type { EntityManager } from "typeorm";
import type { Rma } from "./rma.entity";
import { findRmasForTicket } from "./rma.repository";

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** An RMA as agents see it; needs legs, transitions, handsets and distributor loaded. */
export function presentRma(rma: Rma): RmaDto {
  const replacement = rma.replacementHandset ?? null;
  return {
    id: rma.id,
    ticketId: rma.ticketId,
    number: rma.number === null ? null : rmaNumberLabel(rma.number),
    type: rma.type,
    state: rma.state,
    next: nextRmaStates(rma.type, rma.state, "agent"),
    finished: isRmaFinished(rma.state),
    warrantyAtOpen: rma.warrantyAtOpen,
    handset: { id: rma.handsetId, imei: rma.handset ? primaryImei(rma.handset) : null },
    replacement: replacement
      ? {
          id: replacement.id,
          imei: primaryImei(replacement),
          brand: replacement.brand,
          model: replacement.model,
        }
      : null,
    distributor: rma.distributor ? { id: rma.distributor.id, name: rma.distributor.name } : null,
    distributorRef: rma.distributorRef,
    diagnosis: rma.diagnosis,
    outcome: rma.outcome,
    quote:
      rma.quoteAmountMinor !== null && rma.quoteCurrency !== null && rma.quoteSentAt !== null
        ? {
            amountMinor: rma.quoteAmountMinor,
            currency: rma.quoteCurrency,
            description: rma.quoteDescription,
            sentAt: rma.quoteSentAt.toISOString(),
            decision: rma.quoteDecision,
            decidedAt: iso(rma.quoteDecidedAt),
          }
        : null,
    costs: {
      currency: rma.costCurrency,
      distributorMinor: rma.distributorCostMinor,
      shippingMinor: rma.shippingCostMinor,
    },
    legs: (rma.legs ?? [])
      .map((leg) => ({
        kind: leg.kind,
        courier: leg.courier,
        trackingNumber: leg.trackingNumber,
        shippedAt: iso(leg.shippedAt),
        receivedAt: iso(leg.receivedAt),
      }))
      .sort((a, b) => (a.shippedAt ?? "~").localeCompare(b.shippedAt ?? "~")),
    history: [...(rma.transitions ?? [])]
      .sort((a, b) => a.seq - b.seq)
      .map((move) => ({
        from: move.fromState,
        to: move.toState,
        actor: { type: move.actorType, id: move.actorId, name: move.actorName },
        note: move.note,
        at: move.createdAt.toISOString(),
      })),
    distributorSince: iso(rma.distributorSince),
    createdAt: rma.createdAt.toISOString(),
    updatedAt: rma.updatedAt.toISOString(),
  };
}

/** The RMA in a queue row. */
export function presentRmaSummary(rma: Rma): TicketRmaSummaryDto {
  return {
    id: rma.id,
    number: rma.number === null ? null : rmaNumberLabel(rma.number),
    type: rma.type,
    state: rma.state,
    distributorSince: iso(rma.distributorSince),
  };
}

const CUSTOMER_KIND: Record<RmaType, string> = {
  doa_advance_replacement: "Replacement of a phone that arrived faulty",
  warranty_repair: "Warranty repair",
  paid_repair: "Paid repair",
  return_refund: "Return and refund",
};

/**
 * The RMA as its customer sees it: steps in plain words with their times, the shipments to and
 * from them with tracking, the quote to accept. No notes, no costs, no distributor business.
 */
export function presentPortalRma(rma: Rma): PortalRmaView {
  const steps = [...(rma.transitions ?? [])]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((move) => {
      const words = RMA_CUSTOMER_WORDS[move.toState];
      return words === null
        ? []
        : [{ state: move.toState, words, at: move.createdAt.toISOString() }];
    });
  const legs: PortalRmaLegDto[] = (rma.legs ?? []).flatMap((leg) => {
    const direction =
      leg.kind === "customer_to_desk" ? "to_us" : leg.kind === "desk_to_customer" ? "to_you" : null;
    return direction === null
      ? []
      : [
          {
            direction,
            courier: leg.courier,
            trackingNumber: leg.trackingNumber,
            shippedAt: iso(leg.shippedAt),
            receivedAt: iso(leg.receivedAt),
          },
        ];
  });
  const replacementImei = rma.replacementHandset ? primaryImei(rma.replacementHandset) : null;
  return {
    number: rma.number === null ? null : rmaNumberLabel(rma.number),
    kind: CUSTOMER_KIND[rma.type],
    now: RMA_CUSTOMER_WORDS[rma.state] ?? steps[steps.length - 1]?.words ?? "",
    finished: isRmaFinished(rma.state),
    steps,
    legs,
    quote:
      rma.quoteAmountMinor !== null && rma.quoteCurrency !== null
        ? {
            amountMinor: rma.quoteAmountMinor,
            currency: rma.quoteCurrency,
            amount: formatMoney(rma.quoteAmountMinor, rma.quoteCurrency),
            description: rma.quoteDescription,
            decision: rma.quoteDecision,
            open: rma.state === "quote_sent" && rma.quoteDecision === null,
          }
        : null,
    replacement: rma.replacementHandset
      ? { imeiMasked: replacementImei ? maskImei(replacementImei) : null }
      : null,
  };
}

/** The customer's view of a ticket's latest RMA, or null when it has none. */
export async function latestPortalRma(
  em: EntityManager,
  ticketId: string,
): Promise<PortalRmaView | null> {
  const latest = (await findRmasForTicket(em, ticketId))[0];
  return latest === undefined ? null : presentPortalRma(latest);
}
