import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** A customer's emailed sign-in link: its token only as a hash, 15 minutes, used once. */
@Entity("customer_sign_in_links")
export class SignInLink {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("IDX_customer_sign_in_links_customer")
  @Column("varchar", { length: 36 })
  customerId: string;

  @Index("UQ_customer_sign_in_links_token", { unique: true })
  @Column("varchar", { length: 64 })
  tokenHash: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;

  @Column({ type: Date })
  createdAt: Date;
}
