import type { EntityManager } from "typeorm";
import type { UpdateHandsetInput } from "../../../../shared/contracts/http/agent-tickets";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type { HandsetDto, HandsetWithTicketsDto } from "../../../../shared/contracts/http/tickets";
import { parseImei } from "../../../../shared/domain/imei";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { NotFoundError, ValidationError } from "../../errors/app-error";
import type { TicketNotifier } from "../../events/facts";
import { presentHandset } from "./handsets.presenter";
import { Handset } from "./handset.entity";
import { HandsetIdentifier } from "./handset-identifier.entity";
import { findHandset, findHandsetBatch } from "./handsets.repository";
import { recordHandsetChanges } from "./handset-history.repository";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { findVariantWithModel } from "../catalog/catalog.repository";
import type { CatalogVerdicts, HistoryChange, TicketHistory } from "../catalog/ports";

const WARRANTY_FIELDS = [
  "warrantySource",
  "warrantyStart",
  "warrantyEnd",
  "doaDeadline",
  "voidReason",
] as const;
const DEVICE_FIELDS = ["brand", "model", "purchaseDate", "variantId"] as const;

export type HandsetWithTickets = HandsetWithTicketsDto;

/** Handset records: find by any identifier, read, and change warranty and declared facts. */
export class HandsetsService {
  constructor(
    private readonly db: Database,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    /** The desk's verdict on a handset's variant, from carriers. */
    private readonly carriers: CatalogVerdicts,
    /** A handset's tickets and their history, from tickets. */
    private readonly tickets: TicketHistory,
  ) {}

  /** Handsets carrying this identifier; an IMEI is matched in canonical form however typed. */
  async findByIdentifier(raw: string): Promise<HandsetDto[]> {
    const imei = parseImei(raw);
    const value = imei.valid ? imei.imei : raw.trim();
    return this.db.read(async (em) => {
      const rows = await em
        .getRepository(HandsetIdentifier)
        .find({ where: { value }, select: { handsetId: true } });
      const today = this.clock.today();
      const handsets = await Promise.all(rows.map((row) => findHandset(em, row.handsetId)));
      return handsets.flatMap((handset) => (handset ? [presentHandset(handset, today)] : []));
    });
  }

  async get(id: string): Promise<HandsetWithTickets> {
    return this.db.read(async (em) => {
      const handset = await findHandset(em, id);
      if (handset === null) {
        throw new NotFoundError("Handset");
      }
      const tickets = await this.tickets.ticketsOfHandset(em, id, false);
      const variant = handset.variantId ? await findVariantWithModel(em, handset.variantId) : null;
      const batch = await findHandsetBatch(em, handset);
      return {
        ...presentHandset(handset, this.clock.today()),
        variant: variant
          ? {
              id: variant.id,
              name: variant.name,
              brand: variant.model?.brand ?? "",
              model: variant.model?.name ?? "",
            }
          : null,
        batch: batch ? { id: batch.id, reference: batch.reference } : null,
        verdict: await this.carriers.deskVerdict(em, handset.variantId, this.clock.today()),
        tickets: tickets.map((t) => ({
          id: t.id,
          number: ticketNumberLabel(t.number),
          subject: t.subject,
          status: t.status,
        })),
      };
    });
  }

