import { RMA_TYPES_FOR } from "../../../../shared/domain/rma";
import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type {
  OpenRmaInput,
  PortalRmaView,
  RmaDto,
  RmaLegFields,
  RmaTransitionInput,
  UpdateRmaInput,
} from "../../../../shared/contracts/http/rma";
import type { ErrorDetail } from "../../../../shared/errors";
import {
  RMA_DISTRIBUTOR_STATES,
  RMA_INITIAL_STATE,
  RMA_LEG_LABELS,
  RMA_LEG_RECEIVED_BY,
  RMA_STATE_LABELS,
  RMA_TICKET_STATUS,
  RMA_TYPE_LABELS,
  RMA_CUSTOMER_WORDS,
  canMoveRma,
  formatMoney,
  isRmaFinished,
  nextRmaStates,
  rmaMoveNeeds,
  rmaNumberLabel,
} from "../../../../shared/domain/rma";
import type { RmaLegKind, RmaState } from "../../../../shared/domain/rma";
import { decideWarranty } from "../../../../shared/domain/warranty";
import type { WarrantyStatus } from "../../../../shared/domain/warranty";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import { ImportBatch } from "../batches/import-batch.entity";
import { Handset } from "../handsets/handset.entity";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { findHandset, findHandsetCarrying, findHandsetRow } from "../handsets/handsets.repository";
import { queueQuoteSent, queueRmaShipped } from "../outbox/outbox.repository";
import { hashLinkToken } from "../tickets/link-tokens";
import { ticketMailOf } from "../tickets/ticket-mail";
import { recomputeTicketSla } from "../sla/ticket-sla.repository";
import { Ticket } from "../tickets/ticket.entity";
import type { EventChange } from "../tickets/ticket-event.entity";
import type { TicketNotifier } from "../../events/facts";
import {
  appendEvent,
  findTicketIdByTokenHash,
  lockTicket,
  ticketExists,
} from "../tickets/tickets.repository";
import { HandsetReplacement } from "./handset-replacement.entity";
import { recordHandsetChanges } from "../handsets/handset-history.repository";
import { describeEntry } from "../register/register.presenter";
import { decidingEntry, isFlagging } from "../register/register.repository";
import { Rma } from "./rma.entity";
import { RmaLeg } from "./rma-leg.entity";
import { latestPortalRma, presentRma } from "./rma.presenter";
import {
  findRmaFull,
  findRmasForTicket,
  moveTicketStatus,
  nextRmaNumber,
  recordTransition,
  upsertLeg,
} from "./rma.repository";
import type { Actor } from "./rma.repository";

const WARRANTY_WORDS: Record<WarrantyStatus, string> = {
  doa: "dead on arrival",
  covered: "covered",
  not_covered: "not covered",
  pending: "pending (the warranty is not recorded yet)",
};

/**
 * Refuses (409) an RMA on a handset whose IMEI the lost/stolen register flags (its latest report
 * or decisive check: lost, stolen, flagged), naming the entry; the desk never ships a unit it was
 * told is stolen. A recovered report or a clear check lifts it.
 */
async function refuseRegistered(em: EntityManager, handsetId: string): Promise<void> {
  const imeis = await em
    .getRepository(HandsetIdentifier)
    .find({ where: { handsetId, kind: "imei" }, select: { value: true } });
  for (const { value } of imeis) {
    const entry = await decidingEntry(em, value);
    if (isFlagging(entry)) {
      throw new ConflictError(
        `No RMA on a handset on the lost/stolen register: ${describeEntry(entry)}`,
        [
          {
            path: "handset",
            message: `is on the lost/stolen register (entry ${entry.id}); a recovered report or a clear check lifts it`,
          },
        ],
      );
    }
  }
}

const agentActor = (user: AuthUser): Actor => ({
  actorType: "agent",
  actorId: user.id,
  actorName: user.name,
});

/**
 * RMA cases on tickets: open one (the handset's warranty decides which types are possible),
 * move it through the machine of docs/DOMAIN.md (illegal moves are 409 with the allowed next states),
 * record legs, diagnosis, quote, costs and the replacement unit; the customer accepts a quote on
 * their ticket page. Every move is an audited ticket event, and the RMA's step sets where the
 * ticket waits (so the SLA clock pauses while the unit is at the distributor).
 */
export class RmaService {
  constructor(
    private readonly db: Database,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
  ) {}

