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

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
