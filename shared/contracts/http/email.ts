import { z } from "zod";
import { TICKET_STATUSES } from "../../domain/enums";
import { emailField } from "./common";
import { isoInstant } from "./domain-schemas";

/** `POST /api/portal/sign-in-link`: always 202, known address or not. */
export const SignInLinkRequest = z.strictObject({ email: emailField });

/** `POST /api/portal/sign-in/:token`: the emailed link's token (43 base64url characters). */
export const SignInTokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** `GET /api/outbox?state=&limit=`: the outbox, newest first (admins). */
export const OutboxQuery = z.strictObject({
  state: z.enum(["queued", "sent", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const OutboxIdParams = z.strictObject({ id: z.uuid() });

/** One outbox message as the admin's Outbox page shows it (rendered while it waits). */
export const OutboxItemDto = z.strictObject({
  id: z.uuid(),
  kind: z.string(),
  state: z.enum(["queued", "sent", "failed"]),
  ticketId: z.uuid().nullable(),
  recipient: z.string(),
  subject: z.string(),
  /** The text part as it goes out; null once sent (the body is dropped then). */
  text: z.string().nullable(),
  /**
   * A sent message as the relay received it, when the relay is `npm run demo`'s built-in
   * catcher (it keeps the messages in memory); null otherwise.
   */
  delivered: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoInstant.nullable(),
  lastError: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: isoInstant,
  sentAt: isoInstant.nullable(),
});
export type OutboxItemDto = z.output<typeof OutboxItemDto>;

export const OutboxListResponse = z.strictObject({ items: z.array(OutboxItemDto) });
export const OutboxItemResponse = z.strictObject({ item: OutboxItemDto });

/** `POST /api/portal/sign-in-link`: 202, the same answer for any address. */
export const SignInLinkAccepted = z.strictObject({ accepted: z.literal(true) });

/** One of the customer's tickets, as the redeemed sign-in link lists them. */
export const CustomerTicketItem = z.strictObject({
  number: z.string(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  /** The ticket's page; null when its link cannot be given (sealed under an older secret). */
  url: z.string().nullable(),
  updatedAt: isoInstant,
});
export type CustomerTicketItem = z.output<typeof CustomerTicketItem>;

/** `POST /api/portal/sign-in/:token`: the customer's tickets (the link is used up). */
export const SignInRedeemResponse = z.strictObject({ tickets: z.array(CustomerTicketItem) });
