import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { BandConfidence, VolteCapability } from "../../../../shared/domain/bands";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { DeviceModel } from "./device-model.entity";

/**
 * One edition of a model (region, chipset, operator SKU) with its radio: the band lists decide the
 * network verdict. A null list is unknown, an empty one is "none"; every list records its source
 * and how far it is trusted, since spec sheets of these phones conflict.
 */
@Entity("device_variants")
@Index("UQ_device_variants_model_name", ["modelId", "name"], { unique: true })
export class DeviceVariant {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  modelId: string;

  @ManyToOne(() => DeviceModel, (model) => model.variants, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "modelId" })
  model?: DeviceModel;

  /** "China (kenzo)", "Global", "3G (MI 4W)". */
  @Column("varchar", { length: CatalogLimits.variantNameMax })
  name: string;

  @Column("varchar", { length: CatalogLimits.regionMax, nullable: true })
  region: string | null;

  @Column("varchar", { length: CatalogLimits.skuMax, nullable: true })
  operatorSku: string | null;

  @Column("simple-json", { nullable: true })
  lteBands: number[] | null;

  @Column("simple-json", { nullable: true })
  umtsBands: number[] | null;

  @Column("simple-json", { nullable: true })
  gsmBands: number[] | null;

  @Column("simple-json", { nullable: true })
  cdmaBands: number[] | null;

  /** 5G NR bands; null when unknown. */
  @Column("simple-json", { nullable: true })
  nrBands: number[] | null;

  @Column("varchar", { length: 8 })
  volteCapable: VolteCapability;

  /** Where the band lists come from ("Xiaomi spec sheet", "distributor sheet 2016-03"). */
  @Column("varchar", { length: CatalogLimits.sourceMax, nullable: true })
  bandSource: string | null;

  @Column("varchar", { length: 8, nullable: true })
  bandConfidence: BandConfidence | null;

  @Column("text", { nullable: true })
  notes: string | null;

  /** How to tell it from the model's other variants: the box label, Settings > About phone. */
  @Column("text", { nullable: true })
  howToTell: string | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
