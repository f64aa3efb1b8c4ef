import { z } from "zod";
import { emailField } from "./common";

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
export interface OutboxItemDto {
  id: string;
  kind: string;
  state: "queued" | "sent" | "failed";
  ticketId: string | null;
  recipient: string;
  subject: string;
  /** The text part as it goes out; null once sent (the body is dropped then). */
  text: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}
