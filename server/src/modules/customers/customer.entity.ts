import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { Limits } from "../../../../shared/domain/limits";

@Entity("customers")
export class Customer {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** Lower-cased; a customer is found again by email. */
  @Index("UQ_customers_email", { unique: true })
  @Column("varchar", { length: Limits.emailMax })
  email: string;

  @Column("varchar", { length: Limits.nameMax })
  name: string;

  @Column("varchar", { length: Limits.phoneMax, nullable: true })
  phone: string | null;

  /**
   * When the customer proved they read this address (by following a link mailed to it); null
   * until then. Nothing sets it yet: a portal form or an agent typing an address proves nothing,
   * so whoever opens a ticket under an address is not taken for the customer on record.
   */
  @Column({ type: Date, nullable: true })
  emailVerifiedAt: Date | null;

  /** When mail to this address last bounced (a delivery status notification came back). */
  @Column({ type: Date, nullable: true })
  emailBouncedAt: Date | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
