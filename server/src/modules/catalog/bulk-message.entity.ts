import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * One public update posted to every open ticket of a variant at once. Keeps which tickets got
 * it, and the client's key, so a retried request posts nothing twice.
 */
@Entity("variant_bulk_messages")
@Index("IDX_variant_bulk_messages_variant", ["variantId", "createdAt"])
export class VariantBulkMessage {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  variantId: string;

  /** The client's idempotency key; a second request with it returns the first result. */
  @Index("UQ_variant_bulk_messages_key", { unique: true })
  @Column("varchar", { length: 36, nullable: true })
  requestKey: string | null;

  @Column("text")
  body: string;

  @Column("simple-json")
  ticketIds: string[];

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
