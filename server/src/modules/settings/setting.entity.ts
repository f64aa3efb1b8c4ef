import { Column, Entity, PrimaryColumn } from "typeorm";

/** A desk-wide setting an admin changes at run time (not configuration: no restart). */
@Entity("settings")
export class Setting {
  @PrimaryColumn("varchar", { length: 64 })
  key: string;

  @Column("text")
  value: string;

  @Column("varchar", { length: 36, nullable: true })
  updatedById: string | null;

  @Column({ type: Date })
  updatedAt: Date;
}