  /** A ticket's RMAs, newest first. */
  async listForTicket(ticketId: string): Promise<RmaDto[]> {
    return this.db.read(async (em) => {
      if (!(await ticketExists(em, ticketId))) {
        throw new NotFoundError("Ticket");
      }
      return (await findRmasForTicket(em, ticketId)).map(presentRma);
    });
  }

  /** One RMA. */
  async get(rmaId: string): Promise<RmaDto> {
    const rma = await this.db.read((em) => findRmaFull(em, rmaId));
    if (rma === null) {
      throw new NotFoundError("RMA");
    }
    return presentRma(rma);
  }

  /**
   * Opens an RMA on the ticket's handset. The warranty decision today decides the type: a
   * handset with no cover (`none`, voided, expired, or not yet recorded) only gets a paid repair,
   * which reaches the distributor only once the customer accepts its quote.
   */
  async open(user: AuthUser, ticketId: string, input: OpenRmaInput): Promise<RmaDto> {
    const now = this.clock.now();
    const rmaId = await this.db.transaction(async (em) => {
      const ticket = await this.lockTicket(em, ticketId);
      if (ticket.handsetId === null) {
        throw new ConflictError("This ticket has no handset to return", [
          { path: "ticket", message: "record the handset's IMEI first" },
        ]);
      }
      const open = (await em.getRepository(Rma).find({ where: { ticketId } })).find(
        (rma) => !isRmaFinished(rma.state),
      );
      if (open !== undefined) {
        throw new ConflictError(
          `This ticket already has an open RMA (${RMA_STATE_LABELS[open.state]})`,
          [{ path: "type", message: "finish the open RMA first" }],
        );
      }
      const handset = await findHandsetRow(em, ticket.handsetId);
      await refuseRegistered(em, handset.id);
      const warranty = decideWarranty(handset, this.clock.today()).status;
      const allowed = RMA_TYPES_FOR[warranty];
      if (!allowed.includes(input.type)) {
        throw new ConflictError(
          `The handset's warranty is ${WARRANTY_WORDS[warranty]}: it can get ` +
            allowed.map((type) => RMA_TYPE_LABELS[type].toLowerCase()).join(", ") +
            `, not ${RMA_TYPE_LABELS[input.type].toLowerCase()}`,
          [{ path: "type", message: `allowed: ${allowed.join(", ")}` }],
        );
      }
      const batch = handset.batchId
        ? await em.getRepository(ImportBatch).findOneBy({ id: handset.batchId })
        : null;
      const state = RMA_INITIAL_STATE[input.type];
      const rma = em.getRepository(Rma).create({
        id: randomUUID(),
        ticketId,
        handsetId: handset.id,
        replacementHandsetId: null,
        distributorId: batch?.distributorId ?? null,
        // A DOA ships a replacement at once, so it needs its number now; others at approval.
        number: input.type === "doa_advance_replacement" ? await nextRmaNumber(em) : null,
        type: input.type,
        state,
        warrantyAtOpen: warranty,
        distributorRef: null,
        diagnosis: null,
        outcome: null,
        quoteAmountMinor: null,
        quoteCurrency: null,
        quoteDescription: null,
        quoteSentAt: null,
        quoteDecision: null,
        quoteDecidedAt: null,
        costCurrency: null,
        distributorCostMinor: null,
        shippingCostMinor: null,
        distributorSince: null,
        lastSeq: 1,
        openedById: user.id,
        createdAt: now,
        updatedAt: now,
      });
      await em.getRepository(Rma).insert(rma);
      const actor = agentActor(user);
      await recordTransition(em, rma, null, state, actor, input.note ?? null, now);
      const changes: EventChange[] = [
        { field: "rmaType", from: null, to: input.type },
        { field: "rmaState", from: null, to: state },
      ];
      if (rma.number !== null) {
        changes.push({ field: "rmaNumber", from: null, to: rmaNumberLabel(rma.number) });
      }
      await appendEvent(
        em,
        ticketId,
        { type: "rma_opened", public: false, ...actor, body: input.note ?? null, changes },
        now,
      );
      return rma.id;
    });
    this.notifier.emit("ticket.updated", ticketId);
    return this.get(rmaId);
  }

