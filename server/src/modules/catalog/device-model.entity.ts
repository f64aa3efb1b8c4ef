import { Column, Entity, Index, OneToMany, PrimaryColumn } from "typeorm";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { DeviceVariant } from "./device-variant.entity";

/** A phone model as a TAC names it ("Xiaomi Redmi Note 3"); its variants carry the bands. */
@Entity("device_models")
@Index("UQ_device_models_brand_name", ["brand", "name"], { unique: true })
export class DeviceModel {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: CatalogLimits.brandMax })
  brand: string;

  @Column("varchar", { length: CatalogLimits.modelMax })
  name: string;

  /** Other names of the model ("Redmi Note 3 Pro"). */
  @Column("simple-json")
  aka: string[];

  @OneToMany(() => DeviceVariant, (variant) => variant.model)
  variants?: DeviceVariant[];

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
