import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Agent } from "../agents/agent.entity";

/**
 * An agent's place in the round-robin: the desk-wide turn at which they last got a ticket.
 * The online agent whose last turn is oldest gets the next one, so over many tickets each gets
 * the same share (one more at most).
 */
@Entity("agent_rotation")
export class AgentRotation {
  @PrimaryColumn("varchar", { length: 36 })
  agentId: string;

  @ManyToOne(() => Agent, { onDelete: "CASCADE" })
  @JoinColumn({ name: "agentId" })
  agent?: Agent;

  @Column("integer")
  lastTurn: number;

  /** Tickets this agent got round-robin, ever. */
  @Column("integer")
  turns: number;

  @Column({ type: Date })
  updatedAt: Date;
}
