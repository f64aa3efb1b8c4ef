import { randomUUID } from "node:crypto";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  CustomerErasureDto,
  CustomerExportDto,
} from "../../../../shared/contracts/http/privacy";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { Attachment } from "../attachments/attachment.entity";
import type { AttachmentStore } from "../attachments/attachment-store";
import { Customer } from "../customers/customer.entity";
import { Handset } from "../handsets/handset.entity";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { OutboxMessage } from "../outbox/outbox.entity";
import { Rma } from "../rma/rma.entity";
import { RmaTransition } from "../rma/rma-transition.entity";
import { Ticket } from "../tickets/ticket.entity";
import { TicketEvent } from "../tickets/ticket-event.entity";
import type { EventChange } from "../tickets/ticket-event.entity";
import type { TicketNotifier } from "../../events/facts";
import { CustomerErasure } from "./customer-erasure.entity";
import type { ErasureCounts } from "./customer-erasure.entity";

/** What replaces erased text. */
export const ERASED = "[erased]";
const ERASED_NAME = "Erased customer";

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/**
 * Replaces every occurrence of the customer's identifiers (case-insensitive) in text an agent
 * wrote about them. Longest first, so a full name goes before its parts.
 */
export function scrubber(identifiers: string[]): (text: string) => string {
  const terms = [...new Set(identifiers.map((t) => t.trim()).filter((t) => t.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  if (terms.length === 0) {
    return (text) => text;
  }
  const pattern = new RegExp(
    terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "giu",
  );
  return (text) => text.replace(pattern, ERASED);
}

/**
 * A customer's data on request (export) and their erasure (docs/SECURITY.md, "Customer
 * erasure"): admin only; the routes check the role.
 */
export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly store: AttachmentStore,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Everything held about the customer, as JSON: record, tickets with history, files, handsets. */
  async export(customerId: string): Promise<CustomerExportDto> {
    return this.db.read(async (em) => {
      const customer = await em.getRepository(Customer).findOneBy({ id: customerId });
      if (customer === null) {
        throw new NotFoundError("Customer");
      }
      const tickets = await em
        .getRepository(Ticket)
        .find({ where: { customerId }, order: { number: "ASC" } });
      const ids = tickets.map((t) => t.id);
      const events =
        ids.length === 0
          ? []
          : await em
              .getRepository(TicketEvent)
              .find({ where: { ticketId: In(ids) }, order: { ticketId: "ASC", seq: "ASC" } });
      const files =
        ids.length === 0
          ? []
          : await em
              .getRepository(Attachment)
              .find({ where: { ticketId: In(ids) }, order: { createdAt: "ASC", position: "ASC" } });
      const handsets = await handsetsOf(em, customerId);
      const owned = new Set(handsets.map((h) => h.id));
      const identifiers =
        handsets.length === 0
          ? []
          : await em
              .getRepository(HandsetIdentifier)
              .find({ where: { handsetId: In(handsets.map((h) => h.id)) } });
      const rmas =
        ids.length === 0 ? [] : await em.getRepository(Rma).find({ where: { ticketId: In(ids) } });
      const outbox = await outboxOf(em, customer.email, ids);
      const erasure = await em.getRepository(CustomerErasure).findOneBy({ customerId });
      return {
        exportedAt: this.clock.now().toISOString(),
        customer: {
          id: customer.id,
          email: customer.email,
          name: customer.name,
          phone: customer.phone,
          emailVerifiedAt: iso(customer.emailVerifiedAt),
          createdAt: customer.createdAt.toISOString(),
          updatedAt: customer.updatedAt.toISOString(),
          erasedAt: erasure === null ? null : erasure.erasedAt.toISOString(),
        },
        tickets: tickets.map((t) => ({
          id: t.id,
          number: `GD-${t.number}`,
          subject: t.subject,
          description: t.description,
          category: t.category,
          status: t.status,
          priority: t.priority,
          channel: t.channel,
          contactName: t.contactName,
          contactPhone: t.contactPhone,
          handsetId: t.handsetId !== null && owned.has(t.handsetId) ? t.handsetId : null,
          satisfaction: t.satisfaction,
          satisfactionComment: t.satisfactionComment,
          createdAt: t.createdAt.toISOString(),
          updatedAt: t.updatedAt.toISOString(),
          resolvedAt: iso(t.resolvedAt),
          messages: events
            .filter((e) => e.ticketId === t.id && e.body !== null)
            .map((e) => ({
              id: e.id,
              type: e.type,
              internal: !e.public,
              from: e.actorType,
              authorName: e.actorName,
              body: e.body ?? "",
              createdAt: e.createdAt.toISOString(),
            })),
          attachments: files
            .filter((f) => f.ticketId === t.id)
            .map((f) => ({
              id: f.id,
              messageId: f.eventId,
              filename: f.filename,
              contentType: f.contentType,
              size: f.size,
              sha256: f.sha256,
              createdAt: f.createdAt.toISOString(),
            })),
          rmas: rmas
            .filter((r) => r.ticketId === t.id)
            .map((r) => ({
              id: r.id,
              number: r.number === null ? null : `RMA-${r.number}`,
              type: r.type,
              state: r.state,
              createdAt: r.createdAt.toISOString(),
            })),
        })),
        handsets: handsets.map((h) => ({
          id: h.id,
          brand: h.brand,
          model: h.model,
          purchaseDate: h.purchaseDate,
          warrantySource: h.warrantySource,
          warrantyStart: h.warrantyStart,
          warrantyEnd: h.warrantyEnd,
          identifiers: identifiers
            .filter((i) => i.handsetId === h.id)
            .map((i) => ({ kind: i.kind, value: i.value })),
        })),
        // The body carries the ticket's secret link: subjects and dates only.
        emails: outbox.map((m) => ({
          id: m.id,
          kind: m.kind,
          subject: m.subject,
          createdAt: m.createdAt.toISOString(),
          sentAt: iso(m.sentAt),
        })),
      };
    });
  }

  /**
   * Erases a customer, irreversibly, in one transaction: their record keeps its id (tickets still
   * count in reports) with name, email and phone replaced; on each of their tickets the subject,
   * description, rating comment, the contact given and every message they wrote are replaced,
   * what agents wrote is kept with the customer's identifiers replaced, every file is deleted,
   * the secret link revoked; their mail leaves the outbox; handsets stay (warranty and batch
   * figures) without an owner. The audit keeps who, when and why. After the commit the files go
   * from disk and, on SQLite, the search index is merged and the WAL checkpointed, so the old text
   * is not left in free pages (secure_delete) or index segments.
   */
  async erase(
    customerId: string,
    input: { reason: string; confirmEmail: string },
    admin: AuthUser,
  ): Promise<CustomerErasureDto> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (em) => {
      if (this.db.kind !== "sqlite") {
        return this.eraseIn(em, customerId, input, admin, now);
      }
      // Freed space in the file is zeroed, not left holding the erased text.
      await em.query("PRAGMA secure_delete = ON");
      try {
        return await this.eraseIn(em, customerId, input, admin, now);
      } finally {
        await em.query("PRAGMA secure_delete = OFF");
      }
    });

    for (const key of result.keys) {
      await this.store.remove(key);
    }
    await this.compact();
    for (const id of result.ids) {
      this.notifier.emit("ticket.link-revoked", id);
      this.notifier.emit("ticket.updated", id);
    }
    this.logger.info("tickets", "customer erased", {
      erasureId: result.erasure.id,
      actorId: admin.id,
      ...result.erasure.counts,
    });
    return presentErasure(result.erasure);
  }

  private async eraseIn(
    em: EntityManager,
    customerId: string,
    input: { reason: string; confirmEmail: string },
    admin: AuthUser,
    now: Date,
  ): Promise<{ erasure: CustomerErasure; ids: string[]; keys: string[] }> {
    {
      const customer = await em
        .getRepository(Customer)
        .findOne({ where: { id: customerId }, ...this.db.forUpdate });
      if (customer === null) {
        throw new NotFoundError("Customer");
      }
      if ((await em.getRepository(CustomerErasure).countBy({ customerId })) > 0) {
        throw new ConflictError("This customer was already erased");
      }
      if (input.confirmEmail.trim().toLowerCase() !== customer.email.toLowerCase()) {
        throw new ValidationError("The confirmation does not match", [
          { path: "confirmEmail", message: "must be the customer's email address, to confirm" },
        ]);
      }
      const tickets = await em.getRepository(Ticket).find({ where: { customerId } });
      const ids = tickets.map((t) => t.id);
      const identifiers = [
        customer.email,
        customer.email.split("@")[0] ?? "",
        customer.name,
        ...customer.name.split(/\s+/),
        customer.phone ?? "",
        ...tickets.flatMap((t) => [
          t.contactName ?? "",
          ...(t.contactName ?? "").split(/\s+/),
          t.contactPhone ?? "",
        ]),
      ];
      const scrub = scrubber(identifiers);
      const scrubOrNull = (text: string | null) => (text === null ? null : scrub(text));
      const counts: ErasureCounts = {
        tickets: tickets.length,
        messages: 0,
        attachments: 0,
        outbox: 0,
        handsets: 0,
      };

      for (const ticket of tickets) {
        await em.getRepository(Ticket).update(
          { id: ticket.id },
          {
            subject: ERASED,
            description: ERASED,
            contactName: null,
            contactPhone: null,
            satisfactionComment: null,
            accessTokenHash: null,
            updatedAt: now,
          },
        );
      }
      const events =
        ids.length === 0
          ? []
          : await em.getRepository(TicketEvent).find({ where: { ticketId: In(ids) } });
      for (const event of events) {
        const byCustomer = event.actorType === "customer";
        const body = byCustomer && event.body !== null ? ERASED : scrubOrNull(event.body);
        const actorName = byCustomer ? ERASED_NAME : scrubOrNull(event.actorName);
        const changes = event.changes === null ? null : event.changes.map(scrubChange(scrub));
        if (byCustomer && event.body !== null) {
          counts.messages += 1;
        }
        if (
          body !== event.body ||
          actorName !== event.actorName ||
          JSON.stringify(changes) !== JSON.stringify(event.changes)
        ) {
          await em
            .getRepository(TicketEvent)
            .update({ id: event.id }, { body, actorName, changes });
        }
      }
      const files =
        ids.length === 0
          ? []
          : await em.getRepository(Attachment).find({ where: { ticketId: In(ids) } });
      if (files.length > 0) {
        await em.getRepository(Attachment).delete({ id: In(files.map((f) => f.id)) });
      }
      counts.attachments = files.length;

      const rmas =
        ids.length === 0 ? [] : await em.getRepository(Rma).find({ where: { ticketId: In(ids) } });
      for (const rma of rmas) {
        await em.getRepository(Rma).update(
          { id: rma.id },
          {
            diagnosis: scrubOrNull(rma.diagnosis),
            outcome: scrubOrNull(rma.outcome),
            quoteDescription: scrubOrNull(rma.quoteDescription),
          },
        );
        const moves = await em.getRepository(RmaTransition).find({ where: { rmaId: rma.id } });
        for (const move of moves) {
          await em.getRepository(RmaTransition).update(
            { id: move.id },
            {
              actorName: move.actorType === "customer" ? ERASED_NAME : scrubOrNull(move.actorName),
              note: scrubOrNull(move.note),
            },
          );
        }
      }

      const mail = await outboxOf(em, customer.email, ids);
      if (mail.length > 0) {
        await em.getRepository(OutboxMessage).delete({ id: In(mail.map((m) => m.id)) });
      }
      counts.outbox = mail.length;
      counts.handsets =
        (await em.getRepository(Handset).update({ customerId }, { customerId: null })).affected ??
        0;

      await em.getRepository(Customer).update(
        { id: customerId },
        {
          email: `erased-${customerId}@erased.invalid`,
          name: ERASED_NAME,
          phone: null,
          emailVerifiedAt: null,
          updatedAt: now,
        },
      );
      const erasure = Object.assign(new CustomerErasure(), {
        id: randomUUID(),
        customerId,
        actorId: admin.id,
        actorName: admin.name,
        reason: scrub(input.reason),
        counts,
        erasedAt: now,
      } satisfies CustomerErasure);
      await em.getRepository(CustomerErasure).insert(erasure);
      return { erasure, ids, keys: files.map((f) => f.storageKey) };
    }
  }

  /** The audit of every erasure, newest first. */
  async erasures(): Promise<CustomerErasureDto[]> {
    const rows = await this.db.read((em) =>
      em.getRepository(CustomerErasure).find({ order: { erasedAt: "DESC" }, take: 500 }),
    );
    return rows.map(presentErasure);
  }

  /**
   * SQLite: merges the search index (its segments would keep the erased words until then) and
   * checkpoints the WAL into the file (whose old page images would keep them too).
   */
  private async compact(): Promise<void> {
    if (this.db.kind !== "sqlite") {
      return;
    }
    try {
      await this.db.transaction(async (em) => {
        await em.query("PRAGMA secure_delete = ON");
        await em.query(`INSERT INTO "tickets_fts"("tickets_fts") VALUES ('optimize')`);
        await em.query("PRAGMA secure_delete = OFF");
      });
      await this.db.read((em) => em.query("PRAGMA wal_checkpoint(TRUNCATE)"));
    } catch (error) {
      this.logger.warn("tickets", "compaction after an erasure failed", { err: String(error) });
    }
  }
}

