import { Column, Entity, PrimaryColumn } from "typeorm";
import type { Category, Priority } from "../../../../shared/domain/enums";
import type { BusinessHours, SlaPausableStatus } from "../../../../shared/domain/sla";

/**
 * What the desk promises for tickets of one priority (and, optionally, one category): a first
 * response and a resolution within so many business minutes, counted in its opening hours and
 * not while the ticket waits in one of its pause statuses. One policy per priority and category
 * (the unique index UQ_sla_policies_scope folds a null category to '').
 */
@Entity("sla_policies")
export class SlaPolicy {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 80 })
  name: string;

  @Column("varchar", { length: 16 })
  priority: Priority;

  /** Null: the priority's policy for every category without one of its own. */
  @Column("varchar", { length: 32, nullable: true })
  category: Category | null;

  @Column("integer", { nullable: true })
  firstResponseMinutes: number | null;

  @Column("integer", { nullable: true })
  resolutionMinutes: number | null;

  @Column("simple-json")
  businessHours: BusinessHours;

  @Column("simple-json")
  pauseStatuses: SlaPausableStatus[];

  @Column("varchar", { length: 36, nullable: true })
  updatedById: string | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
