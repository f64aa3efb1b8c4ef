import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type { ActorType, TicketEventType } from "../../../../shared/domain/enums";
import { Ticket } from "./ticket.entity";

/** A change as recorded: `field` with its value before and after. */
export type ChangeValue = string | number | boolean | null;

/** A change as recorded: `field` with its value before and after. */
export interface EventChange {
  field: string;
  from: ChangeValue;
  to: ChangeValue;
}

/** An entry of a ticket's history. Append-only: never updated, never deleted. */
@Entity("ticket_events")
@Index("UQ_ticket_events_ticket_seq", ["ticketId", "seq"], { unique: true })
export class TicketEvent {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Column("varchar", { length: 36 })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: "CASCADE" })
  @JoinColumn({ name: "ticketId" })
  ticket?: Ticket;

  /** 1, 2, 3... within the ticket: the order of the story. */
  @Column("integer")
  seq: number;

  @Column("varchar", { length: 32 })
  type: TicketEventType;

  /** Public events reach the customer; internal ones (notes, most changes) only agents. */
  @Column("boolean")
  public: boolean;

  @Column("varchar", { length: 16 })
  actorType: ActorType;

  @Column("varchar", { length: 36, nullable: true })
  actorId: string | null;

  /** The actor's display name at the time, so history reads the same after a rename. */
  @Column("varchar", { length: 120, nullable: true })
  actorName: string | null;

  @Column("text", { nullable: true })
  body: string | null;

  @Column("simple-json", { nullable: true })
  changes: EventChange[] | null;

  @Column({ type: Date })
  createdAt: Date;
}
