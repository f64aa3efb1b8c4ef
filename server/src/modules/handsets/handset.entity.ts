import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from "typeorm";
import type { VoidReason, WarrantySource } from "../../../../shared/domain/enums";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { Limits } from "../../../../shared/domain/limits";
import { ImportBatch } from "../batches/import-batch.entity";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { Customer } from "../customers/customer.entity";
import { HandsetIdentifier } from "./handset-identifier.entity";

/** A physical phone. Its warranty source decides what the desk owes its owner. */
@Entity("handsets")
export class Handset {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("IDX_handsets_customer")
  @Column("varchar", { length: 36, nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: "SET NULL" })
  @JoinColumn({ name: "customerId" })
  customer?: Customer | null;

  /** Brand and model as declared (by the customer, an agent or a distributor sheet). */
  @Column("varchar", { length: Limits.brandMax, nullable: true })
  brand: string | null;

  @Column("varchar", { length: Limits.modelMax, nullable: true })
  model: string | null;

  @Column("date", { nullable: true })
  purchaseDate: string | null;

  /** The ROM it runs ("China", "Global"), when a distributor sheet or an agent said. */
  @Column("varchar", { length: CatalogLimits.romRegionMax, nullable: true })
  romRegion: string | null;

  @Column("varchar", { length: 16 })
  warrantySource: WarrantySource;

  @Column("date", { nullable: true })
  warrantyStart: string | null;

  @Column("date", { nullable: true })
  warrantyEnd: string | null;

  @Column("date", { nullable: true })
  doaDeadline: string | null;

  @Column("varchar", { length: 32, nullable: true })
  voidReason: VoidReason | null;

  /** The exact variant, when known (a batch, a TAC entry naming it, or an agent with the box). */
  @Index("IDX_handsets_variant")
  @Column("varchar", { length: 36, nullable: true })
  variantId: string | null;

  @ManyToOne(() => DeviceVariant, { onDelete: "SET NULL" })
  @JoinColumn({ name: "variantId" })
  variant?: DeviceVariant | null;

  /** The import batch (shipment) it came in, when known. */
  @Index("IDX_handsets_batch")
  @Column("varchar", { length: 36, nullable: true })
  batchId: string | null;

  @ManyToOne(() => ImportBatch, { onDelete: "SET NULL" })
  @JoinColumn({ name: "batchId" })
  batch?: ImportBatch | null;

  @OneToMany(() => HandsetIdentifier, (identifier) => identifier.handset)
  identifiers?: HandsetIdentifier[];

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
