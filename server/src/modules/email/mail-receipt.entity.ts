import { Column, Entity, PrimaryColumn } from "typeorm";

/** An email that arrived, by its Message-ID: a redelivered copy is recognised and taken once. */
@Entity("mail_receipts")
export class MailReceipt {
  @PrimaryColumn("varchar", { length: 255 })
  messageId: string;

  /** What became of it: `reply`, `opened`, `dropped_auto`, `bounce`, ... */
  @Column("varchar", { length: 32 })
  outcome: string;

  @Column("varchar", { length: 36, nullable: true })
  ticketId: string | null;

  @Column({ type: Date })
  receivedAt: Date;
}

/** A ticket whose customer asked for no more notifications (List-Unsubscribe). */
@Entity("mail_suppressions")
export class MailSuppression {
  @PrimaryColumn("varchar", { length: 36 })
  ticketId: string;

  @Column({ type: Date })
  createdAt: Date;
}
