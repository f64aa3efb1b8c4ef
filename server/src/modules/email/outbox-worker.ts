import { randomUUID } from "node:crypto";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { EntityManager } from "typeorm";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { queryReturning, selectRows, updateStatement, runInOrder } from "../../db/rows";
import type { Logger } from "../../logging/logger";
import { appendEvent } from "../tickets/tickets.repository";
import type { TicketNotifier } from "../../events/facts";
import { LINK_MARK, OutboxMessage } from "../outbox/outbox.entity";
import type { MailAddresses } from "./addresses";
import type { MailKeys } from "./mail-keys";
import { MailSuppression } from "./mail-receipt.entity";
import { renderMail } from "./render";

export interface OutboxWorkerOptions {
  /** How long a claimed row is this worker's (OUTBOX_LEASE_SECONDS). */
  leaseMs: number;
  /** How often the outbox is looked at when nothing announced a new message. */
  pollMs?: number;
  /** The first retry's delay; each next one doubles, up to maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
  /** Attempts before a message that keeps failing temporarily is given up. */
  maxAttempts?: number;
  /** Rows claimed at once. */
  batch?: number;
}

/** What a failed attempt means for the message. */
export function classifySmtpError(error: unknown): { permanent: boolean; message: string } {
  const detail = error as { responseCode?: unknown; code?: unknown; response?: unknown };
  const code = typeof detail.responseCode === "number" ? detail.responseCode : null;
  const text =
    typeof detail.response === "string"
      ? detail.response
      : error instanceof Error
        ? error.message
        : String(error);
  // A 5xx to the message itself (its sender, recipient or content) is final. A refused sign-in
  // (EAUTH) is the relay's setting, not the message's: the message waits for it to be fixed.
  const permanent = code !== null && code >= 500 && code < 600 && detail.code !== "EAUTH";
  return { permanent, message: text.replace(/[\r\n]+/g, " ").slice(0, 480) };
}

/**
 * Drains the outbox through the SMTP relay (docs/ARCHITECTURE.md, "Email").
 *
 * Delivery is at least once and never a different message twice: a row is claimed with one
 * atomic UPDATE (its lease: no other process or worker takes it until the lease expires), its
 * Message-ID is fixed in that same statement at the first attempt, and it is marked sent after
 * the relay accepted it. A process killed between the two leaves the row claimed; once the lease
 * ran out another attempt sends it again, under the same Message-ID, which the receiving side
 * recognises as the same message. A temporary failure (4xx, no connection) is retried with
 * exponential backoff; a permanent one (5xx) stops and is written on the ticket.
 */
export class OutboxWorker {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly kick = () => this.wake();

