import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { WarrantyStartRule } from "../../../../shared/contracts/http/batches";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { Distributor } from "./distributor.entity";

/** One shipment from a distributor: its units are handsets linked to it. */
@Entity("import_batches")
export class ImportBatch {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** The desk's reference for the shipment ("HK-2016-03-A"). */
  @Column("varchar", { length: CatalogLimits.batchReferenceMax, unique: true })
  reference: string;

  @Index("IDX_import_batches_distributor")
  @Column("varchar", { length: 36, nullable: true })
  distributorId: string | null;

  @ManyToOne(() => Distributor, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "distributorId" })
  distributor?: Distributor | null;

  @Index("IDX_import_batches_variant")
  @Column("varchar", { length: 36, nullable: true })
  variantId: string | null;

  @ManyToOne(() => DeviceVariant, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "variantId" })
  variant?: DeviceVariant | null;

  /** The ROM the units ship with ("China", "Global"). */
  @Column("varchar", { length: CatalogLimits.romRegionMax, nullable: true })
  romRegion: string | null;

  /** Units declared on the shipping papers (the import counts what actually arrived). */
  @Column("integer", { nullable: true })
  quantity: number | null;

  @Column("varchar", { length: CatalogLimits.customsReferenceMax, nullable: true })
  customsReference: string | null;

  @Column("date", { nullable: true })
  orderedOn: string | null;

  @Column("date", { nullable: true })
  shippedOn: string | null;

  @Column("date", { nullable: true })
  receivedOn: string | null;

  @Column("text", { nullable: true })
  notes: string | null;

  /** Months of carrier warranty its units get on import (null: no terms; the units stay pending). */
  @Column("integer", { nullable: true })
  warrantyMonths: number | null;

  /** Days of the DOA window from the warranty start (0 or null: no DOA window). */
  @Column("integer", { nullable: true })
  doaDays: number | null;

  /** When the warranty starts: the import day, or `warrantyStartOn`. */
  @Column("varchar", { length: 16, nullable: true })
  warrantyStartRule: WarrantyStartRule | null;

  @Column("date", { nullable: true })
  warrantyStartOn: string | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
