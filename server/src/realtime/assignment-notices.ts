import { rooms } from "../../../shared/contracts/realtime";
import { ticketNumberLabel } from "../../../shared/contracts/http/common";
import type { Database } from "../db/database";
import type { TicketNotifier } from "../events/facts";
import type { Logger } from "../logging/logger";
import type { AgentPresence } from "../modules/assignment/presence";
import { Ticket } from "../modules/tickets/ticket.entity";
import type { GreydeskIo } from "./realtime";

/**
 * Assignment's view of who is online, from the sockets: agents with a connected console socket
 * on any node. Before Socket.io starts (and after it stops) nobody is online.
 */
export class SocketPresence implements AgentPresence {
  constructor(private readonly io: () => GreydeskIo | null) {}

  async onlineAgentIds(): Promise<string[]> {
    const io = this.io();
    if (io === null) {
      return [];
    }
    const sockets = await io.in(rooms.agents).fetchSockets();
    const ids = new Set<string>();
    for (const socket of sockets) {
      if (socket.data.kind === "agent") {
        ids.add(socket.data.userId);
      }
    }
    return [...ids];
  }
}

/**
 * Tells an agent, on their own sockets only, that a ticket was assigned to them (`ticket:updated`
 * reaches every agent already; this is the "assigned to you" notice), from the `ticket.assigned`
 * fact, after commit, like every socket fact.
 */
export class AssignmentPublisher {
  constructor(
    private readonly io: GreydeskIo,
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  attach(notifier: TicketNotifier): void {
    notifier.on("ticket.assigned", (ticketId, assigneeId, by, roundRobin) => {
      this.notify(ticketId, assigneeId, by, roundRobin).catch((error: unknown) =>
        this.logger.warn("realtime", "publish failed", {
          what: "ticket:assigned",
          err: String(error),
        }),
      );
    });
  }

  private async notify(
    ticketId: string,
    assigneeId: string,
    by: { id: string; name: string } | null,
    roundRobin: boolean,
  ): Promise<void> {
    const ticket = await this.db.read((em) =>
      em.getRepository(Ticket).findOne({
        where: { id: ticketId },
        select: { id: true, number: true, subject: true, assigneeId: true },
      }),
    );
    // Reassigned again before this went out: the newer notice is the true one.
    if (ticket === null || ticket.assigneeId !== assigneeId) {
      return;
    }
    this.io.to(rooms.user(assigneeId)).emit("ticket:assigned", {
      ticketId,
      number: ticketNumberLabel(ticket.number),
      subject: ticket.subject,
      by,
      roundRobin,
    });
  }
}
