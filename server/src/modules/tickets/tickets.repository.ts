import { randomUUID } from "node:crypto";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { dialectOf } from "../../db/dialect";
import type { EntityManager } from "typeorm";
import { In, LessThan, MoreThan } from "typeorm";
import type { FindOptionsWhere } from "typeorm";
import type { ActorType, TicketEventType, TicketStatus } from "../../../../shared/domain/enums";
import { queryReturning } from "../../db/rows";
import { ValidationError } from "../../errors/app-error";
import { Ticket } from "./ticket.entity";
import { TicketEvent } from "./ticket-event.entity";
import type { EventChange } from "./ticket-event.entity";

/**
 * The next human ticket number, in one statement: the counter row is updated and read back
 * together, so on PostgreSQL concurrent creators queue on its row lock and never get the same
 * number.
 */
export async function nextTicketNumber(em: EntityManager): Promise<number> {
  const rows = await queryReturning<{ value: number | string }>(
    em,
    `UPDATE "counters" SET "value" = "value" + 1 WHERE "name" = 'ticket_number' RETURNING "value"`,
    [],
  );
  if (rows.length !== 1) {
    throw new Error("the ticket_number counter is missing");
  }
  return Number(rows[0].value);
}

export interface NewEvent {
  type: TicketEventType;
  public: boolean;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  body?: string | null;
  changes?: EventChange[] | null;
}

/**
 * Appends an event to a ticket's history and touches the ticket. The sequence is bumped on the
 * ticket row first, which also serialises concurrent writers of one ticket on PostgreSQL.
 */
export async function appendEvent(
  em: EntityManager,
  ticketId: string,
  event: NewEvent,
  now: Date,
): Promise<TicketEvent> {
  await em
    .createQueryBuilder()
    .update(Ticket)
    .set({ lastEventSeq: () => `"lastEventSeq" + 1`, updatedAt: now })
    .where("id = :ticketId", { ticketId })
    .execute();
  const { lastEventSeq } = await em
    .getRepository(Ticket)
    .findOneOrFail({ where: { id: ticketId }, select: { id: true, lastEventSeq: true } });
  const row = em.getRepository(TicketEvent).create({
    id: randomUUID(),
    ticketId,
    seq: lastEventSeq,
    body: null,
    changes: null,
    ...event,
    createdAt: now,
  });
  await em.getRepository(TicketEvent).insert(row);
  return row;
}

/** A ticket with its customer, handset (and identifiers) and assignee, or null. */
export function findTicketWithRelations(em: EntityManager, id: string): Promise<Ticket | null> {
  return em.getRepository(Ticket).findOne({
    where: { id },
    relations: { customer: true, handset: { identifiers: true }, assignee: true },
  });
}

/** The id of the ticket whose link token hashes to `tokenHash`, or null. */
export async function findTicketIdByTokenHash(
  em: EntityManager,
  tokenHash: string,
): Promise<string | null> {
  const row = await em
    .getRepository(Ticket)
    .findOne({ where: { accessTokenHash: tokenHash }, select: { id: true } });
  return row?.id ?? null;
}

/** Which of a ticket's events a reader sees: agents all, the customer only public messages. */
export interface EventFilter {
  publicOnly: boolean;
  /** Only these types (none: every type). */
  types?: TicketEventType[];
}

/** One page of a ticket's history, oldest first, and the cursor for the page before it. */
export interface EventPage {
  events: TicketEvent[];
  earlierCursor: string | null;
}

/**
 * The page of a ticket's events (those `filter` lets through) that ends just before the event
 * `before` names, or the latest page without it. The cursor is the id of the page's oldest
 * event, so it means nothing outside its ticket; one of another ticket, or one the reader may
 * not see, is refused like a malformed one (400), never a hint about what exists.
 */
export async function listEventPage(
  em: EntityManager,
  ticketId: string,
  filter: EventFilter,
  limit: number,
  before?: string,
): Promise<EventPage> {
  const where: FindOptionsWhere<TicketEvent> = { ticketId };
  if (filter.publicOnly) {
    where.public = true;
  }
  if (filter.types !== undefined) {
    where.type = In(filter.types);
  }
  if (before !== undefined) {
    const cursor = await em.getRepository(TicketEvent).findOne({
      where: { ...where, id: before },
      select: { id: true, seq: true },
    });
    if (cursor === null) {
      throw new ValidationError("The query is not valid", [
        { path: "query.before", message: "is not a cursor of this ticket" },
      ]);
    }
    where.seq = LessThan(cursor.seq);
  }
  // One more than a page says whether there is a page before this one.
  const newestFirst = await em
    .getRepository(TicketEvent)
    .find({ where, order: { seq: "DESC" }, take: limit + 1 });
  const events = newestFirst.slice(0, limit).reverse();
  return {
    events,
    earlierCursor: newestFirst.length > limit && events.length > 0 ? events[0].id : null,
  };
}

/** Whether a ticket with this id exists. */
export function ticketExists(em: EntityManager, id: string): Promise<boolean> {
  return em.getRepository(Ticket).existsBy({ id });
}

/** A ticket's own row (no relations), or null. */
export function findTicket(em: EntityManager, id: string): Promise<Ticket | null> {
  return em.getRepository(Ticket).findOneBy({ id });
}

/**
 * A ticket's own row, locked until commit where the database has row locks (every writer of a
 * ticket takes it first, so concurrent changes of one ticket take turns), or null.
 */
export function lockTicket(em: EntityManager, id: string): Promise<Ticket | null> {
  return em.getRepository(Ticket).findOne({ where: { id }, ...dialectOf(em).forUpdate });
}

/** Sets columns of one ticket's row. */
export async function updateTicket(
  em: EntityManager,
  id: string,
  patch: QueryDeepPartialEntity<Ticket>,
): Promise<void> {
  await em.getRepository(Ticket).update({ id }, patch);
}

/** One event by id, or null. */
export function findEvent(em: EntityManager, id: string): Promise<TicketEvent | null> {
  return em.getRepository(TicketEvent).findOneBy({ id });
}

/** The events of a ticket after `seq`, in order. */
export function listEventsAfter(
  em: EntityManager,
  ticketId: string,
  seq: number,
): Promise<TicketEvent[]> {
  return em.getRepository(TicketEvent).find({
    where: { ticketId, seq: MoreThan(seq) },
    order: { seq: "ASC" },
  });
}

/** Ticket counts per status (statuses without tickets are absent). */
export async function countTicketsByStatus(
  em: EntityManager,
): Promise<{ status: TicketStatus; count: number }[]> {
  const rows: { status: TicketStatus; count: string | number }[] = await em
    .getRepository(Ticket)
    .createQueryBuilder("t")
    .select("t.status", "status")
    .addSelect("COUNT(*)", "count")
    .groupBy("t.status")
    .getRawMany();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}
