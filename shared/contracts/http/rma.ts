import { z } from "zod";
import type { ActorType } from "../../domain/enums";
import { Limits } from "../../domain/limits";
import { CURRENCY_PATTERN, RMA_LEG_KINDS, RMA_STATES, RMA_TYPES } from "../../domain/rma";
import type { RmaLegKind, RmaState, RmaType } from "../../domain/rma";
import { textField } from "../../domain/text";
import type { WarrantyStatus } from "../../domain/warranty";
import { imeiField } from "./common";

/** Limits of RMA fields, in code points. */
export const RmaLimits = {
  noteMax: 2000,
  diagnosisMax: 4000,
  courierMax: 60,
  trackingMin: 4,
  trackingMax: 40,
  distributorRefMax: 64,
  /** Ten million in major units: a quote or cost in minor units stays below this. */
  amountMinorMax: 1_000_000_000,
} as const;

const note = textField({ max: RmaLimits.noteMax, multiline: true });
const amount = z
  .number({ error: "must be an amount in minor units (cents)" })
  .int("must be a whole number of minor units (cents)")
  .min(0, "must not be negative")
  .max(RmaLimits.amountMinorMax, "is too large");
const currency = z
  .string({ error: "must be a currency code" })
  .regex(CURRENCY_PATTERN, "must be a three-letter currency code (USD)");

/** A shipment: who carries it and its tracking number. */
export const RmaLegInput = z.strictObject({
  courier: textField({ max: RmaLimits.courierMax }),
  trackingNumber: z
    .string({ error: "must be a tracking number" })
    .trim()
    .regex(
      new RegExp(
        `^[A-Za-z0-9][A-Za-z0-9 -]{${RmaLimits.trackingMin - 2},${RmaLimits.trackingMax - 2}}[A-Za-z0-9]$`,
      ),
      `must be ${RmaLimits.trackingMin} to ${RmaLimits.trackingMax} letters, digits, spaces or dashes`,
    ),
});
export type RmaLegFields = z.output<typeof RmaLegInput>;

/** `POST /api/tickets/:id/rmas`: open an RMA on the ticket's handset. */
export const OpenRmaRequest = z.strictObject({
  type: z.enum(RMA_TYPES, { error: `must be one of ${RMA_TYPES.join(", ")}` }),
  note: note.optional(),
});
export type OpenRmaInput = z.output<typeof OpenRmaRequest>;

/** `POST /api/rmas/:rmaId/transitions`: move an RMA; what the move needs depends on `to`. */
export const RmaTransitionRequest = z.strictObject({
  to: z.enum(RMA_STATES, { error: "must be an RMA state" }),
  /** The state the agent saw: when it moved meanwhile, the answer is 409 and nothing changes. */
  from: z.enum(RMA_STATES, { error: "must be an RMA state" }).optional(),
  note: note.optional(),
  /** Courier and tracking number of the leg this move ships. */
  leg: RmaLegInput.optional(),
  diagnosis: textField({ max: RmaLimits.diagnosisMax, multiline: true }).optional(),
  outcome: textField({ max: RmaLimits.diagnosisMax, multiline: true }).optional(),
  /** The repair quote the customer is asked to accept. */
  quote: z
    .strictObject({
      amountMinor: amount,
      currency,
      description: textField({ max: RmaLimits.noteMax, multiline: true }).optional(),
    })
    .optional(),
  /** The replacement unit: it becomes a new handset linked to the old one. */
  replacement: z
    .strictObject({
      imei: imeiField,
      brand: textField({ max: Limits.brandMax }).optional(),
      model: textField({ max: Limits.modelMax }).optional(),
    })
    .optional(),
});
export type RmaTransitionInput = z.output<typeof RmaTransitionRequest>;

