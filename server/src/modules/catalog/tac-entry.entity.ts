import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { TacSource } from "../../../../shared/domain/catalog";
import { DeviceModel } from "./device-model.entity";
import { DeviceVariant } from "./device-variant.entity";

/**
 * A type allocation code and the model it names. A TAC names a model, not its variant; an entry
 * names a variant only when someone established it (a distributor sheet, an agent with the box).
 */
@Entity("tac_entries")
export class TacEntry {
  @PrimaryColumn("varchar", { length: 8 })
  tac: string;

  @Index("IDX_tac_entries_model")
  @Column("varchar", { length: 36 })
  modelId: string;

  @ManyToOne(() => DeviceModel, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "modelId" })
  model?: DeviceModel;

  @Column("varchar", { length: 36, nullable: true })
  variantId: string | null;

  @ManyToOne(() => DeviceVariant, { onDelete: "SET NULL" })
  @JoinColumn({ name: "variantId" })
  variant?: DeviceVariant | null;

  @Column("varchar", { length: 24 })
  source: TacSource;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
