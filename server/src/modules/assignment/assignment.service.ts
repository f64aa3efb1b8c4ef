import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type { AssignmentStatusDto } from "../../../../shared/contracts/http/assignment";
import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { AppError, ConflictError, NotFoundError } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { Agent } from "../agents/agent.entity";
import { Setting } from "../settings/setting.entity";
import { Ticket } from "../tickets/ticket.entity";
import type { TicketNotifier } from "../../events/facts";
import { appendEvent, findTicket, lockTicket, updateTicket } from "../tickets/tickets.repository";
import { AgentRotation } from "./agent-rotation.entity";
import type { AgentPresence } from "./presence";

/** The desk-wide switch: assign new tickets round-robin as they arrive. */
export const AUTO_ASSIGN_SETTING = "auto_assign_new";

export interface AssignmentDeps {
  db: Database;
  notifier: TicketNotifier;
  clock: Clock;
  logger: Logger;
  /** Who is online in the console now (realtime implements it from the sockets). */
  presence: AgentPresence;
  /** A ticket as the queue shows it. */
  present: (ticketId: string) => Promise<TicketDto | null>;
}

/** The next round-robin turn; concurrent assigners queue on the counter's row (PostgreSQL). */
async function nextTurn(em: EntityManager): Promise<number> {
  await em.query(`UPDATE "counters" SET "value" = "value" + 1 WHERE "name" = 'round_robin'`);
  const rows: { value: number | string }[] = await em.query(
    `SELECT "value" FROM "counters" WHERE "name" = 'round_robin'`,
  );
  return Number(rows[0]?.value);
}

/**
 * Round-robin assignment among the agents online in the console (by hand on a ticket, or for
 * every new ticket when the desk's switch is on). Fair over many tickets: the online agent whose
 * last turn is oldest gets the next one. Audited like any reassignment, and the assignee hears
 * it on their own sockets.
 */
export class AssignmentService {
  constructor(private readonly deps: AssignmentDeps) {}

