import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { RmaLegKind } from "../../../../shared/domain/rma";
import { Rma } from "./rma.entity";

/** One leg of a return's journey, with its courier, tracking number and times. */
@Entity("rma_legs")
@Index("UQ_rma_legs_rma_kind", ["rmaId", "kind"], { unique: true })
export class RmaLeg {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  rmaId: string;

  @ManyToOne(() => Rma, (rma) => rma.legs, { onDelete: "CASCADE" })
  @JoinColumn({ name: "rmaId" })
  rma?: Rma;

  @Column("varchar", { length: 32 })
  kind: RmaLegKind;

  @Column("varchar", { length: 60, nullable: true })
  courier: string | null;

  @Column("varchar", { length: 40, nullable: true })
  trackingNumber: string | null;

  @Column({ type: Date, nullable: true })
  shippedAt: Date | null;

  @Column({ type: Date, nullable: true })
  receivedAt: Date | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
