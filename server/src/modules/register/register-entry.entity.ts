import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import type {
  RegisterCheckResult,
  RegisterCheckService,
  RegisterEntryKind,
  RegisterReportStatus,
  RegisterSource,
} from "../../../../shared/domain/register";

/**
 * One entry of the lost/stolen register (docs/DOMAIN.md, "Lost and stolen"): a report (a
 * customer's, from their ticket, or an agent's) or a manual external check an agent logged. Rows
 * are never changed or deleted: the register is its own audit trail.
 */
@Entity("register_entries")
@Index("IDX_register_entries_imei", ["imei", "createdAt"])
export class RegisterEntry {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** The IMEI in canonical form (15 digits). */
  @Column("varchar", { length: 15 })
  imei: string;

  /** The handset carrying the IMEI when the entry was written, if the desk knew one. */
  @Index("IDX_register_entries_handset")
  @Column("varchar", { length: 36, nullable: true })
  handsetId: string | null;

  @Column("varchar", { length: 8 })
  kind: RegisterEntryKind;

  @Column("varchar", { length: 16, nullable: true })
  reportStatus: RegisterReportStatus | null;

  @Column("varchar", { length: 32, nullable: true })
  checkService: RegisterCheckService | null;

  @Column("varchar", { length: 16, nullable: true })
  checkResult: RegisterCheckResult | null;

  /** The service's reference for a check (a case or lookup number). */
  @Column("varchar", { length: 120, nullable: true })
  reference: string | null;

  @Column("text", { nullable: true })
  note: string | null;

  /** The ticket a customer's report came from. */
  @Column("varchar", { length: 36, nullable: true })
  ticketId: string | null;

  /** That ticket's number, kept with it (the register sits below tickets). */
  @Column("integer", { nullable: true })
  ticketNumber: number | null;

  @Column("varchar", { length: 8 })
  source: RegisterSource;

  /** The agent, or the customer, who wrote it. */
  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  /** An agent's name; null for a customer (erasure then has nothing to rewrite here). */
  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
