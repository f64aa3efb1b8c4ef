import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import type {
  Category,
  Priority,
  Satisfaction,
  TicketFlag,
  TicketStatus,
} from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";
import type { NetworkVerdict } from "../../../../shared/domain/verdict";
import { Agent } from "../agents/agent.entity";
import { Customer } from "../customers/customer.entity";
import { Handset } from "../handsets/handset.entity";

export type { TicketChannel } from "../../../../shared/domain/enums";
import type { TicketChannel } from "../../../../shared/domain/enums";

@Entity("tickets")
@Index("IDX_tickets_status_updated", ["status", "updatedAt", "id"])
@Index("IDX_tickets_updated", ["updatedAt", "id"])
@Index("IDX_tickets_assignee_updated", ["assigneeId", "updatedAt", "id"])
export class Ticket {
  /** Random; what the API uses. */
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  /** The human number (GD-1001 is 1001); for display and search only, never for access. */
  @Index("UQ_tickets_number", { unique: true })
  @Column("integer")
  number: number;

  @Column("varchar", { length: Limits.subjectMax })
  subject: string;

  @Column("text")
  description: string;

  @Column("varchar", { length: 32 })
  category: Category;

  @Column("varchar", { length: 16 })
  priority: Priority;

  @Column("varchar", { length: 32 })
  status: TicketStatus;

  @Column("varchar", { length: 16 })
  channel: TicketChannel;

  @Index("IDX_tickets_customer")
  @Column("varchar", { length: 36 })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "customerId" })
  customer?: Customer;

  /**
   * The name given on this ticket (the form, the caller), kept apart from the customer record
   * its email found: the email is not verified, so the record's name may be someone else's.
   * Null on tickets from before it was kept; the customer's name stands in (see contactOf).
   */
  @Column("varchar", { length: Limits.nameMax, nullable: true })
  contactName: string | null;

  /** The phone given on this ticket, if any (null on older tickets too: see contactOf). */
  @Column("varchar", { length: Limits.phoneMax, nullable: true })
  contactPhone: string | null;

  @Index("IDX_tickets_handset")
  @Column("varchar", { length: 36, nullable: true })
  handsetId: string | null;

  @ManyToOne(() => Handset, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "handsetId" })
  handset?: Handset | null;

  @Column("varchar", { length: 36, nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => Agent, { onDelete: "SET NULL" })
  @JoinColumn({ name: "assigneeId" })
  assignee?: Agent | null;

  /** SHA-256 of the customer's secret link token; the token itself is never stored. */
  @Index("UQ_tickets_access_token", { unique: true })
  @Column("varchar", { length: 64, nullable: true, select: false })
  accessTokenHash: string | null;

  /** Things an agent should look at; see TICKET_FLAGS. */
  @Column("simple-json")
  flags: TicketFlag[];

  /** The last event's sequence number; bumping it serialises writers of one ticket. */
  @Column("integer")
  lastEventSeq: number;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;

  @Column({ type: Date, nullable: true })
  slaDueAt: Date | null;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  /** The customer's rating once resolved: given once, never changed. */
  @Column("varchar", { length: 8, nullable: true })
  satisfaction: Satisfaction | null;

  @Column("text", { nullable: true })
  satisfactionComment: string | null;

  @Column({ type: Date, nullable: true })
  ratedAt: Date | null;

  /** The network verdict for the handset's variant when the ticket was opened, kept as it was. */
  @Column("simple-json", { nullable: true })
  verdictAtOpen: NetworkVerdict | null;
}
