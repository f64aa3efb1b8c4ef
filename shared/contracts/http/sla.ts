import { z } from "zod";
import { CATEGORIES, PRIORITIES } from "../../domain/enums";
import type { Category, Priority } from "../../domain/enums";
import { textField } from "../../domain/text";
import {
  DEFAULT_PAUSE_STATUSES,
  SLA_PAUSABLE_STATUSES,
  businessHoursProblems,
} from "../../domain/sla";
import type { BusinessHours, SlaClockState, SlaPausableStatus } from "../../domain/sla";

/** Limits of SLA policies. */
export const SlaLimits = {
  nameMax: 80,
  /** A target of at most a year of business minutes. */
  targetMinutesMax: 525_600,
} as const;

/** The queue filters on SLA state (`GET /api/tickets?sla=`). */
export const SLA_FILTERS = ["breached", "at_risk", "paused"] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

/** A ticket falls "at risk" when a running clock is due within this long. */
export const SLA_AT_RISK_MS = 60 * 60_000;

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
export interface SlaPolicyDto {
  id: string;
  name: string;
  priority: Priority;
  category: Category | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: BusinessHours;
  pauseStatuses: SlaPausableStatus[];
  createdAt: string;
  updatedAt: string;
}

/** One clock of a ticket (see shared/domain/sla.ts for the states). */
export interface SlaClockDto {
  state: SlaClockState;
  targetMinutes: number;
  /** When it falls (or fell) due; null while paused before falling due, or stopped unmet. */
  dueAt: string | null;
  /** When it was met (first public reply; resolution). */
  achievedAt: string | null;
  /**
   * Business time left, negative when overdue, when the clock does not run (paused: frozen; met
   * or stopped: as it ended). Null while it runs: the countdown is `dueAt` minus now.
   */
  remainingMs: number | null;
  breached: boolean;
  /** When the breach was recorded (the due instant), or null. */
  breachedAt: string | null;
}

/** A ticket's SLA as of when it was presented; null on the ticket when no policy applies. */
export interface TicketSlaDto {
  policy: { id: string; name: string };
  paused: boolean;
  pausedSince: string | null;
  firstResponse: SlaClockDto | null;
  resolution: SlaClockDto | null;
  /** The earliest due date of a running clock, overdue ones included (the queue's `sla_asc`). */
  nextDueAt: string | null;
  /** Whether any clock is breached. */
  breached: boolean;
}

/** `GET /api/sla/summary`: breaches counted over tickets not resolved or closed. */
export interface SlaSummaryDto {
  breached: number;
  atRisk: number;
  paused: number;
  mine: { breached: number; atRisk: number };
}
