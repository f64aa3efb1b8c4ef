import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { SavedViewFiltersDto } from "../../../../shared/contracts/http/views";
import { Agent } from "../agents/agent.entity";

/** One agent's named queue filter ("My breaching tickets", "At distributor > 14 days"). */
@Entity("saved_views")
@Index("IDX_saved_views_agent", ["agentId", "position"])
export class SavedView {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  agentId: string;

  @ManyToOne(() => Agent, { onDelete: "CASCADE" })
  @JoinColumn({ name: "agentId" })
  agent?: Agent;

  @Column("varchar", { length: 60 })
  name: string;

  /** Validated with SavedViewFilters before it is stored. */
  @Column("simple-json")
  filters: SavedViewFiltersDto;

  @Column("integer")
  position: number;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
