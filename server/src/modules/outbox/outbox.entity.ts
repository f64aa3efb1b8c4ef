import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** What an outbox message tells the customer. */
export const OUTBOX_KINDS = [
  "ticket_link",
  "agent_reply",
  "resolved",
  "sign_in_link",
  "rma_shipped",
  "rma_quote",
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** queued: waits for (another) attempt; sent: the relay took it; failed: it never will. */
export const OUTBOX_STATES = ["queued", "sent", "failed"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * A message to a customer, written in the same transaction as what it tells them, and delivered
 * by the email worker (docs/ARCHITECTURE.md, "Email"). The body is the text part with the link's
 * place marked; the link itself (it carries the ticket's secret) is only ever kept sealed.
 */
@Entity("outbox")
@Index("IDX_outbox_unsent", ["sentAt", "createdAt"])
export class OutboxMessage {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 32 })
  kind: OutboxKind;

  @Index("IDX_outbox_ticket")
  @Column("varchar", { length: 36, nullable: true })
  ticketId: string | null;

  @Column("varchar", { length: 254 })
  recipient: string;

  @Column("varchar", { length: 200 })
  subject: string;

  /** The text part, the link's place marked by LINK_MARK; emptied once the message is sent. */
  @Column("text")
  body: string;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;

  @Column("varchar", { length: 16, default: "queued" })
  state: OutboxState;

  /** Attempts started (a crash mid-send counts: the next one sends the same Message-ID). */
  @Column("integer", { default: 0 })
  attempts: number;

  @Column({ type: Date, nullable: true })
  nextAttemptAt: Date | null;

  /** The worker sending the row right now, and until when that claim holds. */
  @Column("varchar", { length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ type: Date, nullable: true })
  leaseUntil: Date | null;

  /** Fixed by the first attempt; every retry sends the same. */
  @Column("varchar", { length: 255, nullable: true })
  messageId: string | null;

  /** The customer's link, AES-256-GCM under a key derived from the session secret. */
  @Column("text", { nullable: true })
  sealedLink: string | null;

  @Column("varchar", { length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: Date, nullable: true })
  updatedAt: Date | null;
}

/** Marks where a message's link goes in its body (a private-use character: never typed). */
export const LINK_MARK = "\uE000link\uE000";
