import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * A message to a customer waiting to be delivered. Email delivery arrives later; until then the
 * outbox is the durable record of what the customer must be told (their ticket's private link).
 */
@Entity("outbox")
@Index("IDX_outbox_unsent", ["sentAt", "createdAt"])
export class OutboxMessage {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 32 })
  kind: "ticket_link";

  @Index("IDX_outbox_ticket")
  @Column("varchar", { length: 36, nullable: true })
  ticketId: string | null;

  @Column("varchar", { length: 254 })
  recipient: string;

  @Column("varchar", { length: 200 })
  subject: string;

  @Column("text")
  body: string;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}