  constructor(
    private readonly db: Database,
    private readonly transport: Transporter<SMTPTransport.SentMessageInfo>,
    private readonly keys: MailKeys,
    private readonly addresses: MailAddresses,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    // Anything a unit of work committed may have queued a message: look at once.
    this.notifier.on("ticket.created", this.kick);
    this.notifier.on("ticket.event", this.kick);
    this.notifier.on("ticket.link-revoked", this.kick);
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 5000);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.notifier.off("ticket.created", this.kick);
    this.notifier.off("ticket.event", this.kick);
    this.notifier.off("ticket.link-revoked", this.kick);
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
    this.transport.close();
  }

  /** Runs a drain now, or right after the one running. */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) =>
        this.logger.warn("mail", "outbox drain failed", { err: String(error) }),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** What the relay did last: accepted a message, refused a connection, or nothing yet. */
  relay: "ok" | "down" | "unknown" = "unknown";

  /** Sends every due message, a batch at a time. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) {
        return;
      }
      const rows = await this.claim();
      if (rows.length === 0) {
        return;
      }
      for (const row of rows) {
        await this.deliver(row);
      }
    }
  }

  /** Claims due rows for this worker: one statement, so two workers never hold the same row. */
  private async claim(): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      const date = (value: Date) => persisted(em, value);
      const due = `"state" = 'queued' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?) AND ("leaseUntil" IS NULL OR "leaseUntil" <= ?)`;
      const claimed = await queryReturning<{ id: string }>(
        em,
        `UPDATE "outbox" SET "leaseOwner" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1, ` +
          `"messageId" = COALESCE("messageId", '<' || "id" || CAST(? AS varchar(255))), "updatedAt" = ? ` +
          `WHERE "id" IN (SELECT "id" FROM "outbox" WHERE ${due} ORDER BY "createdAt" LIMIT ${this.options.batch ?? 10}) ` +
          `AND ${due} RETURNING "id"`,
        [
          this.owner,
          date(new Date(now.getTime() + this.options.leaseMs)),
          this.addresses.messageIdSuffix(),
          date(now),
          date(now),
          date(now),
          date(now),
          date(now),
        ],
      );
      if (claimed.length === 0) {
        return [];
      }
      const ids = claimed.map((row) => row.id);
      const rows = await selectRows(
        em,
        OutboxMessage,
        `"id" IN (${ids.map(() => "?").join(", ")}) ORDER BY "createdAt"`,
        ids,
      );
      return rows;
    });
  }

  private async deliver(row: OutboxMessage): Promise<void> {
    const suppressed =
      row.ticketId !== null &&
      row.kind !== "ticket_link" &&
      (await this.db.read(async (em) =>
        em.getRepository(MailSuppression).existsBy({ ticketId: row.ticketId! }),
      ));
    if (suppressed) {
      await this.finish(row, { state: "sent", lastError: "not sent: the customer unsubscribed" });
      return;
    }
    const link = row.sealedLink === null ? null : this.keys.open(row.sealedLink);
    if (row.body.includes(LINK_MARK) && link === null) {
      // Sealed under another session secret: the link cannot be given; the customer can ask
      // for their tickets by email (the sign-in link) instead.
      await this.fail(row, "the ticket link was sealed under another session secret");
      return;
    }
    const { text, html } = renderMail(row.body, link);
    const headers: Record<string, string> = { "Auto-Submitted": "auto-generated" };
    if (row.ticketId !== null) {
      const thread = this.addresses.threadId(row.ticketId);
      headers["In-Reply-To"] = thread;
      headers["References"] = thread;
      headers["List-Unsubscribe"] = `<mailto:${this.addresses.unsubscribe(row.ticketId)}>`;
      headers["X-Greydesk-Ticket"] = row.ticketId;
    }
    try {
      await this.transport.sendMail({
        from: { name: this.addresses.from.name, address: this.addresses.support },
        to: row.recipient,
        replyTo: row.ticketId === null ? undefined : this.addresses.replyTo(row.ticketId),
        subject: row.subject,
        text,
        html,
        messageId: row.messageId ?? undefined,
        headers,
        // Bounces come back to the support address, where the receiver reads them as such.
        envelope: { from: this.addresses.support, to: [row.recipient] },
      });
    } catch (error) {
      const { permanent, message } = classifySmtpError(error);
      this.relay = (error as { responseCode?: unknown }).responseCode === undefined ? "down" : "ok";
      if (permanent || row.attempts >= (this.options.maxAttempts ?? 10)) {
        await this.fail(row, message);
      } else {
        await this.retryLater(row, message);
      }
      return;
    }
    this.relay = "ok";
    await this.finish(row, { state: "sent", lastError: null });
  }

  /** Sent: the body (and a one-off link) is dropped; a ticket link stays sealed for later mail. */
  private async finish(
    row: OutboxMessage,
    outcome: { state: "sent"; lastError: string | null },
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction((em) =>
      runInOrder(em, [
        updateStatement(
          em,
          OutboxMessage,
          {
            state: outcome.state,
            sentAt: now,
            body: "",
            sealedLink: row.kind === "ticket_link" ? row.sealedLink : null,
            leaseOwner: null,
            leaseUntil: null,
            lastError: outcome.lastError,
            updatedAt: now,
          },
          `"id" = ? AND "leaseOwner" = ?`,
          [row.id, this.owner],
        ),
      ]),
    );
  }

  private async retryLater(row: OutboxMessage, message: string): Promise<void> {
    const now = this.clock.now();
    const base = this.options.retryBaseMs ?? 30_000;
    const delay = Math.min(
      base * 2 ** Math.max(0, row.attempts - 1),
      this.options.maxDelayMs ?? 6 * 3600_000,
    );
    // Up to a fifth more, so messages that failed together do not all come back together.
    const next = new Date(now.getTime() + delay + Math.floor(Math.random() * delay * 0.2));
    await this.db.transaction((em) =>
      runInOrder(em, [
        updateStatement(
          em,
          OutboxMessage,
          {
            nextAttemptAt: next,
            leaseOwner: null,
            leaseUntil: null,
            lastError: message,
            updatedAt: now,
          },
          `"id" = ? AND "leaseOwner" = ?`,
          [row.id, this.owner],
        ),
      ]),
    );
    this.logger.info("mail", "delivery deferred", { id: row.id, attempts: row.attempts, message });
    const wait = setTimeout(() => this.wake(), delay + 10);
    wait.unref();
  }

  private async fail(row: OutboxMessage, message: string): Promise<void> {
    const now = this.clock.now();
    const eventId = await this.db.transaction(async (em) => {
      await runInOrder(em, [
        updateStatement(
          em,
          OutboxMessage,
          {
            state: "failed",
            leaseOwner: null,
            leaseUntil: null,
            lastError: message,
            updatedAt: now,
          },
          `"id" = ? AND "leaseOwner" = ?`,
          [row.id, this.owner],
        ),
      ]);
      if (row.ticketId === null) {
        return null;
      }
      const event = await appendEvent(
        em,
        row.ticketId,
        {
          type: "email_failed",
          public: false,
          actorType: "system",
          actorId: null,
          actorName: null,
          body: `${row.subject} to ${row.recipient}: ${message}`,
        },
        now,
      );
      return event.id;
    });
    this.logger.warn("mail", "delivery failed for good", { id: row.id, message });
    if (row.ticketId !== null && eventId !== null) {
      this.notifier.emit("ticket.event", row.ticketId, eventId);
      this.notifier.emit("ticket.updated", row.ticketId);
    }
  }
}

/** A date as the outbox's date columns store it (SQLite keeps text, PostgreSQL timestamptz). */
function persisted(em: EntityManager, value: Date): unknown {
  const column = em.connection.getMetadata(OutboxMessage).findColumnWithPropertyName("leaseUntil")!;
  return em.connection.driver.preparePersistentValue(value, column) as unknown;
}
