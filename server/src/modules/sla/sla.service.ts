import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { SLA_AT_RISK_MS } from "../../../../shared/contracts/http/sla";
import type {
  CreateSlaPolicyInput,
  SlaPolicyDto,
  SlaSummaryDto,
  UpdateSlaPolicyInput,
} from "../../../../shared/contracts/http/sla";
import type { Priority } from "../../../../shared/domain/enums";
import { PRIORITIES } from "../../../../shared/domain/enums";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import type { TicketNotifier } from "../../events/facts";
import { presentSlaPolicy } from "./sla.presenter";
import { SlaPolicy } from "./sla-policy.entity";
import {
  countSla,
  everyTicketHasClocks,
  findActiveTicketIds,
  findDueUnmarked,
  pageActiveClocked,
  recomputeTicketSla,
} from "./ticket-sla.repository";

/** Tickets recomputed per unit of work, so other requests get the database in between. */
/** Between backfill batches: time for the requests queued meanwhile. */
const BACKFILL_PAUSE_MS = 25;
const BATCH = 50;
/** How often running clocks are checked for falling due. */
const SWEEP_EVERY_MS = 30_000;

/** Most urgent first. */
const rank = (priority: Priority): number => -PRIORITIES.indexOf(priority);

/**
 * SLA policies and the clocks they drive: admins edit policies (every open ticket they cover is
 * recomputed), agents read breach counts, and a sweep records clocks that fall due between two
 * changes of their ticket. The clocks themselves are recomputed inside each ticket change (see
 * recomputeTicketSla).
 */
export class SlaService {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private backfilling: Promise<unknown> | null = null;

