import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from "typeorm";
import type { RmaState, RmaType } from "../../../../shared/domain/rma";
import type { WarrantyStatus } from "../../../../shared/domain/warranty";
import { Distributor } from "../batches/distributor.entity";
import { Handset } from "../handsets/handset.entity";
import { Ticket } from "../tickets/ticket.entity";
import { RmaLeg } from "./rma-leg.entity";
import { RmaTransition } from "./rma-transition.entity";

/**
 * A return of a ticket's handset (docs/DOMAIN.md, "Returns"): its type, where it is in the machine,
 * the distributor's own reference, diagnosis, outcome, quote and costs. Amounts are in minor
 * units (cents) of their currency.
 */
@Entity("rmas")
@Index("IDX_rmas_ticket", ["ticketId", "createdAt"])
@Index("IDX_rmas_state_distributor", ["state", "distributorSince"])
export class Rma {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: "CASCADE" })
  @JoinColumn({ name: "ticketId" })
  ticket?: Ticket;

  @Index("IDX_rmas_handset")
  @Column("varchar", { length: 36 })
  handsetId: string;

  @ManyToOne(() => Handset, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "handsetId" })
  handset?: Handset;

  /** The new unit that replaced the handset (DOA or distributor replacement). */
  @Column("varchar", { length: 36, nullable: true })
  replacementHandsetId: string | null;

  @ManyToOne(() => Handset, { onDelete: "SET NULL" })
  @JoinColumn({ name: "replacementHandsetId" })
  replacementHandset?: Handset | null;

  /** The distributor the unit came from (its import batch's), when known. */
  @Column("varchar", { length: 36, nullable: true })
  distributorId: string | null;

  @ManyToOne(() => Distributor, { onDelete: "SET NULL" })
  @JoinColumn({ name: "distributorId" })
  distributor?: Distributor | null;

  /** The RMA number (shown RMA-5001); issued at approval, or when a DOA is reported. */
  @Index("UQ_rmas_number", { unique: true })
  @Column("integer", { nullable: true })
  number: number | null;

  @Column("varchar", { length: 32 })
  type: RmaType;

  @Column("varchar", { length: 32 })
  state: RmaState;

  /** The warranty decision when the RMA was opened. */
  @Column("varchar", { length: 16 })
  warrantyAtOpen: WarrantyStatus;

  /** The distributor's own RMA reference. */
  @Column("varchar", { length: 64, nullable: true })
  distributorRef: string | null;

  @Column("text", { nullable: true })
  diagnosis: string | null;

  @Column("text", { nullable: true })
  outcome: string | null;

  @Column("integer", { nullable: true })
  quoteAmountMinor: number | null;

  @Column("varchar", { length: 3, nullable: true })
  quoteCurrency: string | null;

  @Column("text", { nullable: true })
  quoteDescription: string | null;

  @Column({ type: Date, nullable: true })
  quoteSentAt: Date | null;

  @Column("varchar", { length: 8, nullable: true })
  quoteDecision: "accepted" | "declined" | null;

  @Column({ type: Date, nullable: true })
  quoteDecidedAt: Date | null;

  @Column("varchar", { length: 3, nullable: true })
  costCurrency: string | null;

  @Column("integer", { nullable: true })
  distributorCostMinor: number | null;

  @Column("integer", { nullable: true })
  shippingCostMinor: number | null;

  /** When the unit left for the distributor, while it is there; null otherwise. */
  @Column({ type: Date, nullable: true })
  distributorSince: Date | null;

  /** The last move's sequence number (rma_transitions.seq). */
  @Column("integer")
  lastSeq: number;

  @Column("varchar", { length: 36, nullable: true })
  openedById: string | null;

  @OneToMany(() => RmaLeg, (leg) => leg.rma)
  legs?: RmaLeg[];

  @OneToMany(() => RmaTransition, (transition) => transition.rma)
  transitions?: RmaTransition[];

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;
}
