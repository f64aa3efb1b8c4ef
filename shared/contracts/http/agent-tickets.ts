import { z } from "zod";
import {
  CATEGORIES,
  PRIORITIES,
  TICKET_FLAGS,
  TICKET_STATUSES,
  VOID_REASONS,
  WARRANTY_SOURCES,
} from "../../domain/enums";
import { Limits } from "../../domain/limits";
import { VERDICT_LEVELS } from "../../domain/verdict";
import { RMA_STATES } from "../../domain/rma";
import { searchField, textField } from "../../domain/text";
import {
  emailField,
  formBoolean,
  formCount,
  imeiField,
  isoDateField,
  phoneField,
  uuidField,
} from "./common";
import { SLA_FILTERS } from "./sla";

/** The orders the queue can be listed in; anything else is refused. */
export const TICKET_SORTS = [
  "updated_desc",
  "updated_asc",
  "created_desc",
  "created_asc",
  /** Soonest SLA due date first (overdue first of all); tickets without a running clock last. */
  "sla_asc",
] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

const oneOrMany = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z
    .string({ error: `must be ${label}` })
    .transform((raw) => raw.split(",").map((value) => value.trim()))
    .pipe(z.array(z.enum(values, { error: `must be ${label}` })).min(1));

/** `GET /api/tickets` query. Lists may be comma-separated (`status=new,open`). */
export const ListTicketsQuery = z.strictObject({
  status: oneOrMany(TICKET_STATUSES, "ticket statuses").optional(),
  priority: oneOrMany(PRIORITIES, "priorities").optional(),
  category: oneOrMany(CATEGORIES, "categories").optional(),
  assignee: z
    .union([z.literal("me"), z.literal("none"), uuidField], {
      error: "must be me, none or an agent id",
    })
    .optional(),
  warrantySource: z.enum(WARRANTY_SOURCES, { error: "must be carrier or none" }).optional(),
  q: searchField(200).optional(),
  /** SLA state: `breached` (a target missed), `at_risk` (due within the hour), `paused`. */
  sla: z.enum(SLA_FILTERS, { error: `must be one of ${SLA_FILTERS.join(", ")}` }).optional(),
  /** With the distributor (an RMA sent there) for more than this many days. */
  atDistributorDays: z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number of days")
    .transform(Number)
    .pipe(z.number().int().min(1).max(3650))
    .optional(),
  rmaState: oneOrMany(RMA_STATES, "RMA states").optional(),
  /** The network verdict's level when the ticket was opened (none kept: `unknown`). */
  verdict: oneOrMany(VERDICT_LEVELS, "verdict levels").optional(),
  /** Tickets carrying any of these flags. */
  flag: oneOrMany(TICKET_FLAGS, "ticket flags").optional(),
  sort: z
    .enum(TICKET_SORTS, { error: `must be one of ${TICKET_SORTS.join(", ")}` })
    .default("updated_desc"),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(Limits.pageSizeMax))
    .default(Limits.pageSizeDefault),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "is not a cursor from this list")
    .optional(),
});
export type ListTicketsInput = z.output<typeof ListTicketsQuery>;

/** `GET /api/tickets/:id/events` query: which page of the history. */
export const TicketEventsQuery = z.strictObject({
  before: z.uuid({ error: "is not a cursor from this ticket's history" }).optional(),
});

/** `POST /api/tickets`: an agent opens a ticket on a customer's behalf. */
export const AgentCreateTicketRequest = z.strictObject({
  customer: z.strictObject({
    email: emailField,
    name: textField({ max: Limits.nameMax }),
    phone: phoneField.optional(),
  }),
  imei: imeiField.optional(),
  brand: textField({ max: Limits.brandMax }).optional(),
  model: textField({ max: Limits.modelMax }).optional(),
  category: z.enum(CATEGORIES, { error: "must be one of the listed categories" }),
  priority: z.enum(PRIORITIES, { error: "must be low, normal, high or urgent" }).default("normal"),
  subject: textField({ max: Limits.subjectMax }),
  description: textField({ max: Limits.descriptionMax, multiline: true }),
  assigneeId: uuidField.nullable().optional(),
});
export type AgentCreateTicketInput = z.output<typeof AgentCreateTicketRequest>;

/** `PATCH /api/tickets/:id`. Only these fields; anything else is refused. */
export const UpdateTicketRequest = z
  .strictObject({
    status: z.enum(TICKET_STATUSES, { error: "must be a ticket status" }).optional(),
    priority: z.enum(PRIORITIES, { error: "must be low, normal, high or urgent" }).optional(),
    category: z.enum(CATEGORIES, { error: "must be one of the listed categories" }).optional(),
    assigneeId: uuidField.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateTicketInput = z.output<typeof UpdateTicketRequest>;

/** `POST /api/tickets/:id/messages`: a public reply, or an internal note with `internal: true`. */
export const AgentMessageRequest = z.strictObject({
  body: textField({ max: Limits.messageMax, multiline: true }),
  internal: formBoolean.default(false),
  /**
   * The reply guard: the last event seq the agent had seen when they started writing. When someone
   * else wrote since, the answer is 409 and nothing is posted; resend without it to post anyway.
   */
  lastSeenSeq: formCount.optional(),
});

/** `GET /api/handsets?identifier=`. */
export const FindHandsetsQuery = z.strictObject({
  identifier: searchField(64),
});

/** `PATCH /api/handsets/:id`: warranty and declared facts. `null` clears a field. */
export const UpdateHandsetRequest = z
  .strictObject({
    warrantySource: z.enum(WARRANTY_SOURCES, { error: "must be carrier or none" }).optional(),
    warrantyStart: isoDateField.nullable().optional(),
    warrantyEnd: isoDateField.nullable().optional(),
    doaDeadline: isoDateField.nullable().optional(),
    voidReason: z
      .enum(VOID_REASONS, { error: "must be one of the void reasons" })
      .nullable()
      .optional(),
    purchaseDate: isoDateField.nullable().optional(),
    brand: textField({ max: Limits.brandMax }).nullable().optional(),
    model: textField({ max: Limits.modelMax }).nullable().optional(),
    /** The exact variant (from the box label or Settings > About); null when not known. */
    variantId: uuidField.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateHandsetInput = z.output<typeof UpdateHandsetRequest>;

/** `:id` path parameters. A malformed id names nothing: the router answers it with a 404. */
export const IdParams = z.object({ id: uuidField });

/** Request bodies as a client sends them (before the server's defaults and transforms). */
export type UpdateTicketBody = z.input<typeof UpdateTicketRequest>;
export type AgentMessageBody = z.input<typeof AgentMessageRequest>;
export type UpdateHandsetBody = z.input<typeof UpdateHandsetRequest>;
