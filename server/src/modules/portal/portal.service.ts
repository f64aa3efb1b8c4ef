import type { EntityManager } from "typeorm";
import type {
  PortalCreateTicketInput,
  PortalMessageDto,
  PortalTicketDto,
  PortalTicketView,
} from "../../../../shared/contracts/http/portal";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import type { Database } from "../../db/database";
import type { TacCatalog } from "../devices/tac-catalog";
import { Ticket } from "../tickets/ticket.entity";
import type { TicketNotifier } from "../tickets/ticket-notifier";
import { openTicket } from "../tickets/open-ticket";
import {
  appendEvent,
  findTicketIdByTokenHash,
  findTicketWithRelations,
  listEvents,
} from "../tickets/tickets.repository";
import {
  presentPortalHandset,
  presentPortalMessage,
  presentPortalTicket,
  warrantyOf,
} from "../tickets/tickets.presenter";
import { hashLinkToken, newLinkToken } from "./link-tokens";
import type { Clock } from "../../clock";

const NOT_FOUND = "Ticket";

/** What a customer can do without an account: open a ticket, read it and reply by its link. */
export class PortalService {
  constructor(
    private readonly db: Database,
    private readonly tacs: TacCatalog,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens a ticket: finds or creates the customer (by email) and the handset (by IMEI), and
   * writes the ticket with its first event in one transaction. Returns the link token, which is
   * stored only as a hash and so can be shown this once.
   */
  async openTicket(
    input: PortalCreateTicketInput,
  ): Promise<{ ticket: PortalTicketDto; token: string }> {
    const now = this.clock.now();
    if (input.purchaseDate !== undefined && input.purchaseDate > this.clock.today()) {
      throw new ValidationError("The request is not valid", [
        { path: "purchaseDate", message: "cannot be in the future" },
      ]);
    }
    const token = newLinkToken();
    const ticket = await this.db.transaction((em) =>
      openTicket(
        em,
        this.tacs,
        {
          channel: "portal",
          contact: { email: input.email, name: input.name, phone: input.phone ?? null },
          handset: {
            imei: input.imei,
            brand: input.brand ?? null,
            model: input.model ?? null,
            purchaseDate: input.purchaseDate ?? null,
          },
          category: input.category,
          priority: "normal",
          subject: input.subject,
          description: input.description,
          assigneeId: null,
          accessTokenHash: hashLinkToken(token),
          actor: { type: "customer", id: null, name: null },
        },
        now,
      ),
    );
    this.notifier.emit("ticket.created", ticket.id);
    return { ticket: presentPortalTicket(ticket), token };
  }

  /** The ticket behind a link, as its customer sees it; 404 for an unknown or revoked link. */
  async view(token: string): Promise<PortalTicketView> {
    return this.db.read(async (em) => {
      const ticket = await this.ticketByToken(em, token);
      const events = await listEvents(em, ticket.id, true);
      const customer = ticket.customer!;
      const handset = ticket.handset ?? null;
      return {
        ticket: presentPortalTicket(ticket),
        messages: events
          .filter((event) => event.type === "created" || event.type === "message")
          .map((event) => presentPortalMessage(event, customer)),
        handset: handset ? presentPortalHandset(handset) : null,
        warranty: handset ? warrantyOf(handset, this.clock.today()) : null,
      };
    });
  }

  /**
   * A customer's reply. It reopens a ticket that was waiting on them or resolved; a closed
   * ticket takes no more replies (409), the customer opens a new one.
   */
  async reply(token: string, body: string): Promise<PortalMessageDto> {
    const now = this.clock.now();
    const { message, ticketId } = await this.db.transaction(async (em) => {
      const ticket = await this.ticketByToken(em, token);
      if (ticket.status === "closed") {
        throw new ConflictError("This ticket is closed; please open a new one");
      }
      const customer = ticket.customer!;
      const event = await appendEvent(
        em,
        ticket.id,
        {
          type: "message",
          public: true,
          actorType: "customer",
          actorId: customer.id,
          actorName: customer.name,
          body,
        },
        now,
      );
      const reopen = ticket.status === "pending_customer" || ticket.status === "resolved";
      if (reopen) {
        await em
          .getRepository(Ticket)
          .update({ id: ticket.id }, { status: "open", resolvedAt: null, updatedAt: now });
        await appendEvent(
          em,
          ticket.id,
          {
            type: "status_changed",
            public: true,
            actorType: "customer",
            actorId: customer.id,
            actorName: customer.name,
            changes: [{ field: "status", from: ticket.status, to: "open" }],
          },
          now,
        );
      }
      return {
        message: presentPortalMessage(event, customer),
        ticketId: ticket.id,
      };
    });
    this.notifier.emit("ticket.event", ticketId, message.id);
    this.notifier.emit("ticket.updated", ticketId);
    return message;
  }

  /** The id of the ticket a link token opens, or null (unknown or revoked). */
  ticketIdForToken(token: string): Promise<string | null> {
    return this.db.read((em) => findTicketIdByTokenHash(em, hashLinkToken(token)));
  }

  private async ticketByToken(em: EntityManager, token: string): Promise<Ticket> {
    const id = await findTicketIdByTokenHash(em, hashLinkToken(token));
    const ticket = id === null ? null : await findTicketWithRelations(em, id);
    if (ticket === null) {
      throw new NotFoundError(NOT_FOUND);
    }
    return ticket;
  }
}
