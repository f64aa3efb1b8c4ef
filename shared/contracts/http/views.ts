import { z } from "zod";
import { ViewLimits } from "../../domain/limits";
import {
  CATEGORIES,
  PRIORITIES,
  TICKET_FLAGS,
  TICKET_STATUSES,
  WARRANTY_SOURCES,
} from "../../domain/enums";
import { VERDICT_LEVELS } from "../../domain/verdict";
import { isoInstant } from "./domain-schemas";
import { RMA_STATES } from "../../domain/rma";
import { searchField, textField } from "../../domain/text";
import { TICKET_SORTS } from "./agent-tickets";
import { SLA_FILTERS } from "./sla";

// Its limits live with the other field limits (the console counts against them too).
export { ViewLimits } from "../../domain/limits";

/**
 * A saved view's filters: the queue's filters as data (lists, not comma-separated text). The
 * same meaning as `GET /api/tickets`; `assignee: "me"` is whoever looks at the view.
 */
export const SavedViewFilters = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  category: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  warrantySource: z.enum(WARRANTY_SOURCES).optional(),
  q: searchField(200).optional(),
  sort: z.enum(TICKET_SORTS).optional(),
  sla: z.enum(SLA_FILTERS).optional(),
  /** With the distributor for more than this many days (`at distributor > 14 days`). */
  atDistributorDays: z.number().int().min(1).max(ViewLimits.atDistributorDaysMax).optional(),
  rmaState: z.array(z.enum(RMA_STATES)).max(RMA_STATES.length).optional(),
  /** The verdict's level at opening (`unknown` includes tickets without one). */
  verdict: z.array(z.enum(VERDICT_LEVELS)).max(VERDICT_LEVELS.length).optional(),
  flag: z.array(z.enum(TICKET_FLAGS)).max(TICKET_FLAGS.length).optional(),
});
export type SavedViewFiltersInput = z.output<typeof SavedViewFilters>;

/** `POST /api/views`. */
export const CreateViewRequest = z.strictObject({
  name: textField({ max: ViewLimits.nameMax }),
  filters: SavedViewFilters,
});

/** `PATCH /api/views/:id`. */
export const UpdateViewRequest = z
  .strictObject({
    name: textField({ max: ViewLimits.nameMax }).optional(),
    filters: SavedViewFilters.optional(),
    position: z.number().int().min(0).max(ViewLimits.perAgent).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });
export type UpdateViewInput = z.output<typeof UpdateViewRequest>;

/** A saved view's filters as the API returns them. */
export const SavedViewFiltersDto = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).optional(),
  priority: z.array(z.enum(PRIORITIES)).optional(),
  category: z.array(z.enum(CATEGORIES)).optional(),
  assignee: z.string().optional(),
  warrantySource: z.enum(WARRANTY_SOURCES).optional(),
  q: z.string().optional(),
  sort: z.enum(TICKET_SORTS).optional(),
  sla: z.enum(SLA_FILTERS).optional(),
  atDistributorDays: z.number().optional(),
  rmaState: z.array(z.enum(RMA_STATES)).optional(),
  verdict: z.array(z.enum(VERDICT_LEVELS)).optional(),
  flag: z.array(z.enum(TICKET_FLAGS)).optional(),
});
export type SavedViewFiltersDto = z.output<typeof SavedViewFiltersDto>;

/** A saved view: one agent's named filter of the queue. */
export const SavedViewDto = z.strictObject({
  id: z.string(),
  name: z.string(),
  filters: SavedViewFiltersDto,
  position: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type SavedViewDto = z.output<typeof SavedViewDto>;

export const SavedViewListResponse = z.strictObject({ views: z.array(SavedViewDto) });
export const SavedViewResponse = z.strictObject({ view: SavedViewDto });
