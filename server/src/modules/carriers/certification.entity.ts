import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { CallingStatus, CertificationStatus } from "../../../../shared/domain/catalog";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { Carrier } from "./carrier.entity";

/** Where one variant stands with one carrier's certification; every change is audited. */
@Entity("certifications")
@Index("UQ_certifications_variant_carrier", ["variantId", "carrierId"], { unique: true })
export class Certification {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  variantId: string;

  @ManyToOne(() => DeviceVariant, { onDelete: "CASCADE" })
  @JoinColumn({ name: "variantId" })
  variant?: DeviceVariant;

  @Index("IDX_certifications_carrier")
  @Column("varchar", { length: 36 })
  carrierId: string;

  @ManyToOne(() => Carrier, { onDelete: "CASCADE" })
  @JoinColumn({ name: "carrierId" })
  carrier?: Carrier;

  @Column("varchar", { length: 16 })
  status: CertificationStatus;

  @Column("varchar", { length: 32 })
  volte: CallingStatus;

  @Column("varchar", { length: 32 })
  wifiCalling: CallingStatus;

  /** The carrier's reference for the submission or decision. */
  @Column("varchar", { length: CatalogLimits.referenceMax, nullable: true })
  reference: string | null;

  /** When the carrier decided (or the submission went in). */
  @Column("date", { nullable: true })
  statusDate: string | null;

  @Column("varchar", { length: 36, nullable: true })
  updatedById: string | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
