import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Ticket } from "../tickets/ticket.entity";
import { TicketEvent } from "../tickets/ticket-event.entity";

/** A file attached to a message. The bytes live in the attachment store under `storageKey`. */
@Entity("attachments")
export class Attachment {
  @PrimaryColumn("varchar", { length: 36 })
  id: string;

  @Index("IDX_attachments_ticket")
  @Column("varchar", { length: 36 })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: "CASCADE" })
  @JoinColumn({ name: "ticketId" })
  ticket?: Ticket;

  @Index("IDX_attachments_event")
  @Column("varchar", { length: 36 })
  eventId: string;

  @ManyToOne(() => TicketEvent, { onDelete: "CASCADE" })
  @JoinColumn({ name: "eventId" })
  event?: TicketEvent;

  /** Order within its message, as uploaded. */
  @Column("integer")
  position: number;

  /** Server-made random name of the blob; never derived from anything the client sent. */
  @Index("UQ_attachments_storage_key", { unique: true })
  @Column("varchar", { length: 64 })
  storageKey: string;

  /** The sanitised original name: display metadata only. */
  @Column("varchar", { length: 255 })
  filename: string;

  /** Chosen by the server from the file's content, never from the upload's label. */
  @Column("varchar", { length: 100 })
  contentType: string;

  @Column("integer")
  size: number;

  @Column("varchar", { length: 64 })
  sha256: string;

  @Column({ type: Date })
  createdAt: Date;
}