  /** The switch, and who is online with their open tickets. */
  async status(): Promise<AssignmentStatusDto> {
    const online = await this.deps.presence.onlineAgentIds();
    return this.deps.db.read(async (em) => {
      const agents =
        online.length === 0
          ? []
          : await em.getRepository(Agent).find({ where: { id: In(online), disabled: false } });
      const counts: { assigneeId: string; count: string | number }[] =
        agents.length === 0
          ? []
          : await em
              .getRepository(Ticket)
              .createQueryBuilder("t")
              .select("t.assigneeId", "assigneeId")
              .addSelect("COUNT(*)", "count")
              .where("t.assigneeId IN (:...ids)", { ids: agents.map((agent) => agent.id) })
              .andWhere("t.status NOT IN (:...done)", { done: ["resolved", "closed"] })
              .groupBy("t.assigneeId")
              .getRawMany();
      const open = new Map(counts.map((row) => [row.assigneeId, Number(row.count)]));
      return {
        autoAssignNew: await this.isOn(em),
        online: agents
          .map((agent) => ({
            id: agent.id,
            name: agent.name,
            openAssigned: open.get(agent.id) ?? 0,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  /** Turns round-robin assignment of new tickets on or off (admins). */
  async setAutoAssignNew(user: AuthUser, on: boolean): Promise<AssignmentStatusDto> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction((em) =>
      em
        .getRepository(Setting)
        .upsert(
          { key: AUTO_ASSIGN_SETTING, value: String(on), updatedById: user.id, updatedAt: now },
          ["key"],
        ),
    );
    this.deps.logger.info("tickets", "auto-assign switched", { on, by: user.id });
    return this.status();
  }

  /**
   * Assigns a ticket to the next online agent in the rotation. `by` is the agent who asked, or
   * null when Greydesk does it for a new ticket. 409 when nobody is online or the ticket is closed.
   */
  async autoAssign(by: AuthUser | null, ticketId: string): Promise<TicketDto> {
    const online = await this.deps.presence.onlineAgentIds();
    const now = this.deps.clock.now();
    const { db } = this.deps;
    const picked = await db.transaction(async (em) => {
      const ticket = await lockTicket(em, ticketId);
      if (ticket === null) {
        throw new NotFoundError("Ticket");
      }
      if (ticket.status === "closed") {
        throw new ConflictError("This ticket is closed; a closed ticket does not change", [
          { path: "assigneeId", message: "the ticket is closed" },
        ]);
      }
      const agents =
        online.length === 0
          ? []
          : await em.getRepository(Agent).find({
              where: { id: In(online), disabled: false },
              select: { id: true, name: true },
            });
      if (agents.length === 0) {
        throw new ConflictError("No agent is online in the console to take it", [
          { path: "assigneeId", message: "nobody online" },
        ]);
      }
      const turn = await nextTurn(em);
      const rotation = new Map(
        (
          await em
            .getRepository(AgentRotation)
            .find({ where: { agentId: In(agents.map((agent) => agent.id)) } })
        ).map((row) => [row.agentId, row]),
      );
      // Oldest last turn first; an agent who never had one goes before everyone.
      const next = [...agents].sort(
        (a, b) =>
          (rotation.get(a.id)?.lastTurn ?? -1) - (rotation.get(b.id)?.lastTurn ?? -1) ||
          a.id.localeCompare(b.id),
      )[0];
      await em.getRepository(AgentRotation).upsert(
        {
          agentId: next.id,
          lastTurn: turn,
          turns: (rotation.get(next.id)?.turns ?? 0) + 1,
          updatedAt: now,
        },
        ["agentId"],
      );
      if (ticket.assigneeId === next.id) {
        return { agentId: next.id, changed: false };
      }
      await updateTicket(em, ticketId, { assigneeId: next.id, updatedAt: now });
      await appendEvent(
        em,
        ticketId,
        {
          type: "assignee_changed",
          public: false,
          actorType: by === null ? "system" : "agent",
          actorId: by?.id ?? null,
          actorName: by?.name ?? null,
          changes: [
            { field: "assigneeId", from: ticket.assigneeId, to: next.id },
            { field: "method", from: null, to: "round_robin" },
          ],
        },
        now,
      );
      return { agentId: next.id, changed: true };
    });
    if (picked.changed) {
      this.deps.notifier.emit("ticket.updated", ticketId);
      this.deps.notifier.emit(
        "ticket.assigned",
        ticketId,
        picked.agentId,
        by === null ? null : { id: by.id, name: by.name },
        true,
      );
    }
    this.deps.logger.info("tickets", "assigned round-robin", {
      ticketId,
      agentId: picked.agentId,
    });
    const dto = await this.deps.present(ticketId);
    if (dto === null) {
      throw new NotFoundError("Ticket");
    }
    return dto;
  }

  /** Listens for new tickets, and assigns each round-robin while the desk's switch is on. */
  attach(notifier: TicketNotifier): void {
    notifier.on("ticket.created", (ticketId) => {
      this.onCreated(ticketId).catch((error: unknown) => {
        const expected = error instanceof AppError && error.code === "conflict";
        this.deps.logger[expected ? "info" : "warn"]("tickets", "new ticket not assigned", {
          ticketId,
          err: String(error),
        });
      });
    });
  }

  private async onCreated(ticketId: string): Promise<void> {
    // The switch first: while it is off (the usual case) new tickets cost one shared read.
    if (!(await this.switchIsOn())) {
      return;
    }
    const assigned = await this.deps.db.read(
      async (em) => (await findTicket(em, ticketId))?.assigneeId ?? null,
    );
    if (assigned === null) {
      await this.autoAssign(null, ticketId);
    }
  }

  private switchRead: Promise<boolean> | null = null;

  /**
   * The auto-assign switch, read once for all the tickets announced while a read is under way (a
   * committed batch announces its tickets together).
   */
  private switchIsOn(): Promise<boolean> {
    if (this.switchRead === null) {
      const read = this.deps.db.read((em) => this.isOn(em));
      const done = () => {
        this.switchRead = null;
      };
      read.then(done, done);
      this.switchRead = read;
    }
    return this.switchRead;
  }

  private async isOn(em: EntityManager): Promise<boolean> {
    const setting = await em.getRepository(Setting).findOneBy({ key: AUTO_ASSIGN_SETTING });
    return setting?.value === "true";
  }
}
