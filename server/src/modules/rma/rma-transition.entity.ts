import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { ActorType } from "../../../../shared/domain/enums";
import type { RmaState } from "../../../../shared/domain/rma";
import { Rma } from "./rma.entity";

/**
 * One move of an RMA: from, to, who and when. Append-only. The same move is also an audited
 * `rma_state_changed` event in the ticket's history; this is the RMA's own timeline.
 */
@Entity("rma_transitions")
@Index("UQ_rma_transitions_rma_seq", ["rmaId", "seq"], { unique: true })
export class RmaTransition {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  rmaId: string;

  @ManyToOne(() => Rma, (rma) => rma.transitions, { onDelete: "CASCADE" })
  @JoinColumn({ name: "rmaId" })
  rma?: Rma;

  @Column("integer")
  seq: number;

  /** Null for the opening. */
  @Column("varchar", { length: 32, nullable: true })
  fromState: RmaState | null;

  @Column("varchar", { length: 32 })
  toState: RmaState;

  @Column("varchar", { length: 16 })
  actorType: ActorType;

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  /** The agent's note on the move (internal: customers never see it). */
  @Column("text", { nullable: true })
  note: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
