import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Handset } from "../handsets/handset.entity";

/** A replacement unit and the handset it replaces (a DOA swap, or the distributor's). */
@Entity("handset_replacements")
export class HandsetReplacement {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** The new unit. */
  @Index("UQ_handset_replacements_handset", { unique: true })
  @Column("varchar", { length: 36 })
  handsetId: string;

  @ManyToOne(() => Handset, { onDelete: "CASCADE" })
  @JoinColumn({ name: "handsetId" })
  handset?: Handset;

  /** The unit it replaces. */
  @Index("IDX_handset_replacements_replaces")
  @Column("varchar", { length: 36 })
  replacesHandsetId: string;

  @ManyToOne(() => Handset, { onDelete: "CASCADE" })
  @JoinColumn({ name: "replacesHandsetId" })
  replaces?: Handset;

  /** The RMA that brought it. */
  @Column("varchar", { length: 36, nullable: true })
  rmaId: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
