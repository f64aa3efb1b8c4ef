import { z } from "zod";
import { SlaLimits } from "../../domain/limits";
import { CATEGORIES, PRIORITIES } from "../../domain/enums";
import { textField } from "../../domain/text";
import {
  DEFAULT_PAUSE_STATUSES,
  SLA_PAUSABLE_STATUSES,
  businessHoursProblems,
} from "../../domain/sla";
import type { SlaClockState } from "../../domain/sla";
import { isoInstant } from "./domain-schemas";

// Its limits live with the other field limits (the console counts against them too).
export { SlaLimits } from "../../domain/limits";

// The queue's SLA filters are domain rules (the client's live list applies them too).
export { SLA_AT_RISK_MS, SLA_FILTERS } from "../../domain/sla";
export type { SlaFilter } from "../../domain/sla";

const minutes = z
  .number({ error: "must be a number of minutes" })
  .int("must be a whole number of minutes")
  .min(1, "must be at least 1 minute")
  .max(SlaLimits.targetMinutesMax, "must be at most a year of minutes");

/** Opening hours: an IANA time zone and one window per weekday (Monday first; null is closed). */
export const BusinessHoursSchema = z
  .strictObject({
    timeZone: z.string({ error: "must be a time zone" }).max(64),
    week: z
      .array(
        z
          .strictObject({
            start: z.string({ error: "must be a time HH:MM" }).max(5),
            end: z.string({ error: "must be a time HH:MM" }).max(5),
          })
          .nullable(),
      )
      .length(7, "must have seven days, Monday first"),
  })
  .superRefine((hours, ctx) => {
    for (const [path, message] of businessHoursProblems(hours)) {
      ctx.addIssue({ code: "custom", path: path.split("."), message });
    }
  });

const pauseStatuses = z
  .array(z.enum(SLA_PAUSABLE_STATUSES, { error: "must be a pending status" }))
  .max(SLA_PAUSABLE_STATUSES.length)
  .refine((list) => new Set(list).size === list.length, "must not repeat a status");

const policyFields = {
  name: textField({ max: SlaLimits.nameMax }),
  priority: z.enum(PRIORITIES, { error: "must be low, normal, high or urgent" }),
  /** Null: every category of this priority without a policy of its own. */
  category: z.enum(CATEGORIES, { error: "must be one of the listed categories" }).nullable(),
  firstResponseMinutes: minutes.nullable(),
  resolutionMinutes: minutes.nullable(),
  businessHours: BusinessHoursSchema,
  pauseStatuses,
};

const someTarget = (body: { firstResponseMinutes?: unknown; resolutionMinutes?: unknown }) =>
  body.firstResponseMinutes !== null || body.resolutionMinutes !== null;

/** `POST /api/sla/policies` (admins). */
export const CreateSlaPolicyRequest = z
  .strictObject({
    ...policyFields,
    category: policyFields.category.default(null),
    pauseStatuses: pauseStatuses.default([...DEFAULT_PAUSE_STATUSES]),
  })
  .refine(someTarget, { message: "set a first-response or a resolution target", path: [] });
export type CreateSlaPolicyInput = z.output<typeof CreateSlaPolicyRequest>;

/** `PATCH /api/sla/policies/:id` (admins): any of the fields. */
export const UpdateSlaPolicyRequest = z
  .strictObject({
    name: policyFields.name.optional(),
    priority: policyFields.priority.optional(),
    category: policyFields.category.optional(),
    firstResponseMinutes: policyFields.firstResponseMinutes.optional(),
    resolutionMinutes: policyFields.resolutionMinutes.optional(),
    businessHours: policyFields.businessHours.optional(),
    pauseStatuses: policyFields.pauseStatuses.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateSlaPolicyInput = z.output<typeof UpdateSlaPolicyRequest>;

/** An SLA policy as the API shows it. */
export const SlaPolicyDto = z.strictObject({
  id: z.string(),
  name: z.string(),
  priority: z.enum(PRIORITIES),
  category: z.enum(CATEGORIES).nullable(),
  firstResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  businessHours: BusinessHoursSchema,
  pauseStatuses: z.array(z.enum(SLA_PAUSABLE_STATUSES)),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type SlaPolicyDto = z.output<typeof SlaPolicyDto>;

/** One clock of a ticket (see shared/domain/sla.ts for the states). */
export const SlaClockDto = z.strictObject({
  state: z.enum(["running", "paused", "met", "stopped"] satisfies SlaClockState[]),
  targetMinutes: z.number(),
  /** When it falls (or fell) due; null while paused before falling due, or stopped unmet. */
  dueAt: isoInstant.nullable(),
  /** When it was met (first public reply; resolution). */
  achievedAt: isoInstant.nullable(),
  /**
   * Business time left, negative when overdue, when the clock does not run (paused: frozen; met
   * or stopped: as it ended). Null while it runs: the countdown is `dueAt` minus now.
   */
  remainingMs: z.number().nullable(),
  breached: z.boolean(),
  /** When the breach was recorded (the due instant), or null. */
  breachedAt: isoInstant.nullable(),
});
export type SlaClockDto = z.output<typeof SlaClockDto>;

/** A ticket's SLA as of when it was presented; null on the ticket when no policy applies. */
export const TicketSlaDto = z.strictObject({
  policy: z.strictObject({ id: z.string(), name: z.string() }),
  paused: z.boolean(),
  pausedSince: isoInstant.nullable(),
  firstResponse: SlaClockDto.nullable(),
  resolution: SlaClockDto.nullable(),
  /** The earliest due date of a running clock, overdue ones included (the queue's `sla_asc`). */
  nextDueAt: isoInstant.nullable(),
  /** Whether any clock is breached. */
  breached: z.boolean(),
});
export type TicketSlaDto = z.output<typeof TicketSlaDto>;

/** `GET /api/sla/summary`: breaches counted over tickets not resolved or closed. */
export const SlaSummaryDto = z.strictObject({
  breached: z.number(),
  atRisk: z.number(),
  paused: z.number(),
  mine: z.strictObject({ breached: z.number(), atRisk: z.number() }),
});
export type SlaSummaryDto = z.output<typeof SlaSummaryDto>;

export const SlaPolicyListResponse = z.strictObject({ policies: z.array(SlaPolicyDto) });
export type SlaPolicyListResponse = z.output<typeof SlaPolicyListResponse>;
export const SlaPolicyResponse = z.strictObject({ policy: SlaPolicyDto });
export type SlaPolicyResponse = z.output<typeof SlaPolicyResponse>;
export const SlaSummaryResponse = z.strictObject({ summary: SlaSummaryDto });
export type SlaSummaryResponse = z.output<typeof SlaSummaryResponse>;
