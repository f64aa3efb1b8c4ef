import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  AgentCreateTicketInput,
  ListTicketsInput,
  UpdateTicketInput,
} from "../../../../shared/contracts/http/agent-tickets";
import type {
  TicketDetailDto,
  TicketDto,
  TicketEventDto,
  TicketEventPageDto,
} from "../../../../shared/contracts/http/tickets";
import { Limits } from "../../../../shared/domain/limits";
import { STATUS_TRANSITIONS, canTransition } from "../../../../shared/domain/status";
import { TICKET_STATUSES } from "../../../../shared/domain/enums";
import type { TicketStatus } from "../../../../shared/domain/enums";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import { Agent } from "../agents/agent.entity";
import { hashLinkToken, newLinkToken } from "./link-tokens";
import type { TicketLinks } from "./link-tokens";
import { AttachmentsService } from "../attachments/attachments.service";
import type { IncomingFile } from "../attachments/attachments.service";
import { linkMessageFor, openTicket } from "./open-ticket";
import { queueAgentReply, queueResolved } from "../outbox/outbox.repository";
import type { TicketOpeningPorts } from "./open-ticket";
import { Ticket } from "./ticket.entity";
import type { EventChange } from "./ticket-event.entity";
import type { TicketNotifier } from "../../events/facts";
import { listTicketIds } from "./ticket-list.repository";
import {
  appendEvent,
  countTicketsByStatus,
  findTicketWithRelations,
  listEventPage,
  listEventsAfter,
  lockTicket,
  ticketExists,
  updateTicket,
} from "./tickets.repository";
import type { NewEvent } from "./tickets.repository";
import { presentContact, presentEvent, presentHandset, presentTicket } from "./tickets.presenter";
import type { TicketExtras } from "./tickets.presenter";
import type { TicketExtensions } from "./extensions";
import { ticketMailOf } from "./ticket-mail";

/** A ticket as `GET /api/tickets/:id` answers it. */
export type TicketDetail = TicketDetailDto;

interface SummaryWaiter {
  resolve: (ticket: TicketDto | null) => void;
  reject: (error: unknown) => void;
}

const FIELD_EVENT = {
  status: "status_changed",
  priority: "priority_changed",
  category: "category_changed",
  assigneeId: "assignee_changed",
} as const;

/** What agents do with tickets: list, read, open on a customer's behalf, change, reply, note. */
export class TicketsService {
  constructor(
    private readonly db: Database,
    /** What opening a ticket needs of the modules below tickets. */
    private readonly opening: TicketOpeningPorts,
    private readonly attachments: AttachmentsService,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly links: TicketLinks,
    private readonly extensions: TicketExtensions,
  ) {}

  /** One page of the queue, as the list shows tickets. */
  async list(
    user: AuthUser,
    filter: ListTicketsInput,
  ): Promise<{ items: TicketDto[]; nextCursor: string | null }> {
    return this.db.read(async (em) => {
      const page = await listTicketIds(
        em,
        filter,
        user.id,
        (d) => this.db.dateParam(d),
        this.clock.now(),
        undefined,
        this.extensions,
      );
      return { items: await this.presentMany(em, page.ids), nextCursor: page.nextCursor };
    });
  }

  /** Tickets by id, in the order given, presented for the queue (one query for all relations). */
  async presentMany(em: EntityManager, ids: string[]): Promise<TicketDto[]> {
    if (ids.length === 0) {
      return [];
    }
    const tickets = await em.getRepository(Ticket).find({
      where: { id: In(ids) },
      relations: { customer: true, handset: { identifiers: true }, assignee: true },
    });
    const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    const today = this.clock.today();
    const extras = await this.extrasOf(em, ids);
    return ids.flatMap((id) => {
      const ticket = byId.get(id);
      return ticket ? [presentTicket(ticket, today, extras(id))] : [];
    });
  }

  /** What the registered extensions (SLA clocks, RMAs) show on these tickets' rows. */
  private extrasOf(em: EntityManager, ids: string[]): Promise<(id: string) => TicketExtras> {
    return this.extensions.extras(em, ids, this.clock.now());
  }