/** `PATCH /api/rmas/:rmaId`: the case's facts. `null` clears a field. */
export const UpdateRmaRequest = z
  .strictObject({
    distributorRef: textField({ max: RmaLimits.distributorRefMax }).nullable().optional(),
    diagnosis: textField({ max: RmaLimits.diagnosisMax, multiline: true }).nullable().optional(),
    outcome: textField({ max: RmaLimits.diagnosisMax, multiline: true }).nullable().optional(),
    costCurrency: currency.nullable().optional(),
    distributorCostMinor: amount.nullable().optional(),
    shippingCostMinor: amount.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateRmaInput = z.output<typeof UpdateRmaRequest>;

/** `:rmaId` and `:kind` path parameters. */
export const RmaParams = z.object({ rmaId: z.uuid() });
export const RmaLegParams = RmaParams.extend({ kind: z.enum(RMA_LEG_KINDS) });

/** `POST /api/portal/tickets/:token/rma/quote`: the customer accepts or declines the quote. */
export const PortalQuoteDecisionRequest = z.strictObject({
  decision: z.enum(["accept", "decline"], { error: "must be accept or decline" }),
});

/** A leg of the return. */
export interface RmaLegDto {
  kind: RmaLegKind;
  courier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  receivedAt: string | null;
}

/** One move of the RMA, with who made it and when (the audit is also on the ticket). */
export interface RmaTransitionDto {
  from: RmaState | null;
  to: RmaState;
  actor: { type: ActorType; id: string | null; name: string | null };
  note: string | null;
  at: string;
}

/** The quote of a paid repair. */
export interface RmaQuoteDto {
  amountMinor: number;
  currency: string;
  description: string | null;
  sentAt: string;
  decision: "accepted" | "declined" | null;
  decidedAt: string | null;
}

/** An RMA as agents see it. */
export interface RmaDto {
  id: string;
  ticketId: string;
  /** "RMA-5001", issued at approval (or when a DOA is reported); null before. */
  number: string | null;
  type: RmaType;
  state: RmaState;
  /** What the agent may do next (the console shows only these). */
  next: RmaState[];
  finished: boolean;
  /** The warranty decision when it was opened. */
  warrantyAtOpen: WarrantyStatus;
  handset: { id: string; imei: string | null };
  /** The unit that replaced it (a new handset linked to the old), once there is one. */
  replacement: {
    id: string;
    imei: string | null;
    brand: string | null;
    model: string | null;
  } | null;
  distributor: { id: string; name: string } | null;
  distributorRef: string | null;
  diagnosis: string | null;
  outcome: string | null;
  quote: RmaQuoteDto | null;
  costs: {
    currency: string | null;
    distributorMinor: number | null;
    shippingMinor: number | null;
  };
  legs: RmaLegDto[];
  history: RmaTransitionDto[];
  /** Since when the unit is with the distributor (or on its way); null when it is not. */
  distributorSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The RMA in the queue's rows. */
export interface TicketRmaSummaryDto {
  id: string;
  number: string | null;
  type: RmaType;
  state: RmaState;
  distributorSince: string | null;
}

/** One step of the timeline a customer sees, in plain words. */
export interface PortalRmaStepDto {
  state: RmaState;
  words: string;
  at: string;
}

/** A shipment to or from the customer (legs to the distributor are the desk's business). */
export interface PortalRmaLegDto {
  direction: "to_us" | "to_you";
  courier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  receivedAt: string | null;
}

/** The customer's view of the RMA on their ticket page. */
export interface PortalRmaView {
  number: string | null;
  /** "Warranty repair", "Paid repair (out of warranty)"... */
  kind: string;
  /** The current step in plain words. */
  now: string;
  finished: boolean;
  steps: PortalRmaStepDto[];
  legs: PortalRmaLegDto[];
  quote: {
    amountMinor: number;
    currency: string;
    /** "USD 129.50". */
    amount: string;
    description: string | null;
    decision: "accepted" | "declined" | null;
    /** Whether the customer can accept or decline it now. */
    open: boolean;
  } | null;
  /** The replacement phone, masked, once there is one. */
  replacement: { imeiMasked: string | null } | null;
}