  /**
   * Changes warranty terms or declared facts. The result must make sense (the warranty ends after
   * it starts; the DOA window does not start before the warranty); each change is written to the
   * handset's history, and becomes an audited event on every ticket of the handset not closed.
   */
  async update(user: AuthUser, id: string, input: UpdateHandsetInput): Promise<HandsetDto> {
    const now = this.clock.now();
    const { handset, ticketIds } = await this.db.transaction(async (em) => {
      const repo = em.getRepository(Handset);
      // Locked until commit, so two concurrent changes are checked against each other's result
      // (one sets the start, the other an earlier end) and the audit shows true befores.
      const current = await repo.findOne({ where: { id }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("Handset");
      }
      const next = { ...current };
      const changes: HistoryChange[] = [];
      for (const field of [...WARRANTY_FIELDS, ...DEVICE_FIELDS]) {
        const to = input[field];
        if (to === undefined || to === current[field]) {
          continue;
        }
        (next as Record<string, unknown>)[field] = to;
        changes.push({ field, from: current[field], to });
      }
      this.checkConsistent(next);
      if (
        next.variantId !== current.variantId &&
        next.variantId !== null &&
        !(await em.getRepository(DeviceVariant).existsBy({ id: next.variantId }))
      ) {
        throw new ValidationError("The request is not valid", [
          { path: "variantId", message: "is not a variant" },
        ]);
      }
      if (changes.length === 0) {
        return { handset: current, ticketIds: [] };
      }
      await repo.update(
        { id },
        { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now },
      );
      // The handset's own history, whatever the state of its tickets (none may be open).
      await recordHandsetChanges(
        em,
        changes.map((change) => ({ handsetId: id, ...change })),
        { source: "agent", actorId: user.id, actorName: user.name },
        now,
      );
      const tickets = await this.tickets.ticketsOfHandset(em, id, true);
      const warranty = changes.filter((c) =>
        (WARRANTY_FIELDS as readonly string[]).includes(c.field),
      );
      const device = changes.filter((c) => (DEVICE_FIELDS as readonly string[]).includes(c.field));
      const actor = {
        actorType: "agent" as const,
        actorId: user.id,
        actorName: user.name,
        public: false,
      };
      const variantChange = device.find((c) => c.field === "variantId");
      const variantWords = variantChange
        ? `variant set to ${await variantName(em, variantChange.to)} (was ${await variantName(em, variantChange.from)})`
        : null;
      for (const ticket of tickets) {
        if (warranty.length > 0) {
          await this.tickets.append(
            em,
            ticket.id,
            { type: "warranty_changed", changes: warranty, ...actor },
            now,
          );
        }
        if (device.length > 0) {
          await this.tickets.append(
            em,
            ticket.id,
            { type: "handset_changed", changes: device, body: variantWords, ...actor },
            now,
          );
        }
      }
      // The variant and the declared brand decide flags (variant unknown, brand mismatch): every
      // ticket of the handset gets them recomputed now, closed ones too (search finds by flag).
      const reflagged =
        device.length > 0 ? await this.tickets.recheckFlags(em, { handsetIds: [id] }, now) : [];
      return {
        handset: await repo.findOneByOrFail({ id }),
        ticketIds: [...new Set([...tickets.map((t) => t.id), ...reflagged])],
      };
    });
    for (const ticketId of ticketIds) {
      this.notifier.emit("ticket.updated", ticketId);
    }
    const full = await this.db.read((em) => findHandset(em, handset.id));
    return presentHandset(full!, this.clock.today());
  }

  private checkConsistent(h: Handset): void {
    const problems: { path: string; message: string }[] = [];
    if (h.warrantyStart && h.warrantyEnd && h.warrantyEnd < h.warrantyStart) {
      problems.push({ path: "warrantyEnd", message: "must not be before warrantyStart" });
    }
    if (h.warrantyStart && h.doaDeadline && h.doaDeadline < h.warrantyStart) {
      problems.push({ path: "doaDeadline", message: "must not be before warrantyStart" });
    }
    if (h.purchaseDate && h.purchaseDate > this.clock.today()) {
      problems.push({ path: "purchaseDate", message: "cannot be in the future" });
    }
    if (problems.length > 0) {
      throw new ValidationError("The request is not valid", problems);
    }
  }
}

/** A variant as the ticket's history names it ("Xiaomi Redmi Note 3 Snapdragon (kenzo)"). */
async function variantName(em: EntityManager, id: HistoryChange["to"]): Promise<string> {
  if (typeof id !== "string") {
    return "not known";
  }
  const variant = await findVariantWithModel(em, id);
  return variant === null
    ? "a variant no longer in the catalogue"
    : `${variant.model?.brand ?? ""} ${variant.model?.name ?? ""} ${variant.name}`.trim();
}
