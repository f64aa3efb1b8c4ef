import { rooms } from "../../../shared/contracts/realtime";
import type { Database } from "../db/database";
import type { Logger } from "../logging/logger";
import type { TicketNotifier } from "../events/facts";
import {
  findEvent,
  findTicket,
  findTicketWithRelations,
} from "../modules/tickets/tickets.repository";
import { AttachmentsService } from "../modules/attachments/attachments.service";
import {
  presentEvent,
  presentPortalMessage,
  presentPortalTicket,
} from "../modules/tickets/tickets.presenter";
import type { TicketsService } from "../modules/tickets/tickets.service";
import type { GreydeskIo } from "./realtime";

/**
 * The one place domain facts become socket events. It listens to the TicketNotifier, which
 * services call after their transaction committed, and uses the HTTP presenters, so a socket
 * payload is the same shape as the API's. Each event goes to the narrowest room: the queue's
 * facts to agents, a ticket's messages to its watchers, public ones to its customer too.
 */
export class RealtimePublisher {
  constructor(
    private readonly io: GreydeskIo,
    private readonly db: Database,
    private readonly tickets: TicketsService,
    private readonly logger: Logger,
  ) {}

  attach(notifier: TicketNotifier): void {
    notifier.on("ticket.created", (id) =>
      this.run("ticket:created", () => this.ticketFact(id, "ticket:created")),
    );
    notifier.on("ticket.updated", (id) =>
      this.run("ticket:updated", () => this.ticketFact(id, "ticket:updated")),
    );
    notifier.on("ticket.event", (ticketId, eventId) =>
      this.run("ticket:message", () => this.message(ticketId, eventId)),
    );
    notifier.on("ticket.updated", (id) => this.run("ticket:changed", () => this.customerFact(id)));
    // A replaced link must not keep listening: sockets opened with the old token are closed.
    notifier.on("ticket.link-revoked", (id) => {
      this.io.in(rooms.ticketPublic(id)).disconnectSockets(true);
    });
  }

  private run(what: string, work: () => Promise<void>): void {
    work().catch((error: unknown) => {
      // A lost notification is repaired by the client's resync; the write itself has committed.
      this.logger.warn("realtime", "publish failed", { what, err: String(error) });
    });
  }

  private async ticketFact(id: string, event: "ticket:created" | "ticket:updated"): Promise<void> {
    const ticket = await this.tickets.summary(id);
    if (ticket !== null) {
      this.io.to(rooms.agents).emit(event, ticket);
    }
  }

  private async customerFact(id: string): Promise<void> {
    const ticket = await this.db.read((em) => findTicket(em, id));
    if (ticket !== null) {
      this.io.to(rooms.ticketPublic(id)).emit("ticket:changed", presentPortalTicket(ticket));
    }
  }

  private async message(ticketId: string, eventId: string): Promise<void> {
    const loaded = await this.db.read(async (em) => {
      const event = await findEvent(em, eventId);
      const ticket = event?.public ? await findTicketWithRelations(em, ticketId) : null;
      const files = event ? await AttachmentsService.byEvent(em, [event.id]) : null;
      return { event, customer: ticket?.customer ?? null, files: files?.get(eventId) ?? [] };
    });
    const { event, customer, files } = loaded;
    if (event === null || (event.type !== "message" && event.type !== "note")) {
      return;
    }
    this.io.to(rooms.ticket(ticketId)).emit("ticket:message", presentEvent(event, files));
    // Internal notes never reach a customer socket: only public messages go to that room.
    if (event.public && event.type === "message" && customer !== null) {
      this.io
        .to(rooms.ticketPublic(ticketId))
        .emit("ticket:message", presentPortalMessage(event, files));
    }
  }
}