  /**
   * An agent's move. The machine, the RMA's type and the ticket decide what is allowed; a move
   * that is not is a 409 naming the allowed next states, and changes nothing.
   */
  async transition(user: AuthUser, rmaId: string, input: RmaTransitionInput): Promise<RmaDto> {
    const ticketId = await this.db.transaction(async (em) => {
      const { rma, ticket } = await this.lockRmaAndTicket(em, rmaId);
      if (input.from !== undefined && input.from !== rma.state) {
        throw new ConflictError(
          `This RMA moved to ${RMA_STATE_LABELS[rma.state]} meanwhile; look again first`,
          [{ path: "from", message: `is now ${rma.state}` }],
        );
      }
      if (!canMoveRma(rma.type, rma.state, input.to, "agent")) {
        throw this.illegalMove(rma, input.to);
      }
      this.checkNeeds(input);
      await this.applyMove(em, rma, ticket, input, agentActor(user));
      return ticket.id;
    });
    this.notifier.emit("ticket.updated", ticketId);
    return this.get(rmaId);
  }

  /** Changes the case's facts (distributor reference, diagnosis, outcome, costs), audited. */
  async update(user: AuthUser, rmaId: string, input: UpdateRmaInput): Promise<RmaDto> {
    const now = this.clock.now();
    const ticketId = await this.db.transaction(async (em) => {
      const { rma } = await this.lockRmaAndTicket(em, rmaId);
      const changes: EventChange[] = [];
      const patch: Partial<Rma> = {};
      for (const field of [
        "distributorRef",
        "diagnosis",
        "outcome",
        "costCurrency",
        "distributorCostMinor",
        "shippingCostMinor",
      ] as const) {
        const to = input[field];
        if (to === undefined || to === rma[field]) {
          continue;
        }
        (patch as Record<string, unknown>)[field] = to;
        changes.push({ field, from: rma[field], to });
      }
      const after = { ...rma, ...patch };
      const currency = after.costCurrency;
      const distributorCost = after.distributorCostMinor;
      const shippingCost = after.shippingCostMinor;
      if (currency === null && (distributorCost !== null || shippingCost !== null)) {
        throw new ValidationError("The request is not valid", [
          { path: "costCurrency", message: "is required with a cost" },
        ]);
      }
      if (changes.length === 0) {
        return null;
      }
      await em.getRepository(Rma).update({ id: rmaId }, { ...patch, updatedAt: now });
      await appendEvent(
        em,
        rma.ticketId,
        { type: "rma_updated", public: false, ...agentActor(user), changes },
        now,
      );
      return rma.ticketId;
    });
    if (ticketId !== null) {
      this.notifier.emit("ticket.updated", ticketId);
    }
    return this.get(rmaId);
  }

  /** Records a leg's courier and tracking number (e.g. the customer's own shipment to the desk). */
  async setLeg(
    user: AuthUser,
    rmaId: string,
    kind: RmaLegKind,
    input: RmaLegFields,
  ): Promise<RmaDto> {
    const now = this.clock.now();
    const ticketId = await this.db.transaction(async (em) => {
      const { rma } = await this.lockRmaAndTicket(em, rmaId);
      if (isRmaFinished(rma.state)) {
        throw new ConflictError("This RMA is finished; its legs do not change");
      }
      const before = (rma.legs ?? []).find((leg) => leg.kind === kind);
      await upsertLeg(em, rmaId, kind, input, now);
      await em.getRepository(Rma).update({ id: rmaId }, { updatedAt: now });
      await appendEvent(
        em,
        rma.ticketId,
        {
          type: "rma_updated",
          public: false,
          ...agentActor(user),
          body: RMA_LEG_LABELS[kind],
          changes: [
            { field: `${kind}.courier`, from: before?.courier ?? null, to: input.courier },
            {
              field: `${kind}.trackingNumber`,
              from: before?.trackingNumber ?? null,
              to: input.trackingNumber,
            },
          ],
        },
        now,
      );
      return rma.ticketId;
    });
    this.notifier.emit("ticket.updated", ticketId);
    return this.get(rmaId);
  }