  /**
   * One ticket as the list shows it (the payload of ticket:created and ticket:updated). The
   * summaries asked for in one turn of the event loop (a committed batch announces all its
   * tickets at once) are read together, in one read of the queue's three queries.
   */
  summary(id: string): Promise<TicketDto | null> {
    return new Promise((resolve, reject) => {
      if (this.summaryWaiters === null) {
        this.summaryWaiters = new Map();
        setImmediate(() => this.readSummaries());
      }
      const waiting = this.summaryWaiters.get(id) ?? [];
      waiting.push({ resolve, reject });
      this.summaryWaiters.set(id, waiting);
    });
  }

  private summaryWaiters: Map<string, SummaryWaiter[]> | null = null;

  private readSummaries(): void {
    const waiters = this.summaryWaiters ?? new Map<string, SummaryWaiter[]>();
    this.summaryWaiters = null;
    const ids = [...waiters.keys()];
    this.db
      .read((em) => this.presentMany(em, ids))
      .then(
        (tickets) => {
          const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
          for (const [id, waiting] of waiters) {
            waiting.forEach((waiter) => waiter.resolve(byId.get(id) ?? null));
          }
        },
        (error: unknown) => {
          for (const waiting of waiters.values()) {
            waiting.forEach((waiter) => waiter.reject(error));
          }
        },
      );
  }

  /**
   * A ticket with customer, handset (all identifiers, warranty decision) and the latest page of
   * its history; `events` gives the pages before it. A ticket's history has no upper bound (a
   * customer can write a thousand long replies), so it is never sent whole.
   */
  async detail(id: string): Promise<TicketDetail> {
    return this.db.read(async (em) => {
      const ticket = await findTicketWithRelations(em, id);
      if (ticket === null) {
        throw new NotFoundError("Ticket");
      }
      const page = await this.eventPage(em, id);
      const today = this.clock.today();
      const customer = ticket.customer!;
      return {
        ticket: presentTicket(ticket, today, (await this.extrasOf(em, [id]))(id)),
        customer: {
          id: customer.id,
          name: customer.name,
          email: customer.email,
          phone: customer.phone,
          emailVerifiedAt: customer.emailVerifiedAt?.toISOString() ?? null,
        },
        contact: presentContact(ticket, customer),
        handset: ticket.handset ? presentHandset(ticket.handset, today) : null,
        ...page,
      };
    });
  }

  /** The page of a ticket's history before the cursor `before` (the latest page without it). */
  async events(id: string, before?: string): Promise<TicketEventPageDto> {
    return this.db.read(async (em) => {
      if (!(await ticketExists(em, id))) {
        throw new NotFoundError("Ticket");
      }
      return this.eventPage(em, id, before);
    });
  }

  private async eventPage(
    em: EntityManager,
    id: string,
    before?: string,
  ): Promise<TicketEventPageDto> {
    const page = await listEventPage(em, id, { publicOnly: false }, Limits.eventPageSize, before);
    const files = await AttachmentsService.byEvent(
      em,
      page.events.map((event) => event.id),
    );
    return {
      events: page.events.map((event) => presentEvent(event, files.get(event.id))),
      earlierCursor: page.earlierCursor,
    };
  }

  /**
   * Opens a ticket for a customer (a phone call, a walk-in). The customer's private link is
   * returned once, for the agent to pass on.
   */
  async create(
    user: AuthUser,
    input: AgentCreateTicketInput,
  ): Promise<{ ticket: TicketDto; accessUrl: string }> {
    const now = this.clock.now();
    const token = newLinkToken();
    const accessUrl = this.links.ticket(token);
    const ticket = await this.db.transaction(
      async (em) => {
        const assigneeId = input.assigneeId ?? null;
        if (assigneeId !== null) {
          await this.requireAssignable(em, assigneeId);
        }
        const opened = await openTicket(
          em,
          this.opening,
          {
            channel: "agent",
            contact: {
              email: input.customer.email,
              name: input.customer.name,
              phone: input.customer.phone ?? null,
            },
            handset: input.imei
              ? { imei: input.imei, brand: input.brand ?? null, model: input.model ?? null }
              : null,
            category: input.category,
            priority: input.priority,
            subject: input.subject,
            description: input.description,
            assigneeId,
            accessTokenHash: hashLinkToken(token),
            actor: { type: "agent", id: user.id, name: user.name },
          },
          now,
          // The customer needs the link to follow the ticket: it waits in the outbox for delivery.
          (opened) => [linkMessageFor(em, this.opening, opened, this.links.seal(accessUrl), now)],
        );
        return opened.ticket;
      },
      { retryOnClash: true },
    );
    this.notifier.emit("ticket.created", ticket.id);
    const dto = await this.summary(ticket.id);
    return { ticket: dto!, accessUrl };
  }

