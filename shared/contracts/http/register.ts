import { z } from "zod";
import { Limits } from "../../domain/limits";
import {
  AGENT_REPORT_STATUSES,
  HANDSET_CHANGE_SOURCES,
  REGISTER_CHECK_RESULTS,
  REGISTER_CHECK_SERVICES,
  REGISTER_ENTRY_KINDS,
  REGISTER_REPORT_STATUSES,
  REGISTER_SOURCES,
  REGISTER_STATUSES,
} from "../../domain/register";
import { textField } from "../../domain/text";
import { imeiField } from "./common";
import { isoInstant } from "./domain-schemas";

/** Field limits of the register's inputs. */
export const RegisterLimits = { noteMax: 2000, referenceMax: 120 } as const;

/** `GET /api/register?imei=`: an IMEI however typed (checked like everywhere else). */
export const RegisterQuery = z.strictObject({ imei: imeiField });

/** `POST /api/register/entries`: an agent reports an IMEI lost or stolen, or clears it. */
export const RegisterEntryRequest = z.strictObject({
  imei: imeiField,
  status: z.enum(AGENT_REPORT_STATUSES, {
    error: `must be one of ${AGENT_REPORT_STATUSES.join(", ")}`,
  }),
  note: textField({ max: RegisterLimits.noteMax, multiline: true }),
});
export type RegisterEntryBody = z.input<typeof RegisterEntryRequest>;
export type RegisterEntryInput = z.output<typeof RegisterEntryRequest>;

/** `POST /api/register/checks`: an agent logs a manual external check they made. */
export const RegisterCheckRequest = z.strictObject({
  imei: imeiField,
  service: z.enum(REGISTER_CHECK_SERVICES, {
    error: `must be one of ${REGISTER_CHECK_SERVICES.join(", ")}`,
  }),
  result: z.enum(REGISTER_CHECK_RESULTS, {
    error: `must be one of ${REGISTER_CHECK_RESULTS.join(", ")}`,
  }),
  reference: textField({ max: RegisterLimits.referenceMax }).optional(),
  note: textField({ max: RegisterLimits.noteMax, multiline: true }).optional(),
});
export type RegisterCheckBody = z.input<typeof RegisterCheckRequest>;
export type RegisterCheckInput = z.output<typeof RegisterCheckRequest>;

/** One register entry: a report or a logged check, who wrote it and when. */
export const RegisterEntryDto = z.strictObject({
  id: z.string(),
  imei: z.string(),
  handsetId: z.string().nullable(),
  kind: z.enum(REGISTER_ENTRY_KINDS),
  reportStatus: z.enum(REGISTER_REPORT_STATUSES).nullable(),
  checkService: z.enum(REGISTER_CHECK_SERVICES).nullable(),
  checkResult: z.enum(REGISTER_CHECK_RESULTS).nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  /** The ticket a customer's report came from, with its number. */
  ticket: z.strictObject({ id: z.string(), number: z.string() }).nullable(),
  source: z.enum(REGISTER_SOURCES),
  actor: z.strictObject({ id: z.string().nullable(), name: z.string().nullable() }),
  createdAt: isoInstant,
});
export type RegisterEntryDto = z.output<typeof RegisterEntryDto>;

/** An IMEI on the register: its status (from its latest report or check) and every entry. */
export const RegisterImeiDto = z.strictObject({
  imei: z.string(),
  status: z.enum(REGISTER_STATUSES),
  /** The entry the status comes from (null for `none`). */
  decidedBy: z.string().nullable(),
  /** The handsets that carry the IMEI (a clash means more than one). */
  handsetIds: z.array(z.string()),
  /** Newest first. */
  entries: z.array(RegisterEntryDto),
});
export type RegisterImeiDto = z.output<typeof RegisterImeiDto>;

export const RegisterImeiResponse = z.strictObject({ register: RegisterImeiDto });
export const RegisterEntryResponse = z.strictObject({
  entry: RegisterEntryDto,
  register: RegisterImeiDto,
});

/** `GET /api/handsets/:id/register`: each IMEI of the handset on the register. */
export const HandsetRegisterResponse = z.strictObject({
  handsetId: z.string(),
  /** `flagged` when any of its IMEIs is. */
  status: z.enum(REGISTER_STATUSES),
  imeis: z.array(RegisterImeiDto),
});
export type HandsetRegisterResponse = z.output<typeof HandsetRegisterResponse>;

/** `GET /api/handsets/:id/history` query. */
export const HandsetHistoryQuery = z.strictObject({
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

/** One change of a handset's record. */
export const HandsetChangeDto = z.strictObject({
  id: z.string(),
  field: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The values in words where the stored one is an id (a variant's name, a customer's). */
  fromLabel: z.string().nullable(),
  toLabel: z.string().nullable(),
  source: z.enum(HANDSET_CHANGE_SOURCES),
  actor: z.strictObject({ id: z.string().nullable(), name: z.string().nullable() }),
  context: z.string().nullable(),
  createdAt: isoInstant,
});
export type HandsetChangeDto = z.output<typeof HandsetChangeDto>;

export const HandsetHistoryResponse = z.strictObject({
  items: z.array(HandsetChangeDto),
  nextCursor: z.string().nullable(),
});
export type HandsetHistoryResponse = z.output<typeof HandsetHistoryResponse>;
