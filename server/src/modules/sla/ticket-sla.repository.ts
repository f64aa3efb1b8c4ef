import { Brackets, In } from "typeorm";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import type { SlaFilter } from "../../../../shared/contracts/http/sla";
import type { Category, Priority, TicketStatus } from "../../../../shared/domain/enums";
import { evaluateSla } from "../../../../shared/domain/sla";
import type { SlaClock, SlaEvaluation, SlaTerms, SlaTimeline } from "../../../../shared/domain/sla";
import { dialectOf } from "../../db/dialect";
import { selectRows } from "../../db/rows";
import { Ticket } from "../tickets/ticket.entity";
import { TicketEvent } from "../tickets/ticket-event.entity";
import { appendEvent } from "../tickets/tickets.repository";
import { SlaPolicy } from "./sla-policy.entity";
import { TicketSla } from "./ticket-sla.entity";

/** The two clocks, by the prefix of their columns. */
export const SLA_CLOCKS = ["firstResponse", "resolution"] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/** The policy for a priority and category: the category's own, else the priority's general one. */
export async function findPolicyFor(
  em: EntityManager,
  priority: Priority,
  category: Category,
): Promise<SlaPolicy | null> {
  const policies = await selectRows(em, SlaPolicy, `"priority" = ?`, [priority]);
  return (
    policies.find((policy) => policy.category === category) ??
    policies.find((policy) => policy.category === null) ??
    null
  );
}

/** The ticket's status story and first response, as the clocks read it. */
async function loadTimeline(
  em: EntityManager,
  ticket: Pick<Ticket, "id" | "status" | "channel" | "createdAt" | "updatedAt">,
): Promise<SlaTimeline> {
  const events = em.getRepository(TicketEvent);
  const moves = await events.find({
    where: { ticketId: ticket.id, type: "status_changed" },
    order: { seq: "ASC" },
    select: { id: true, seq: true, createdAt: true, changes: true },
  });
  const statuses: SlaTimeline["statuses"] = [{ at: ticket.createdAt.getTime(), status: "new" }];
  for (const move of moves) {
    const to = move.changes?.find((change) => change.field === "status")?.to;
    if (typeof to === "string") {
      statuses.push({ at: move.createdAt.getTime(), status: to as TicketStatus });
    }
  }
  // A ticket written without history (an import) still has a status: take it as of its update.
  if (statuses[statuses.length - 1].status !== ticket.status) {
    statuses.push({ at: ticket.updatedAt.getTime(), status: ticket.status });
  }
  let firstResponseAt: number | null;
  if (ticket.channel === "agent") {
    // Opened by an agent (a call, a walk-in): the customer was answered as it was opened.
    firstResponseAt = ticket.createdAt.getTime();
  } else {
    const reply = await events.findOne({
      where: { ticketId: ticket.id, type: "message", actorType: "agent", public: true },
      order: { seq: "ASC" },
      select: { id: true, createdAt: true },
    });
    firstResponseAt = reply?.createdAt.getTime() ?? null;
  }
  return { createdAt: ticket.createdAt.getTime(), statuses, firstResponseAt };
}

const at = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/**
 * Recomputes a ticket's SLA inside the caller's unit of work (so the clocks commit with the
 * change that moved them): finds its policy, evaluates both clocks at `now`, stores them, keeps
 * `tickets.slaDueAt` current for the queue's order, and records a newly missed target as a
 * breach with an `sla_breached` event. Returns the clocks that became breached now.
 */
export async function recomputeTicketSla(
  em: EntityManager,
  ticketId: string,
  now: Date,
): Promise<SlaClockName[]> {
  // The ticket's row first, as every writer of a ticket locks it (PostgreSQL): the sweep then
  // never holds this ticket's clocks while waiting for a change that waits for them.
  const ticket = await em.getRepository(Ticket).findOne({
    where: { id: ticketId },
    ...dialectOf(em).forUpdate,
    select: {
      id: true,
      status: true,
      priority: true,
      category: true,
      channel: true,
      createdAt: true,
      updatedAt: true,
      slaDueAt: true,
    },
  });
  if (ticket === null) {
    return [];
  }
  const repo = em.getRepository(TicketSla);
  const previous = await repo.findOneBy({ ticketId });
  const policy = await findPolicyFor(em, ticket.priority, ticket.category);
  const evaluation =
    policy === null
      ? null
      : evaluateSla(await loadTimeline(em, ticket), policyTerms(policy), now.getTime());
  const { row, nextDueAt, newlyBreached } = clocksRow(ticketId, policy, evaluation, previous, now);
  if (previous === null) {
    await repo.insert(row);
  } else {
    await repo.update({ ticketId }, row);
  }
  if ((ticket.slaDueAt?.getTime() ?? null) !== (nextDueAt?.getTime() ?? null)) {
    // The queue's order, not a change anyone made: updatedAt stays.
    await em.getRepository(Ticket).update({ id: ticketId }, { slaDueAt: nextDueAt });
  }
  await recordBreaches(em, ticketId, row, newlyBreached, now);
  return newlyBreached;
}