  /**
   * The customer's answer to a quote, through their ticket link. Accepting moves the RMA on (the
   * unit can go to the distributor); declining is recorded for the desk, which then sends the
   * unit back. Once answered, a quote stays answered (409).
   */
  async decideQuote(token: string, decision: "accept" | "decline"): Promise<PortalRmaView> {
    const now = this.clock.now();
    const ticketId = await this.db.transaction(async (em) => {
      const id = await findTicketIdByTokenHash(em, hashLinkToken(token));
      if (id === null) {
        throw new NotFoundError("Ticket");
      }
      const ticket = await this.lockTicket(em, id);
      const latest = (await findRmasForTicket(em, id))[0];
      if (latest === undefined) {
        throw new NotFoundError("Quote");
      }
      const rma = await this.lockRma(em, latest.id);
      if (rma.state !== "quote_sent" || rma.quoteDecision !== null) {
        throw new ConflictError(
          rma.quoteDecision !== null
            ? `You have already ${rma.quoteDecision} this quote`
            : "There is no quote waiting for your answer",
          [{ path: "decision", message: "no open quote" }],
        );
      }
      const withCustomer = await em
        .getRepository(Ticket)
        .findOneOrFail({ where: { id }, relations: { customer: true } });
      const actor: Actor = {
        actorType: "customer",
        actorId: withCustomer.customerId,
        actorName: withCustomer.customer?.name ?? null,
      };
      if (decision === "accept") {
        await this.applyMove(em, rma, ticket, { to: "quote_accepted" }, actor);
      } else {
        await em
          .getRepository(Rma)
          .update(
            { id: rma.id },
            { quoteDecision: "declined", quoteDecidedAt: now, updatedAt: now },
          );
        await appendEvent(
          em,
          id,
          {
            type: "rma_updated",
            public: false,
            ...actor,
            changes: [{ field: "quoteDecision", from: null, to: "declined" }],
          },
          now,
        );
      }
      return id;
    });
    this.notifier.emit("ticket.updated", ticketId);
    const view = await this.db.read((em) => latestPortalRma(em, ticketId));
    return view!;
  }

  /** Applies a legal move: its facts, its legs, the timeline, the audit, the ticket's status. */
  private async applyMove(
    em: EntityManager,
    rma: Rma,
    ticket: Ticket,
    input: RmaTransitionInput,
    actor: Actor,
  ): Promise<void> {
    const now = this.clock.now();
    const from = rma.state;
    const to = input.to;
    const patch: Partial<Rma> = { state: to, lastSeq: rma.lastSeq + 1, updatedAt: now };
    const changes: EventChange[] = [{ field: "rmaState", from, to }];
    if (to === "approved" && rma.number === null) {
      patch.number = await nextRmaNumber(em);
      changes.push({ field: "rmaNumber", from: null, to: rmaNumberLabel(patch.number) });
    }
    if (input.diagnosis !== undefined) {
      patch.diagnosis = input.diagnosis;
      changes.push({ field: "diagnosis", from: rma.diagnosis, to: input.diagnosis });
    }
    if (input.outcome !== undefined) {
      patch.outcome = input.outcome;
      changes.push({ field: "outcome", from: rma.outcome, to: input.outcome });
    }
    if (to === "quote_sent" && input.quote !== undefined) {
      Object.assign(patch, {
        quoteAmountMinor: input.quote.amountMinor,
        quoteCurrency: input.quote.currency,
        quoteDescription: input.quote.description ?? null,
        quoteSentAt: now,
        quoteDecision: null,
        quoteDecidedAt: null,
      });
      changes.push({ field: "quoteAmountMinor", from: null, to: input.quote.amountMinor });
      changes.push({ field: "quoteCurrency", from: null, to: input.quote.currency });
    }
    if (to === "quote_accepted") {
      patch.quoteDecision = "accepted";
      patch.quoteDecidedAt = now;
    } else if (from === "quote_sent" && rma.quoteDecision === null) {
      // The desk sends the unit back without an answer on the page: the quote was declined.
      patch.quoteDecision = "declined";
      patch.quoteDecidedAt = now;
    }
    if (input.replacement !== undefined) {
      const replacement = await this.createReplacement(
        em,
        rma,
        ticket,
        input.replacement,
        to,
        now,
        actor,
      );
      patch.replacementHandsetId = replacement.id;
      changes.push({ field: "replacementImei", from: null, to: input.replacement.imei.imei });
    }
    const shipped = rmaMoveNeeds(to).leg;
    if (shipped !== null && input.leg !== undefined) {
      await upsertLeg(em, rma.id, shipped, { ...input.leg, shippedAt: now, receivedAt: null }, now);
      changes.push({
        field: `${shipped}.trackingNumber`,
        from: null,
        to: input.leg.trackingNumber,
      });
    }
    await this.tellCustomer(em, { ...rma, ...patch }, ticket.id, to, input);
    const received = RMA_LEG_RECEIVED_BY[to];
    if (received !== undefined) {
      await upsertLeg(em, rma.id, received, { receivedAt: now }, now);
    }
    if (RMA_DISTRIBUTOR_STATES.includes(to)) {
      patch.distributorSince = rma.distributorSince ?? now;
    } else {
      patch.distributorSince = null;
    }
    await em.getRepository(Rma).update({ id: rma.id }, patch);
    await recordTransition(
      em,
      { ...rma, lastSeq: rma.lastSeq + 1 },
      from,
      to,
      actor,
      input.note ?? null,
      now,
    );
    await appendEvent(
      em,
      ticket.id,
      { type: "rma_state_changed", public: false, ...actor, body: input.note ?? null, changes },
      now,
    );
    const status = RMA_TICKET_STATUS[to];
    if (status !== undefined && (await moveTicketStatus(em, ticket, status, actor, now))) {
      await recomputeTicketSla(em, ticket.id, now);
    }
  }

