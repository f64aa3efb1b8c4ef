import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** What a catalogue audit entry is about. */
export type AuditSubject = "model" | "variant" | "tac" | "carrier" | "certification" | "setting";

/** A value as an audit entry records it. */
export type AuditValue = string | number | boolean | null | (string | number)[];

/** One recorded change as `field`, before and after. */
export interface AuditChange {
  field: string;
  from: AuditValue;
  to: AuditValue;
}

/**
 * The append-only history of the catalogue, carrier profiles, certifications and settings: who
 * changed what, when, from what to what. Certification entries also name the variant, so a
 * variant's whole story is one query.
 */
@Entity("catalog_audit")
@Index("IDX_catalog_audit_subject", ["subjectType", "subjectId", "createdAt"])
@Index("IDX_catalog_audit_variant", ["variantId", "createdAt"])
export class CatalogAudit {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 16 })
  subjectType: AuditSubject;

  /** The id of the subject (a TAC, a setting's key). */
  @Column("varchar", { length: 64 })
  subjectId: string;

  @Column("varchar", { length: 36, nullable: true })
  variantId: string | null;

  /** `created`, `updated`, `deleted`. */
  @Column("varchar", { length: 16 })
  action: "created" | "updated" | "deleted";

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  @Column("simple-json")
  changes: AuditChange[];

  @Column({ type: Date })
  createdAt: Date;
}