/**
 * The clocks of a ticket being opened at `now` (status new, no history yet), computed before
 * its row is written: the ticket's slaDueAt comes from here, and the caller writes `row` after
 * the ticket and records `newlyBreached` (a zero-minute target) with recordBreaches. Needs no
 * read of the ticket or its events, unlike a recompute.
 */
export function startTicketSla(
  ticket: Pick<Ticket, "id" | "channel">,
  policy: SlaPolicy | null,
  now: Date,
): { row: TicketSla; nextDueAt: Date | null; newlyBreached: SlaClockName[] } {
  const at = now.getTime();
  const evaluation =
    policy === null
      ? null
      : evaluateSla(
          {
            createdAt: at,
            statuses: [{ at, status: "new" }],
            // Opened by an agent (a call, a walk-in): the customer was answered as it was opened.
            firstResponseAt: ticket.channel === "agent" ? at : null,
          },
          policyTerms(policy),
          at,
        );
  return clocksRow(ticket.id, policy, evaluation, null, now);
}

function policyTerms(policy: SlaPolicy): SlaTerms {
  return {
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    hours: policy.businessHours,
    pauseStatuses: policy.pauseStatuses,
  };
}

/**
 * The clocks row for an evaluation (none without a policy), keeping a breach already recorded,
 * and which clocks were newly breached.
 */
function clocksRow(
  ticketId: string,
  policy: SlaPolicy | null,
  evaluation: SlaEvaluation | null,
  previous: TicketSla | null,
  now: Date,
): { row: TicketSla; nextDueAt: Date | null; newlyBreached: SlaClockName[] } {
  const row = Object.assign(new TicketSla(), {
    ticketId,
    policyId: policy?.id ?? null,
    pausedSince: at(evaluation?.pausedSince ?? null),
    computedAt: now,
  });
  const newlyBreached: SlaClockName[] = [];
  for (const name of SLA_CLOCKS) {
    const clock: SlaClock | null = evaluation?.[name] ?? null;
    const wasBreachedAt = previous?.[`${name}BreachedAt`] ?? null;
    const breachedAt = clock?.breached ? (wasBreachedAt ?? at(clock.dueAt)) : null;
    if (breachedAt !== null && wasBreachedAt === null) {
      newlyBreached.push(name);
    }
    Object.assign(row, {
      [`${name}State`]: clock?.state ?? null,
      [`${name}TargetMinutes`]: clock === null ? null : clock.targetMs / 60_000,
      [`${name}DueAt`]: at(clock?.dueAt ?? null),
      [`${name}At`]: at(clock?.achievedAt ?? null),
      [`${name}RemainingMs`]: clock?.remainingMs ?? null,
      [`${name}BreachedAt`]: breachedAt,
    });
  }
  return { row, nextDueAt: at(evaluation?.nextDueAt ?? null), newlyBreached };
}

/** A newly missed target is recorded with an `sla_breached` event. */
export async function recordBreaches(
  em: EntityManager,
  ticketId: string,
  row: TicketSla,
  newlyBreached: SlaClockName[],
  now: Date,
): Promise<void> {
  for (const name of newlyBreached) {
    await appendEvent(
      em,
      ticketId,
      {
        type: "sla_breached",
        public: false,
        actorType: "system",
        actorId: null,
        actorName: null,
        changes: [
          {
            field: name,
            from: null,
            to: (row[`${name}BreachedAt`] as Date).toISOString(),
          },
        ],
      },
      now,
    );
  }
}

/** The SLA rows of these tickets, with their policies, by ticket id. */
export async function findTicketSlas(
  em: EntityManager,
  ticketIds: string[],
): Promise<Map<string, TicketSla>> {
  if (ticketIds.length === 0) {
    return new Map();
  }
  const rows = await em
    .getRepository(TicketSla)
    .find({ where: { ticketId: In(ticketIds) }, relations: { policy: true } });
  return new Map(rows.map((row) => [row.ticketId, row]));
}

