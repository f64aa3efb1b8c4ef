import { Column, Entity, OneToMany, PrimaryColumn } from "typeorm";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { CarrierBand } from "./carrier-band.entity";

/** A network a phone may run on (T-Mobile US, AT&T, Verizon), with its dated band profile. */
@Entity("carriers")
export class Carrier {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** A short stable code (`tmobile_us`). */
  @Column("varchar", { length: CatalogLimits.carrierCodeMax, unique: true })
  code: string;

  @Column("varchar", { length: CatalogLimits.carrierNameMax })
  name: string;

  /** ISO 3166 alpha-2. */
  @Column("varchar", { length: 2 })
  country: string;

  @Column("text", { nullable: true })
  notes: string | null;

  @OneToMany(() => CarrierBand, (band) => band.carrier)
  bands?: CarrierBand[];

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