  /**
   * Changes status, priority, category or assignee. Each field that really changes becomes one
   * audited event with its before and after; a status move the workflow forbids is a 409 that
   * names the allowed next states.
   */
  async update(user: AuthUser, id: string, input: UpdateTicketInput): Promise<TicketDto> {
    const now = this.clock.now();
    const changed = await this.db.transaction(async (em) => {
      const repo = em.getRepository(Ticket);
      const ticket = await this.findForUpdate(em, id);
      if (ticket === null) {
        throw new NotFoundError("Ticket");
      }
      if (ticket.status === "closed") {
        throw new ConflictError("This ticket is closed; a closed ticket does not change", [
          { path: "status", message: "allowed next: none" },
        ]);
      }
      if (input.status !== undefined && !canTransition(ticket.status, input.status)) {
        const allowed = STATUS_TRANSITIONS[ticket.status];
        throw new ConflictError(
          `A ${ticket.status} ticket cannot become ${input.status}` +
            (allowed.length > 0 ? `; it can become ${allowed.join(", ")}` : "; it is final"),
          [{ path: "status", message: `allowed next: ${allowed.join(", ") || "none"}` }],
        );
      }
      if (input.assigneeId !== undefined && input.assigneeId !== null) {
        await this.requireAssignable(em, input.assigneeId);
      }
      const patch: Partial<Ticket> = {};
      const events: NewEvent[] = [];
      for (const field of ["status", "priority", "category", "assigneeId"] as const) {
        const to = input[field];
        if (to === undefined || to === ticket[field]) {
          continue;
        }
        (patch as Record<string, unknown>)[field] = to;
        events.push({
          type: FIELD_EVENT[field],
          // The customer sees their ticket's status move; priority, category and owner are internal.
          public: field === "status",
          actorType: "agent",
          actorId: user.id,
          actorName: user.name,
          changes: [{ field, from: ticket[field], to } satisfies EventChange],
        });
      }
      if (events.length === 0) {
        return false;
      }
      // Resolving stamps the time; reopening clears it; closing keeps when it was resolved.
      if (patch.status === "resolved") {
        patch.resolvedAt = now;
      } else if (patch.status !== undefined && patch.status !== "closed") {
        patch.resolvedAt = null;
      }
      await repo.update({ id }, { ...patch, updatedAt: now });
      for (const event of events) {
        await appendEvent(em, id, event, now);
      }
      if (patch.status === "resolved") {
        // The customer is told, with the link where they rate the outcome.
        const mail = await ticketMailOf(em, id);
        if (mail !== null) {
          await queueResolved(em, mail, now);
        }
      }
      // Status, priority and category move the SLA clocks (the policy, the pauses).
      if (
        patch.status !== undefined ||
        patch.priority !== undefined ||
        patch.category !== undefined
      ) {
        await this.extensions.changed(em, id, now);
      }
      return { assigneeId: patch.assigneeId };
    });
    if (changed !== false) {
      this.notifier.emit("ticket.updated", id);
      if (typeof changed.assigneeId === "string") {
        this.notifier.emit(
          "ticket.assigned",
          id,
          changed.assigneeId,
          {
            id: user.id,
            name: user.name,
          },
          false,
        );
      }
    }
    const dto = await this.summary(id);
    if (dto === null) {
      throw new NotFoundError("Ticket");
    }
    return dto;
  }