/** Tickets with a running clock that fell due at or before `now` and is not yet marked breached. */
export async function findDueUnmarked(
  em: EntityManager,
  now: Date | string,
  limit: number,
): Promise<string[]> {
  const ids = new Set<string>();
  for (const name of SLA_CLOCKS) {
    const rows = await em
      .getRepository(TicketSla)
      .createQueryBuilder("s")
      .select("s.ticketId", "ticketId")
      .where(`s.${name}State = 'running'`)
      .andWhere(`s.${name}BreachedAt IS NULL`)
      .andWhere(`s.${name}DueAt <= :now`, { now })
      .limit(limit)
      .getRawMany<{ ticketId: string }>();
    rows.forEach((row) => ids.add(row.ticketId));
  }
  return [...ids].slice(0, limit);
}

/** Tickets not resolved or closed of these priorities, a page at a time by id. */
export async function findActiveTicketIds(
  em: EntityManager,
  priorities: Priority[],
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const qb = em
    .getRepository(Ticket)
    .createQueryBuilder("t")
    .select("t.id", "id")
    .where("t.status NOT IN (:...done)", { done: ["resolved", "closed"] })
    .orderBy("t.id", "ASC")
    .limit(limit);
  if (priorities.length > 0) {
    qb.andWhere("t.priority IN (:...priorities)", { priorities });
  }
  if (afterId !== null) {
    qb.andWhere("t.id > :afterId", { afterId });
  }
  return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
}

/**
 * Whether every ticket has its clocks row: rows are keyed by ticket and go with it, so as many
 * rows as tickets means none is missing. Two counts, cheap even at a million tickets.
 */
export async function everyTicketHasClocks(em: EntityManager): Promise<boolean> {
  const [clocks, tickets] = [
    await em.getRepository(TicketSla).count(),
    await em.getRepository(Ticket).count(),
  ];
  return clocks >= tickets;
}

/**
 * A page of the active tickets in id order after `afterId`, each with whether it has clocks: the
 * backfill walks them a page per read rather than one anti-join over all of them.
 */
export async function pageActiveClocked(
  em: EntityManager,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; clocked: boolean }[]> {
  const qb = em
    .getRepository(Ticket)
    .createQueryBuilder("t")
    .select("t.id", "id")
    .addSelect("s.ticketId", "clocked")
    .leftJoin(TicketSla, "s", "s.ticketId = t.id")
    .where("t.status NOT IN (:...done)", { done: ["resolved", "closed"] })
    .orderBy("t.id", "ASC")
    .limit(limit);
  if (afterId !== null) {
    qb.andWhere("t.id > :afterId", { afterId });
  }
  const rows = await qb.getRawMany<{ id: string; clocked: string | null }>();
  return rows.map((row) => ({ id: row.id, clocked: row.clocked !== null }));
}

/**
 * Narrows a query on tickets (alias `t`) to an SLA state, the same way for the queue's filter and
 * the breach counts: `breached` (a target missed: recorded, or a running clock overdue now),
 * `at_risk` (due within `soon`, nothing missed yet), `paused`. Dates are query parameters.
 */
export function applySlaFilter(
  qb: SelectQueryBuilder<Ticket>,
  filter: SlaFilter,
  now: Date | string,
  soon: Date | string,
): void {
  const marked = () =>
    qb
      .subQuery()
      .select("s.ticketId")
      .from(TicketSla, "s")
      .where("s.firstResponseBreachedAt IS NOT NULL")
      .orWhere("s.resolutionBreachedAt IS NOT NULL")
      .getQuery();
  switch (filter) {
    case "breached":
      qb.andWhere(
        new Brackets((or) => {
          or.where(`t.id IN ${marked()}`).orWhere("t.slaDueAt <= :slaNow", { slaNow: now });
        }),
      );
      return;
    case "at_risk":
      qb.andWhere("t.slaDueAt > :slaNow", { slaNow: now })
        .andWhere("t.slaDueAt <= :slaSoon", { slaSoon: soon })
        .andWhere(`t.id NOT IN ${marked()}`);
      return;
    case "paused":
      qb.andWhere(
        `t.id IN ${qb
          .subQuery()
          .select("p.ticketId")
          .from(TicketSla, "p")
          .where("p.pausedSince IS NOT NULL")
          .getQuery()}`,
      );
      return;
  }
}

/** How many active tickets (optionally one agent's) are in an SLA state. */
export async function countSla(
  em: EntityManager,
  filter: SlaFilter,
  now: Date | string,
  soon: Date | string,
  assigneeId: string | null,
): Promise<number> {
  const qb = em
    .getRepository(Ticket)
    .createQueryBuilder("t")
    .where("t.status NOT IN (:...done)", { done: ["resolved", "closed"] });
  if (assigneeId !== null) {
    qb.andWhere("t.assigneeId = :assigneeId", { assigneeId });
  }
  applySlaFilter(qb, filter, now, soon);
  return qb.getCount();
}
