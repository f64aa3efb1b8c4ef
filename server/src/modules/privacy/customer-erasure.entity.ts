import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** How much one erasure removed or replaced. */
export interface ErasureCounts {
  tickets: number;
  messages: number;
  attachments: number;
  outbox: number;
  handsets: number;
}

/** The audit record of one customer's erasure (docs/SECURITY.md, "Customer erasure"). */
@Entity("customer_erasures")
export class CustomerErasure {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("UQ_customer_erasures_customer", { unique: true })
  @Column("varchar", { length: 36 })
  customerId: string;

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  @Column("varchar", { length: 120 })
  actorName: string;

  /** The admin's reason, with anything that named the customer replaced. */
  @Column("text")
  reason: string;

  @Column("simple-json")
  counts: ErasureCounts;

  @Column({ type: Date })
  erasedAt: Date;
}
