import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { ValueTransformer } from "typeorm";
import type { SlaClockState } from "../../../../shared/domain/sla";
import { SlaPolicy } from "./sla-policy.entity";

/** PostgreSQL hands bigint back as text; milliseconds fit a JavaScript number. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * A ticket's SLA clocks as last computed (on every change of the ticket, and when a running
 * clock falls due). Derived data: recomputing from the ticket's history gives the same row.
 */
@Entity("ticket_sla")
@Index("IDX_ticket_sla_first_due", ["firstResponseState", "firstResponseDueAt"])
@Index("IDX_ticket_sla_resolution_due", ["resolutionState", "resolutionDueAt"])
export class TicketSla {
  @PrimaryColumn("varchar", { length: 36 })
  ticketId: string;

  /** Null when no policy applies to the ticket's priority and category. */
  @Index("IDX_ticket_sla_policy")
  @Column("varchar", { length: 36, nullable: true })
  policyId: string | null;

  @ManyToOne(() => SlaPolicy, { onDelete: "SET NULL" })
  @JoinColumn({ name: "policyId" })
  policy?: SlaPolicy | null;

  @Column("varchar", { length: 16, nullable: true })
  firstResponseState: SlaClockState | null;

  @Column("integer", { nullable: true })
  firstResponseTargetMinutes: number | null;

  @Column({ type: Date, nullable: true })
  firstResponseDueAt: Date | null;

  @Column({ type: Date, nullable: true })
  firstResponseAt: Date | null;

  @Column("bigint", { nullable: true, transformer: bigintAsNumber })
  firstResponseRemainingMs: number | null;

  @Column({ type: Date, nullable: true })
  firstResponseBreachedAt: Date | null;

  @Column("varchar", { length: 16, nullable: true })
  resolutionState: SlaClockState | null;

  @Column("integer", { nullable: true })
  resolutionTargetMinutes: number | null;

  @Column({ type: Date, nullable: true })
  resolutionDueAt: Date | null;

  @Column({ type: Date, nullable: true })
  resolutionAt: Date | null;

  @Column("bigint", { nullable: true, transformer: bigintAsNumber })
  resolutionRemainingMs: number | null;

  @Column({ type: Date, nullable: true })
  resolutionBreachedAt: Date | null;

  /** Since when the clocks are paused (the ticket waits on the customer or distributor). */
  @Column({ type: Date, nullable: true })
  pausedSince: Date | null;

  @Column({ type: Date })
  computedAt: Date;
}