  /**
   * The customer's email for a move that concerns them, in the move's transaction: a leg shipped
   * (courier and tracking when the parcel comes to them) and a quote to answer.
   */
  private async tellCustomer(
    em: EntityManager,
    rma: Rma,
    ticketId: string,
    to: RmaState,
    input: RmaTransitionInput,
  ): Promise<void> {
    const shipped = rmaMoveNeeds(to).leg;
    const quoted = to === "quote_sent" && input.quote !== undefined;
    if ((shipped === null || input.leg === undefined) && !quoted) {
      return;
    }
    const mail = await ticketMailOf(em, ticketId);
    if (mail === null) {
      return;
    }
    const rmaNumber = rma.number === null ? null : rmaNumberLabel(rma.number);
    if (shipped !== null && input.leg !== undefined) {
      await queueRmaShipped(
        em,
        {
          ...mail,
          rmaNumber: rmaNumber ?? "your return",
          words: RMA_CUSTOMER_WORDS[to] ?? RMA_STATE_LABELS[to],
          parcel: shipped === "desk_to_customer" ? input.leg : null,
        },
        this.clock.now(),
      );
    }
    if (quoted) {
      await queueQuoteSent(
        em,
        {
          ...mail,
          rmaNumber,
          amount: formatMoney(input.quote!.amountMinor, input.quote!.currency),
          description: input.quote!.description ?? null,
        },
        this.clock.now(),
      );
    }
  }

  /**
   * The replacement unit: a new handset of the same customer, its IMEI recorded, its warranty
   * carried over from the unit it replaces (no new DOA window), linked to that unit. An IMEI
   * already on another handset is refused (409): a replacement is never a known unit.
   */
  private async createReplacement(
    em: EntityManager,
    rma: Rma,
    ticket: Ticket,
    input: NonNullable<RmaTransitionInput["replacement"]>,
    to: RmaState,
    now: Date,
    actor: Actor,
  ): Promise<Handset> {
    const { imei } = input;
    if ((await findHandsetCarrying(em, "imei", imei.imei)) !== null) {
      throw new ConflictError("This IMEI is already on another handset", [
        { path: "replacement.imei", message: "is already recorded on a handset" },
      ]);
    }
    const old = await findHandset(em, rma.handsetId);
    if (old === null) {
      throw new NotFoundError("Handset");
    }
    const id = randomUUID();
    await em.getRepository(Handset).insert({
      id,
      customerId: ticket.customerId,
      brand: input.brand ?? old.brand,
      model: input.model ?? old.model,
      purchaseDate: old.purchaseDate,
      warrantySource: old.warrantySource,
      warrantyStart: old.warrantyStart,
      warrantyEnd: old.warrantyEnd,
      doaDeadline: null,
      voidReason: null,
      variantId: input.model === undefined ? old.variantId : null,
      batchId: null,
      createdAt: now,
      updatedAt: now,
    });
    await em.getRepository(HandsetIdentifier).insert({
      id: randomUUID(),
      handsetId: id,
      kind: "imei",
      value: imei.imei,
      slot: 1,
      // A DOA swap comes from the desk's stock; a distributor's replacement from the distributor.
      source: to === "advance_replacement_shipped" ? "agent" : "distributor",
      softwareVersion: imei.softwareVersion,
      createdAt: now,
    });
    await em.getRepository(HandsetReplacement).insert({
      id: randomUUID(),
      handsetId: id,
      replacesHandsetId: old.id,
      rmaId: rma.id,
      createdAt: now,
    });
    // Both units' histories say which replaced which.
    const rmaRef = rma.number === null ? "an RMA" : `RMA ${rmaNumberLabel(rma.number)}`;
    await recordHandsetChanges(
      em,
      [
        { handsetId: old.id, field: "replacedBy", from: null, to: id, context: rmaRef },
        { handsetId: id, field: "replaces", from: null, to: old.id, context: rmaRef },
      ],
      {
        source: actor.actorType,
        actorId: actor.actorId,
        actorName: actor.actorType === "agent" ? actor.actorName : null,
      },
      now,
    );
    return findHandsetRow(em, id);
  }

