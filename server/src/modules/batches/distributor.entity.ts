import { Column, Entity, PrimaryColumn } from "typeorm";
import { CatalogLimits } from "../../../../shared/domain/catalog";

/** Who ships the phones (a Hong Kong distributor), and takes them back for repair. */
@Entity("distributors")
export class Distributor {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: CatalogLimits.distributorNameMax, unique: true })
  name: string;

  /** ISO 3166 alpha-2. */
  @Column("varchar", { length: 2, nullable: true })
  country: string | null;

  @Column("text", { nullable: true })
  notes: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
