import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { IdentifierKind, IdentifierSource } from "../../../../shared/domain/enums";
import { Handset } from "./handset.entity";

/** One identifier of a handset (an IMEI per SIM slot, a serial number); unique across handsets. */
@Entity("handset_identifiers")
@Index("UQ_handset_identifiers_kind_value", ["kind", "value"], { unique: true })
export class HandsetIdentifier {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("IDX_handset_identifiers_handset")
  @Column("varchar", { length: 36 })
  handsetId: string;

  @ManyToOne(() => Handset, (handset) => handset.identifiers, { onDelete: "CASCADE" })
  @JoinColumn({ name: "handsetId" })
  handset?: Handset;

  @Column("varchar", { length: 16 })
  kind: IdentifierKind;

  /** Canonical form: an IMEI is its 15 digits, whatever the customer typed. */
  @Column("varchar", { length: 64 })
  value: string;

  @Column("integer", { nullable: true })
  slot: number | null;

  @Column("varchar", { length: 16 })
  source: IdentifierSource;

  /** The software version of an IMEISV, kept apart from the IMEI. */
  @Column("varchar", { length: 2, nullable: true })
  softwareVersion: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
