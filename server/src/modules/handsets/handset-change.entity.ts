import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { HandsetChangeSource } from "../../../../shared/domain/register";
import { Handset } from "./handset.entity";

/**
 * One change of a handset's record (docs/DOMAIN.md, "Handset history"): who, when, which field,
 * from what to what, and where it came from. Written with every change, whatever the state of
 * the handset's tickets; never changed afterwards.
 */
@Entity("handset_changes")
@Index("IDX_handset_changes_handset", ["handsetId", "createdAt", "id"])
export class HandsetChange {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  handsetId: string;

  @ManyToOne(() => Handset, { onDelete: "CASCADE" })
  @JoinColumn({ name: "handsetId" })
  handset?: Handset;

  /** A field of the record (`warrantyEnd`, `variantId`), `identifier`, or `register`. */
  @Column("varchar", { length: 32 })
  field: string;

  /** The values as text (JSON for anything but a string); null for "none". */
  @Column("text", { nullable: true })
  fromValue: string | null;

  @Column("text", { nullable: true })
  toValue: string | null;

  @Column("varchar", { length: 8 })
  source: HandsetChangeSource;

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  /** An agent's name; null for a customer, an import or the system. */
  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  /** What the change came with: the import batch reference, the register entry, a ticket. */
  @Column("varchar", { length: 200, nullable: true })
  context: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
