import { z } from "zod";

/** The mail relay (SMTP_URL), the polled mailbox (IMAP_URL) and the outbox backlog. */
export const MailHealth = z.strictObject({
  relay: z.enum(["ok", "down", "unknown", "not_configured"]),
  /** The last poll of IMAP_URL's mailbox, when one is configured. */
  mailbox: z.enum(["ok", "down", "unknown"]).optional(),
  /** Messages waiting to go out, and messages that never will. */
  backlog: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type MailHealth = z.output<typeof MailHealth>;

/** `GET /api/health`: 200 while the database answers, 503 when it does not. */
export const HealthReport = z.strictObject({
  status: z.enum(["ok", "degraded", "down"]),
  database: z.enum(["ok", "down"]),
  redis: z.enum(["ok", "down", "not_configured"]),
  mail: MailHealth.optional(),
});
export type HealthReport = z.output<typeof HealthReport>;