  /**
   * A public reply (the customer sees it) or an internal note (agents only). A first public reply
   * moves a new ticket to open; a closed ticket takes nothing more.
   */
  async addMessage(
    user: AuthUser,
    id: string,
    input: { body: string; internal: boolean; lastSeenSeq?: number },
    files: IncomingFile[] = [],
  ): Promise<TicketEventDto> {
    const { body, internal } = input;
    const now = this.clock.now();
    const { event, attachments } = await this.attachments.withUploads(files, (blobs) =>
      this.db.transaction(async (em) => {
        const ticket = await this.findForUpdate(em, id);
        if (ticket === null) {
          throw new NotFoundError("Ticket");
        }
        if (ticket.status === "closed") {
          throw new ConflictError("This ticket is closed");
        }
        if (input.lastSeenSeq !== undefined) {
          await this.guardReply(em, id, user, input.lastSeenSeq);
        }
        const actor = { actorType: "agent" as const, actorId: user.id, actorName: user.name };
        const event = await appendEvent(
          em,
          id,
          { type: internal ? "note" : "message", public: !internal, body, ...actor },
          now,
        );
        await this.attachments.attach(em, id, event.id, blobs, now);
        const opens = !internal && ticket.status === "new";
        if (opens) {
          await updateTicket(em, id, { status: "open", updatedAt: now });
          await appendEvent(
            em,
            id,
            {
              type: "status_changed",
              public: true,
              ...actor,
              changes: [{ field: "status", from: "new", to: "open" }],
            },
            now,
          );
        }
        const attachments = (await AttachmentsService.byEvent(em, [event.id])).get(event.id) ?? [];
        if (!internal) {
          // A first public reply meets the first-response clock (and opening moves the rest).
          await this.extensions.changed(em, id, now);
          // The customer gets the reply by email too (an internal note never leaves the desk).
          const mail = await ticketMailOf(em, id);
          if (mail !== null) {
            const fileNames = attachments.map((file) => file.filename);
            await queueAgentReply(em, { ...mail, agentName: user.name, body, fileNames }, now);
          }
        }
        return { event, attachments };
      }),
    );
    this.notifier.emit("ticket.event", id, event.id);
    this.notifier.emit("ticket.updated", id);
    return presentEvent(event, attachments);
  }

  /**
   * Reads a ticket that is about to change, locked until commit: no transition is checked against
   * a stale status, and no reply slips past a close.
   */
  private findForUpdate(em: EntityManager, id: string): Promise<Ticket | null> {
    return lockTicket(em, id);
  }

  /**
   * The reply guard: an agent who started writing at `lastSeenSeq` is stopped (409) when someone
   * else has written on the ticket since, so they read it before their reply lands after it.
   */
  private async guardReply(
    em: EntityManager,
    id: string,
    user: AuthUser,
    lastSeenSeq: number,
  ): Promise<void> {
    const newer = await listEventsAfter(em, id, lastSeenSeq);
    const others = newer.filter(
      (event) => (event.type === "message" || event.type === "note") && event.actorId !== user.id,
    );
    const latest = others[others.length - 1];
    if (latest !== undefined) {
      const who =
        latest.actorName ?? (latest.actorType === "customer" ? "The customer" : "Someone");
      throw new ConflictError(`${who} wrote on this ticket while you were typing; read it first`, [
        {
          path: "lastSeenSeq",
          message: `${others.length} new message(s) since ${lastSeenSeq}, the latest at ${latest.seq}`,
        },
      ]);
    }
  }

  /** How many tickets there are in each status. */
  async countByStatus(): Promise<Record<TicketStatus, number>> {
    const rows = await this.db.read((em) => countTicketsByStatus(em));
    const counts = Object.fromEntries(TICKET_STATUSES.map((status) => [status, 0])) as Record<
      TicketStatus,
      number
    >;
    for (const row of rows) {
      counts[row.status] = row.count;
    }
    return counts;
  }

  /** A file of one of the ticket's messages or notes (agents see all of them). */
  attachment(ticketId: string, attachmentId: string) {
    return this.attachments.open(ticketId, attachmentId, false);
  }

  private async requireAssignable(em: EntityManager, agentId: string): Promise<void> {
    const agent = await em.getRepository(Agent).findOneBy({ id: agentId });
    if (agent === null || agent.disabled) {
      throw new ValidationError("The request is not valid", [
        { path: "assigneeId", message: "is not an active agent" },
      ]);
    }
  }
}
