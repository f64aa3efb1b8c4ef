import { z } from "zod";
import { RmaLimits } from "../../domain/limits";
import { ACTOR_TYPES } from "../../domain/enums";
import { Limits } from "../../domain/limits";
import { CURRENCY_PATTERN, RMA_LEG_KINDS, RMA_STATES, RMA_TYPES } from "../../domain/rma";
import { textField } from "../../domain/text";
import { WARRANTY_STATUSES } from "../../domain/warranty";
import { isoInstant } from "./domain-schemas";
import { imeiField } from "./common";

// Its limits live with the other field limits (the console counts against them too).
export { RmaLimits } from "../../domain/limits";

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
export const RmaLegDto = z.strictObject({
  kind: z.enum(RMA_LEG_KINDS),
  courier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  shippedAt: isoInstant.nullable(),
  receivedAt: isoInstant.nullable(),
});
export type RmaLegDto = z.output<typeof RmaLegDto>;

/** One move of the RMA, with who made it and when (the audit is also on the ticket). */
export const RmaTransitionDto = z.strictObject({
  from: z.enum(RMA_STATES).nullable(),
  to: z.enum(RMA_STATES),
  actor: z.strictObject({
    type: z.enum(ACTOR_TYPES),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  note: z.string().nullable(),
  at: isoInstant,
});
export type RmaTransitionDto = z.output<typeof RmaTransitionDto>;

const quoteDecision = z.enum(["accepted", "declined"]).nullable();

/** The quote of a paid repair. */
export const RmaQuoteDto = z.strictObject({
  amountMinor: z.number(),
  currency: z.string(),
  description: z.string().nullable(),
  sentAt: isoInstant,
  decision: quoteDecision,
  decidedAt: isoInstant.nullable(),
});
export type RmaQuoteDto = z.output<typeof RmaQuoteDto>;

/** An RMA as agents see it. */
export const RmaDto = z.strictObject({
  id: z.string(),
  ticketId: z.string(),
  /** "RMA-5001", issued at approval (or when a DOA is reported); null before. */
  number: z.string().nullable(),
  type: z.enum(RMA_TYPES),
  state: z.enum(RMA_STATES),
  /** What the agent may do next (the console shows only these). */
  next: z.array(z.enum(RMA_STATES)),
  finished: z.boolean(),
  /** The warranty decision when it was opened. */
  warrantyAtOpen: z.enum(WARRANTY_STATUSES),
  handset: z.strictObject({ id: z.string(), imei: z.string().nullable() }),
  /** The unit that replaced it (a new handset linked to the old), once there is one. */
  replacement: z
    .strictObject({
      id: z.string(),
      imei: z.string().nullable(),
      brand: z.string().nullable(),
      model: z.string().nullable(),
    })
    .nullable(),
  distributor: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  distributorRef: z.string().nullable(),
  diagnosis: z.string().nullable(),
  outcome: z.string().nullable(),
  quote: RmaQuoteDto.nullable(),
  costs: z.strictObject({
    currency: z.string().nullable(),
    distributorMinor: z.number().nullable(),
    shippingMinor: z.number().nullable(),
  }),
  legs: z.array(RmaLegDto),
  history: z.array(RmaTransitionDto),
  /** Since when the unit is with the distributor (or on its way); null when it is not. */
  distributorSince: isoInstant.nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type RmaDto = z.output<typeof RmaDto>;

/** The RMA in the queue's rows. */
export const TicketRmaSummaryDto = z.strictObject({
  id: z.string(),
  number: z.string().nullable(),
  type: z.enum(RMA_TYPES),
  state: z.enum(RMA_STATES),
  distributorSince: isoInstant.nullable(),
});
export type TicketRmaSummaryDto = z.output<typeof TicketRmaSummaryDto>;

/** One step of the timeline a customer sees, in plain words. */
export const PortalRmaStepDto = z.strictObject({
  state: z.enum(RMA_STATES),
  words: z.string(),
  at: isoInstant,
});
export type PortalRmaStepDto = z.output<typeof PortalRmaStepDto>;

/** A shipment to or from the customer (legs to the distributor are the desk's business). */
export const PortalRmaLegDto = z.strictObject({
  direction: z.enum(["to_us", "to_you"]),
  courier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  shippedAt: isoInstant.nullable(),
  receivedAt: isoInstant.nullable(),
});
export type PortalRmaLegDto = z.output<typeof PortalRmaLegDto>;

/** The customer's view of the RMA on their ticket page. */
export const PortalRmaView = z.strictObject({
  number: z.string().nullable(),
  /** "Warranty repair", "Paid repair (out of warranty)"... */
  kind: z.string(),
  /** The current step in plain words. */
  now: z.string(),
  finished: z.boolean(),
  steps: z.array(PortalRmaStepDto),
  legs: z.array(PortalRmaLegDto),
  quote: z
    .strictObject({
      amountMinor: z.number(),
      currency: z.string(),
      /** "USD 129.50". */
      amount: z.string(),
      description: z.string().nullable(),
      decision: quoteDecision,
      /** Whether the customer can accept or decline it now. */
      open: z.boolean(),
    })
    .nullable(),
  /** The replacement phone, masked, once there is one. */
  replacement: z.strictObject({ imeiMasked: z.string().nullable() }).nullable(),
});
export type PortalRmaView = z.output<typeof PortalRmaView>;

/** `GET /api/tickets/:id/rmas`. */
export const RmaListResponse = z.strictObject({ rmas: z.array(RmaDto) });
/** One RMA, as every RMA route that changes or shows one answers. */
export const RmaResponse = z.strictObject({ rma: RmaDto });
/** `POST /api/portal/tickets/:token/rma/quote`: the customer's view after their answer. */
export const PortalRmaResponse = z.strictObject({ rma: PortalRmaView });

/** Request bodies as a client sends them. */
export type RmaTransitionBody = z.input<typeof RmaTransitionRequest>;
export type UpdateRmaBody = z.input<typeof UpdateRmaRequest>;