  constructor(
    private readonly db: Database,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Every policy, most urgent priority first, the general one before category ones. */
  async listPolicies(): Promise<SlaPolicyDto[]> {
    const policies = await this.db.read((em) => em.getRepository(SlaPolicy).find());
    return policies
      .sort(
        (a, b) =>
          rank(a.priority) - rank(b.priority) || (a.category ?? "").localeCompare(b.category ?? ""),
      )
      .map(presentSlaPolicy);
  }

  /** Adds a policy; 409 when its priority and category already have one. */
  async createPolicy(user: AuthUser, input: CreateSlaPolicyInput): Promise<SlaPolicyDto> {
    const now = this.clock.now();
    const policy = await this.db.transaction(async (em) => {
      await this.requireFreeScope(em, input.priority, input.category, null);
      const row = em.getRepository(SlaPolicy).create({
        id: randomUUID(),
        ...input,
        updatedById: user.id,
        createdAt: now,
        updatedAt: now,
      });
      await em.getRepository(SlaPolicy).insert(row);
      return row;
    });
    this.logger.info("tickets", "policy created", { policyId: policy.id, by: user.id });
    await this.recomputeTickets([policy.priority]);
    return presentSlaPolicy(policy);
  }

  /** Changes a policy; the tickets it covers (before and after) get new clocks. */
  async updatePolicy(
    user: AuthUser,
    id: string,
    input: UpdateSlaPolicyInput,
  ): Promise<SlaPolicyDto> {
    const now = this.clock.now();
    const { before, after } = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SlaPolicy);
      const current = await repo.findOne({ where: { id }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("SLA policy");
      }
      const next: SlaPolicy = { ...current };
      for (const [key, value] of Object.entries(input)) {
        if (value !== undefined) {
          (next as unknown as Record<string, unknown>)[key] = value;
        }
      }
      if (next.firstResponseMinutes === null && next.resolutionMinutes === null) {
        throw new ConflictError("A policy needs a first-response or a resolution target", [
          { path: "resolutionMinutes", message: "set a first-response or a resolution target" },
        ]);
      }
      if (next.priority !== current.priority || next.category !== current.category) {
        await this.requireFreeScope(em, next.priority, next.category, id);
      }
      next.updatedAt = now;
      next.updatedById = user.id;
      await repo.save(next);
      return { before: current, after: next };
    });
    this.logger.info("tickets", "policy changed", { policyId: id, by: user.id });
    await this.recomputeTickets([...new Set([before.priority, after.priority])]);
    return presentSlaPolicy(after);
  }

  /** Removes a policy; its tickets fall back to another policy, or to none. */
  async deletePolicy(user: AuthUser, id: string): Promise<void> {
    const removed = await this.db.transaction(async (em) => {
      const policy = await em.getRepository(SlaPolicy).findOneBy({ id });
      if (policy === null) {
        throw new NotFoundError("SLA policy");
      }
      await em.getRepository(SlaPolicy).delete({ id });
      return policy;
    });
    this.logger.info("tickets", "policy deleted", { policyId: id, by: user.id });
    await this.recomputeTickets([removed.priority]);
  }

  /** Breaches counted over tickets not resolved or closed: all of them, and the caller's. */
  async summary(user: AuthUser): Promise<SlaSummaryDto> {
    const now = this.clock.now();
    const nowParam = this.db.dateParam(now);
    const soon = this.db.dateParam(new Date(now.getTime() + SLA_AT_RISK_MS));
    return this.db.read(async (em) => ({
      breached: await countSla(em, "breached", nowParam, soon, null),
      atRisk: await countSla(em, "at_risk", nowParam, soon, null),
      paused: await countSla(em, "paused", nowParam, soon, null),
      mine: {
        breached: await countSla(em, "breached", nowParam, soon, user.id),
        atRisk: await countSla(em, "at_risk", nowParam, soon, user.id),
      },
    }));
  }

  /**
   * Records every running clock that fell due since the last look: a breach and an
   * `sla_breached` event on its ticket, announced as a ticket update. Returns how many tickets.
   */
  sweep(): Promise<number> {
    // One sweep at a time: the timer and a test may ask together.
    this.sweeping ??= this.runSweep().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const ids = await this.db.read((em) => findDueUnmarked(em, this.db.dateParam(now), BATCH));
      if (ids.length === 0) {
        return total;
      }
      const changed = await this.db.transaction(async (em) => {
        const marked: string[] = [];
        for (const id of ids) {
          if ((await recomputeTicketSla(em, id, now)).length > 0) {
            marked.push(id);
          }
        }
        return marked;
      });
      changed.forEach((id) => this.notifier.emit("ticket.updated", id));
      total += changed.length;
      if (changed.length === 0) {
        // Due rows that recompute did not mark (they moved meanwhile): nothing more to do now.
        return total;
      }
    }
  }

  /**
   * Recomputes the clocks of every ticket not resolved or closed of these priorities (all, when
   * empty), a batch per unit of work, and announces each.
   */
  async recomputeTickets(priorities: Priority[]): Promise<number> {
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const ids: string[] = await this.db.read((em) =>
        findActiveTicketIds(em, priorities, after, BATCH),
      );
      if (ids.length === 0) {
        return total;
      }
      await this.recomputeBatch(ids);
      total += ids.length;
      after = ids[ids.length - 1];
    }
  }

  /**
   * Gives clocks to open tickets that never had them (a database from before SLAs). It runs in
   * the background at start: it announces nothing (a first clock is not news to anyone, and an
   * announcement per ticket would make the publisher re-read every one of them), and it never
   * holds the database for long. When every ticket has its row (a desk that had SLAs from the
   * start), two counts say so. Otherwise it walks the open tickets in id order, a page per read
   * (one anti-join over all of them would hold the database for a second at a million tickets),
   * and computes the missing clocks in transactions of about 20 ms, pausing between them: one
   * year-old running clock alone takes milliseconds to compute.
   */
  async backfill(): Promise<number> {
    const pageSize = 1000;
    const sliceMs = 20;
    if (await this.db.read((em) => everyTicketHasClocks(em))) {
      return 0;
    }
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const from: string | null = after;
      const page: { id: string; clocked: boolean }[] = await this.db.read((em) =>
        pageActiveClocked(em, from, pageSize),
      );
      if (page.length === 0) {
        return total;
      }
      after = page[page.length - 1].id;
      let missing = page.filter((row) => !row.clocked).map((row) => row.id);
      while (missing.length > 0) {
        const ids = missing;
        const done = await this.db.transaction(async (em) => {
          const now = this.clock.now();
          const started = performance.now();
          let count = 0;
          do {
            await recomputeTicketSla(em, ids[count], now);
            count++;
          } while (count < ids.length && performance.now() - started < sliceMs);
          return count;
        });
        total += done;
        missing = ids.slice(done);
        await new Promise((resolve) => setTimeout(resolve, BACKFILL_PAUSE_MS));
      }
    }
  }

  private async recomputeBatch(ids: string[], announce = true): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      for (const id of ids) {
        await recomputeTicketSla(em, id, now);
      }
    });
    if (announce) {
      ids.forEach((id) => this.notifier.emit("ticket.updated", id));
    }
  }

  /** Starts the periodic sweep (and a one-off backfill); stop() ends it. */
  start(): void {
    const run = () =>
      this.sweep().then(
        (marked) => marked > 0 && this.logger.info("tickets", "breaches recorded", { marked }),
        (error: unknown) => this.logger.warn("tickets", "sweep failed", { err: String(error) }),
      );
    this.backfilling = this.backfill().then(
      (filled) => filled > 0 && this.logger.info("tickets", "clocks computed", { tickets: filled }),
      (error: unknown) => this.logger.warn("tickets", "backfill failed", { err: String(error) }),
    );
    this.timer = setInterval(() => void run(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the sweep and waits for one in flight. */
  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.sweeping?.catch(() => undefined);
    await this.backfilling;
  }

  private async requireFreeScope(
    em: EntityManager,
    priority: Priority,
    category: SlaPolicy["category"],
    exceptId: string | null,
  ): Promise<void> {
    const same = await em.getRepository(SlaPolicy).find({ where: { priority } });
    if (same.some((policy) => policy.category === category && policy.id !== exceptId)) {
      throw new ConflictError(
        category === null
          ? `There is already a general policy for ${priority} tickets`
          : `There is already a policy for ${priority} tickets in ${category}`,
        [{ path: "category", message: "already has a policy for this priority" }],
      );
    }
  }
}