  private checkNeeds(input: RmaTransitionInput): void {
    const needs = rmaMoveNeeds(input.to);
    const missing: ErrorDetail[] = [];
    if (needs.leg !== null && input.leg === undefined) {
      missing.push({ path: "leg", message: `is required: the courier and tracking number` });
    }
    if (needs.diagnosis && input.diagnosis === undefined) {
      missing.push({ path: "diagnosis", message: "is required" });
    }
    if (needs.quote && input.quote === undefined) {
      missing.push({ path: "quote", message: "is required: amount and currency" });
    }
    if (needs.replacement && input.replacement === undefined) {
      missing.push({ path: "replacement", message: "is required: the new unit's IMEI" });
    }
    if (needs.note && input.note === undefined) {
      missing.push({ path: "note", message: "is required: the reason" });
    }
    const unexpected = (
      [
        ["leg", needs.leg !== null],
        ["quote", needs.quote],
        ["replacement", needs.replacement],
      ] as const
    ).filter(([field, wanted]) => !wanted && input[field] !== undefined);
    for (const [field] of unexpected) {
      missing.push({ path: field, message: `does not belong to a move to ${input.to}` });
    }
    if (missing.length > 0) {
      throw new ValidationError("The request is not valid", missing);
    }
  }

  private illegalMove(rma: Rma, to: RmaState): ConflictError {
    const allowed = nextRmaStates(rma.type, rma.state, "agent");
    const list = allowed.join(", ");
    const labels = allowed.map((state) => RMA_STATE_LABELS[state]).join(", ");
    const reason =
      to === "quote_accepted"
        ? "only the customer accepts a quote, on their ticket page"
        : `a ${RMA_TYPE_LABELS[rma.type].toLowerCase()} in ${RMA_STATE_LABELS[rma.state]} cannot go to ${RMA_STATE_LABELS[to]}`;
    return new ConflictError(
      `${reason.charAt(0).toUpperCase()}${reason.slice(1)}` +
        (allowed.length > 0 ? `; it can go to ${labels}` : "; it is finished"),
      [{ path: "to", message: `allowed next: ${list || "none"}` }],
    );
  }

  private async lockTicket(em: EntityManager, id: string): Promise<Ticket> {
    const ticket = await lockTicket(em, id);
    if (ticket === null) {
      throw new NotFoundError("Ticket");
    }
    if (ticket.status === "closed") {
      throw new ConflictError("This ticket is closed; its RMA does not change", [
        { path: "ticket", message: "is closed" },
      ]);
    }
    return ticket;
  }

  /**
   * Locks the RMA's ticket, then the RMA (the order every writer of a ticket follows, so that
   * an agent's move and the customer's answer to a quote never deadlock on PostgreSQL).
   */
  private async lockRmaAndTicket(
    em: EntityManager,
    rmaId: string,
  ): Promise<{ rma: Rma; ticket: Ticket }> {
    const found = await em
      .getRepository(Rma)
      .findOne({ where: { id: rmaId }, select: { id: true, ticketId: true } });
    if (found === null) {
      throw new NotFoundError("RMA");
    }
    const ticket = await this.lockTicket(em, found.ticketId);
    return { rma: await this.lockRma(em, rmaId), ticket };
  }

  private async lockRma(em: EntityManager, id: string): Promise<Rma> {
    const rma = await em.getRepository(Rma).findOne({ where: { id }, ...this.db.forUpdate });
    if (rma === null) {
      throw new NotFoundError("RMA");
    }
    rma.legs = await em.getRepository(RmaLeg).find({ where: { rmaId: id } });
    return rma;
  }
}
