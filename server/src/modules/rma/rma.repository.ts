import { randomUUID } from "node:crypto";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type { ActorType, TicketStatus } from "../../../../shared/domain/enums";
import { canTransition } from "../../../../shared/domain/status";
import type { RmaLegKind, RmaState } from "../../../../shared/domain/rma";
import { Ticket } from "../tickets/ticket.entity";
import { appendEvent } from "../tickets/tickets.repository";
import { Rma } from "./rma.entity";
import { RmaLeg } from "./rma-leg.entity";
import { RmaTransition } from "./rma-transition.entity";

/** The next RMA number; like ticket numbers, concurrent callers queue on the counter's row. */
export async function nextRmaNumber(em: EntityManager): Promise<number> {
  await em.query(`UPDATE "counters" SET "value" = "value" + 1 WHERE "name" = 'rma_number'`);
  const rows: { value: number | string }[] = await em.query(
    `SELECT "value" FROM "counters" WHERE "name" = 'rma_number'`,
  );
  return Number(rows[0]?.value);
}

const FULL = {
  legs: true,
  transitions: true,
  handset: { identifiers: true },
  replacementHandset: { identifiers: true },
  distributor: true,
} as const;

/** A ticket's RMAs, newest first, with legs, history, handsets and distributor. */
export function findRmasForTicket(em: EntityManager, ticketId: string): Promise<Rma[]> {
  return em.getRepository(Rma).find({
    where: { ticketId },
    relations: FULL,
    order: { createdAt: "DESC", transitions: { seq: "ASC" } },
  });
}

/** One RMA with everything shown about it, or null. */
export function findRmaFull(em: EntityManager, id: string): Promise<Rma | null> {
  return em.getRepository(Rma).findOne({
    where: { id },
    relations: FULL,
    order: { transitions: { seq: "ASC" } },
  });
}

/** The latest RMA of each of these tickets (the one the queue shows). */
export async function findLatestRmas(
  em: EntityManager,
  ticketIds: string[],
): Promise<Map<string, Rma>> {
  if (ticketIds.length === 0) {
    return new Map();
  }
  const rows = await em.getRepository(Rma).find({
    where: { ticketId: In(ticketIds) },
    select: {
      id: true,
      ticketId: true,
      number: true,
      type: true,
      state: true,
      distributorSince: true,
      createdAt: true,
    },
    order: { createdAt: "ASC" },
  });
  return new Map(rows.map((row) => [row.ticketId, row]));
}

export interface Actor {
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
}

/** Appends a move to the RMA's own timeline. */
export async function recordTransition(
  em: EntityManager,
  rma: Rma,
  from: RmaState | null,
  to: RmaState,
  actor: Actor,
  note: string | null,
  now: Date,
): Promise<void> {
  await em.getRepository(RmaTransition).insert({
    id: randomUUID(),
    rmaId: rma.id,
    seq: rma.lastSeq,
    fromState: from,
    toState: to,
    ...actor,
    note,
    createdAt: now,
  });
}

/** Sets a leg's courier and tracking, and marks it shipped or received (creating it if needed). */
export async function upsertLeg(
  em: EntityManager,
  rmaId: string,
  kind: RmaLegKind,
  change: Partial<Pick<RmaLeg, "courier" | "trackingNumber" | "shippedAt" | "receivedAt">>,
  now: Date,
): Promise<RmaLeg> {
  const repo = em.getRepository(RmaLeg);
  const existing = await repo.findOneBy({ rmaId, kind });
  if (existing === null) {
    const leg = repo.create({
      id: randomUUID(),
      rmaId,
      kind,
      courier: null,
      trackingNumber: null,
      shippedAt: null,
      receivedAt: null,
      ...change,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(leg);
    return leg;
  }
  await repo.update({ id: existing.id }, { ...change, updatedAt: now });
  return { ...existing, ...change, updatedAt: now };
}

/**
 * Moves the ticket to `status` when the ticket workflow allows it from where it is (an RMA step
 * says where the ticket waits); audited like an agent's change. Returns whether it moved.
 */
export async function moveTicketStatus(
  em: EntityManager,
  ticket: Pick<Ticket, "id" | "status">,
  status: TicketStatus,
  actor: Actor,
  now: Date,
): Promise<boolean> {
  if (ticket.status === status || !canTransition(ticket.status, status)) {
    return false;
  }
  const patch: Partial<Ticket> = { status, updatedAt: now };
  if (status === "resolved") {
    patch.resolvedAt = now;
  } else if (status !== "closed") {
    patch.resolvedAt = null;
  }
  await em.getRepository(Ticket).update({ id: ticket.id }, patch);
  await appendEvent(
    em,
    ticket.id,
    {
      type: "status_changed",
      public: true,
      ...actor,
      changes: [{ field: "status", from: ticket.status, to: status }],
    },
    now,
  );
  return true;
}
