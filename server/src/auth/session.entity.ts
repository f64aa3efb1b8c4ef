import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** A server-side session. The key is a hash of the session id, so a leaked table opens nothing. */
@Entity("sessions")
export class SessionRow {
  /** SHA-256 (hex) of the session id in the signed cookie. */
  @PrimaryColumn("varchar", { length: 64 })
  id: string;

  /** The signed-in agent, so all of an agent's sessions can be ended at once. */
  @Index("IDX_sessions_agent")
  @Column("varchar", { length: 36, nullable: true })
  agentId: string | null;

  @Column("text")
  data: string;

  @Index("IDX_sessions_expires")
  @Column({ type: Date })
  expiresAt: Date;
}
