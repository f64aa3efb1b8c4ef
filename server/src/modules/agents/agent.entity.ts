import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import type { Role } from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";

@Entity("agents")
export class Agent {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("UQ_agents_email", { unique: true })
  @Column("varchar", { length: Limits.emailMax })
  email: string;

  @Column("varchar", { length: Limits.nameMax })
  name: string;

  @Column("varchar", { length: 16 })
  role: Role;

  /** argon2id PHC string; never leaves the server. */
  @Column("varchar", { length: 255, select: false })
  passwordHash: string;

  @Column("boolean", { default: false })
  disabled: boolean;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
