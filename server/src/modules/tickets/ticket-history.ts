import { In, IsNull, Not } from "typeorm";
import type { EntityManager } from "typeorm";
import { maskImei, parseImei } from "../../../../shared/domain/imei";
import type { FlagScope, TicketHistory, TicketRef } from "../catalog/ports";
import { Handset } from "../handsets/handset.entity";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { findOwnedHandsetsOfVariant } from "../handsets/handsets.repository";
import { primaryImei } from "../handsets/handsets.presenter";
import type { TicketExtensions } from "./extensions";
import { Ticket } from "./ticket.entity";
import { appendEvent } from "./tickets.repository";
import { ticketMailOf } from "./ticket-mail";
import { queueAgentReply } from "../outbox/outbox.repository";
import { sameFlags, ticketFlags } from "./ticket-flags";

/** What rechecking flags asks of the catalogue: the brand a TAC names (opening's own ports). */
export interface FlagTacLookup {
  resolveTac(em: EntityManager, tac: string): Promise<{ brand: string } | null>;
  bundledTac(tac: string): { brand: string } | undefined;
}

/** Ticket statuses that no longer count as open for "who is affected". */
export const SETTLED_STATUSES = ["resolved", "closed"] as const;

function ref(ticket: Ticket): TicketRef {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    handsetId: ticket.handsetId,
    customer: ticket.customer ? { id: ticket.customer.id, name: ticket.customer.name } : null,
  };
}

/**
 * Tickets' side of the TicketHistory port (catalog/ports.ts): what the catalogue, carriers and
 * handsets need of tickets, through tickets' own repository and extensions.
 */
export class TicketHistoryAdapter implements TicketHistory {
  constructor(
    private readonly extensions: TicketExtensions,
    private readonly tacs: FlagTacLookup,
  ) {}

  async recheckFlags(em: EntityManager, scope: FlagScope, now: Date): Promise<string[]> {
    const handsetIds = new Set(scope.handsetIds ?? []);
    const tacs = [...new Set(scope.tacs ?? [])];
    if (tacs.length > 0) {
      const carrying = await em
        .getRepository(HandsetIdentifier)
        .createQueryBuilder("i")
        .select("i.handsetId", "handsetId")
        .where("i.kind = 'imei'")
        .andWhere(`(${tacs.map((_, n) => `i.value LIKE :tac${n}`).join(" OR ")})`)
        .setParameters(Object.fromEntries(tacs.map((tac, n) => [`tac${n}`, `${tac}%`])))
        .getRawMany<{ handsetId: string }>();
      for (const row of carrying) {
        handsetIds.add(row.handsetId);
      }
    }
    if (handsetIds.size === 0) {
      return [];
    }
    const ids = [...handsetIds];
    const handsets = await em
      .getRepository(Handset)
      .find({ where: { id: In(ids) }, relations: { identifiers: true } });
    const tickets = await em.getRepository(Ticket).find({
      where: { handsetId: In(ids) },
      select: { id: true, customerId: true, handsetId: true, flags: true },
    });
    const brandOfTac = new Map<string, { brand: string } | undefined>();
    const changed: string[] = [];
    for (const handset of handsets) {
      const value = primaryImei(handset);
      const parsed = value === null ? null : parseImei(value);
      const imei = parsed !== null && parsed.valid ? parsed : null;
      let tac: { brand: string } | undefined;
      if (imei !== null) {
        if (!brandOfTac.has(imei.tac)) {
          const resolved = await this.tacs.resolveTac(em, imei.tac);
          brandOfTac.set(imei.tac, resolved ?? this.tacs.bundledTac(imei.tac));
        }
        tac = brandOfTac.get(imei.tac);
      }
      for (const ticket of tickets.filter((t) => t.handsetId === handset.id)) {
        const flags = ticketFlags({
          imei,
          tac,
          declaredBrand: handset.brand,
          variantId: handset.variantId,
          onOtherCustomer: handset.customerId !== null && handset.customerId !== ticket.customerId,
          // The register was read when the ticket opened; its later entries do not reopen that.
          onRegister: ticket.flags.includes("imei_reported_stolen"),
        });
        if (!sameFlags(flags, ticket.flags)) {
          await em.getRepository(Ticket).update({ id: ticket.id }, { flags, updatedAt: now });
          changed.push(ticket.id);
        }
      }
    }
    return changed;
  }

  async openTicketIdsWithVariant(em: EntityManager): Promise<string[]> {
    const tickets = await em.getRepository(Ticket).find({
      where: {
        status: Not(In([...SETTLED_STATUSES])),
        handset: { variantId: Not(IsNull()) },
      },
      select: { id: true },
    });
    return tickets.map((ticket) => ticket.id);
  }

  async openTicketsOfVariant(
    em: EntityManager,
    variantId: string,
    withCustomer: boolean,
  ): Promise<TicketRef[]> {
    const tickets = await em.getRepository(Ticket).find({
      where: { status: Not(In([...SETTLED_STATUSES])), handset: { variantId } },
      relations: withCustomer ? { customer: true } : {},
      order: { createdAt: "ASC", id: "ASC" },
    });
    return tickets.map(ref);
  }

  async ticketsOfHandset(
    em: EntityManager,
    handsetId: string,
    notClosed: boolean,
  ): Promise<TicketRef[]> {
    const tickets = await em.getRepository(Ticket).find({
      where: notClosed ? { handsetId, status: Not("closed") } : { handsetId },
      order: { createdAt: "DESC" },
      select: { id: true, number: true, subject: true, status: true, handsetId: true },
    });
    return tickets.map(ref);
  }

  async append(
    em: EntityManager,
    ticketId: string,
    entry: Parameters<TicketHistory["append"]>[2],
    now: Date,
  ): Promise<string> {
    return (await appendEvent(em, ticketId, entry, now)).id;
  }

  changed(em: EntityManager, ticketId: string, now: Date): Promise<void> {
    return this.extensions.changed(em, ticketId, now);
  }

  async ownedHandsetsOfVariant(
    em: EntityManager,
    variantId: string,
    limit: number,
  ): ReturnType<TicketHistory["ownedHandsetsOfVariant"]> {
    const { handsets, handsetCount, customerCount } = await findOwnedHandsetsOfVariant(
      em,
      variantId,
      limit,
    );
    return {
      handsets: handsets.map((handset) => {
        const imei = primaryImei(handset);
        return {
          id: handset.id,
          customer: handset.customer
            ? { id: handset.customer.id, name: handset.customer.name }
            : null,
          imeiMasked: imei ? maskImei(imei) : null,
          batchId: handset.batchId,
        };
      }),
      handsetCount,
      customerCount,
    };
  }

  async mailPublicMessage(
    em: EntityManager,
    ticketId: string,
    message: { agentName: string; body: string },
    now: Date,
  ): Promise<void> {
    const mail = await ticketMailOf(em, ticketId);
    if (mail !== null) {
      await queueAgentReply(em, { ...mail, ...message, fileNames: [] }, now);
    }
  }
}
