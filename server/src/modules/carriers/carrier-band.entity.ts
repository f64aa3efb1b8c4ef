import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { BandRole, Technology } from "../../../../shared/domain/bands";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { Carrier } from "./carrier.entity";

/**
 * One dated row of a carrier's profile: a band of a technology, its role, and when it is live
 * (`fromDate` inclusive, `untilDate` the retirement date, exclusive). Rules such as "B12 only
 * with VoLTE/E911 since 2015" are rows too.
 */
@Entity("carrier_bands")
@Index("IDX_carrier_bands_carrier", ["carrierId", "technology", "band"])
export class CarrierBand {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  carrierId: string;

  @ManyToOne(() => Carrier, (carrier) => carrier.bands, { onDelete: "CASCADE" })
  @JoinColumn({ name: "carrierId" })
  carrier?: Carrier;

  @Column("varchar", { length: 8 })
  technology: Technology;

  @Column("integer")
  band: number;

  @Column("varchar", { length: 16 })
  role: BandRole;

  @Column("date", { nullable: true })
  fromDate: string | null;

  @Column("date", { nullable: true })
  untilDate: string | null;

  @Column("boolean")
  requiresVolte: boolean;

  @Column("varchar", { length: CatalogLimits.sourceMax, nullable: true })
  note: string | null;
}