function scrubChange(scrub: (text: string) => string): (change: EventChange) => EventChange {
  return (change) => ({
    field: change.field,
    from: typeof change.from === "string" ? scrub(change.from) : change.from,
    to: typeof change.to === "string" ? scrub(change.to) : change.to,
  });
}

/** The handsets on record as the customer's (not another owner's phone named on a ticket). */
function handsetsOf(em: EntityManager, customerId: string): Promise<Handset[]> {
  return em.getRepository(Handset).find({ where: { customerId } });
}

async function outboxOf(
  em: EntityManager,
  email: string,
  ticketIds: string[],
): Promise<OutboxMessage[]> {
  const byRecipient = await em.getRepository(OutboxMessage).find({ where: { recipient: email } });
  const byTicket =
    ticketIds.length === 0
      ? []
      : await em.getRepository(OutboxMessage).find({ where: { ticketId: In(ticketIds) } });
  return [...new Map([...byRecipient, ...byTicket].map((m) => [m.id, m])).values()];
}

function presentErasure(row: CustomerErasure): CustomerErasureDto {
  return {
    id: row.id,
    customerId: row.customerId,
    erasedAt: row.erasedAt.toISOString(),
    by: { id: row.actorId, name: row.actorName },
    reason: row.reason,
    counts: row.counts,
  };
}
