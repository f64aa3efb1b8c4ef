import { randomUUID } from "node:crypto";
import { IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type { ImeiValid } from "../../../../shared/domain/imei";
import type { ActorType, Category, Priority, TicketFlag } from "../../../../shared/domain/enums";
import type { TacCatalog } from "../devices/tac-catalog";
import { deskVerdict, resolveTac } from "../catalog/network";
import type { NetworkVerdict } from "../../../../shared/domain/verdict";
import { Handset } from "../handsets/handset.entity";
import type { Customer } from "../customers/customer.entity";
import { findCustomerByEmail, findOrCreateCustomer } from "../customers/customers.repository";
import type { CustomerContact } from "../customers/customers.repository";
import {
  claimHandset,
  findHandsetCarrying,
  findOrCreateHandset,
} from "../handsets/handsets.repository";
import { Ticket } from "./ticket.entity";
import type { TicketChannel } from "./ticket.entity";
import { TicketEvent } from "./ticket-event.entity";
import { nextTicketNumber } from "./tickets.repository";
import { findPolicyFor, startTicketSla } from "../sla/ticket-sla.repository";
import { insertRow } from "../../db/rows";

export interface OpenTicketInput {
  channel: TicketChannel;
  contact: CustomerContact;
  handset: {
    imei: ImeiValid;
    brand?: string | null;
    model?: string | null;
    purchaseDate?: string | null;
  } | null;
  category: Category;
  priority: Priority;
  subject: string;
  description: string;
  assigneeId: string | null;
  accessTokenHash: string;
  /** Who opened it: the customer themselves (portal) or an agent on their behalf. */
  actor: { type: Extract<ActorType, "customer" | "agent">; id: string | null; name: string | null };
}

/**
 * Opens a ticket inside the caller's transaction: finds or creates the customer (by email) and
 * the handset (by IMEI), raises the flags an agent should see, takes the next number, and
 * writes the ticket with its first event and SLA clocks. A customer is never refused over a flag.
 *
 * This is the desk's hottest write, so it is written for few round trips: the independent reads
 * go out together, the ticket row is written once with everything it starts with (its first
 * event's sequence, its SLA due date), and nothing written is read back.
 */
export async function openTicket(
  em: EntityManager,
  tacs: TacCatalog,
  input: OpenTicketInput,
  now: Date,
): Promise<{ ticket: Ticket; customer: Customer; firstEventId: string }> {
  const imei = input.handset?.imei ?? null;
  const [knownCustomer, knownHandset, resolved, policy] = await Promise.all([
    findCustomerByEmail(em, input.contact.email),
    imei === null ? null : findHandsetCarrying(em, "imei", imei.imei),
    // The catalogue (bundled, agent and distributor TACs); the bundled file only as a fallback.
    imei === null ? null : resolveTac(em, imei.tac),
    findPolicyFor(em, input.priority, input.category),
  ]);
  const customer = await findOrCreateCustomer(em, input.contact, now, knownCustomer);
  const flags: TicketFlag[] = [];
  let handsetId: string | null = null;
  let verdictAtOpen: NetworkVerdict | null = null;
  if (input.handset !== null && imei !== null) {
    const tac = resolved ?? tacs.lookup(imei.tac);
    const { handset, created } = await findOrCreateHandset(
      em,
      {
        customerId: customer.id,
        brand: input.handset.brand ?? tac?.brand ?? null,
        model: input.handset.model ?? tac?.model ?? null,
        purchaseDate: input.handset.purchaseDate ?? null,
        identifier: {
          kind: "imei",
          value: imei.imei,
          slot: 1,
          source: input.channel === "portal" ? "customer" : "agent",
          softwareVersion: imei.softwareVersion,
        },
      },
      now,
      knownHandset,
    );
    handsetId = handset.id;
    if (!created) {
      if (handset.customerId === null) {
        await claimHandset(em, handset, customer.id, now);
      } else if (handset.customerId !== customer.id) {
        flags.push("identifier_on_other_customer");
      }
    }
    if (imei.testRange) {
      flags.push("test_range_imei");
    }
    const declaredBrand = input.handset.brand;
    if (tac === undefined) {
      flags.push("tac_unknown");
    } else if (declaredBrand && declaredBrand.toLowerCase() !== tac.brand.toLowerCase()) {
      flags.push("tac_brand_mismatch");
    }
    // A TAC names a model, not a variant: keep the handset's variant (a batch, an agent), else
    // take the one the TAC entry names or the model's only one; otherwise it stays unknown.
    let variantId = handset.variantId;
    if (variantId === null && resolved?.variant) {
      variantId = resolved.variant.id;
      await em
        .getRepository(Handset)
        .update({ id: handset.id, variantId: IsNull() }, { variantId });
    }
    if (variantId === null) {
      flags.push("variant_unknown");
    }
    verdictAtOpen = await deskVerdict(em, variantId, now.toISOString().slice(0, 10));
  }

  const id = randomUUID();
  // The SLA clocks start with the ticket (and its slaDueAt is set for the queue's order).
  const sla = startTicketSla({ id, channel: input.channel }, policy, now);
  const ticket = Object.assign(new Ticket(), {
    id,
    number: await nextTicketNumber(em),
    subject: input.subject,
    description: input.description,
    category: input.category,
    priority: input.priority,
    status: "new",
    channel: input.channel,
    customerId: customer.id,
    handsetId,
    assigneeId: input.assigneeId,
    accessTokenHash: input.accessTokenHash,
    flags,
    verdictAtOpen,
    // The first event below is number 1.
    lastEventSeq: 1,
    createdAt: now,
    updatedAt: now,
    slaDueAt: sla.nextDueAt,
    resolvedAt: null,
    satisfaction: null,
    satisfactionComment: null,
    ratedAt: null,
  } satisfies Omit<Ticket, "customer" | "handset" | "assignee">);
  await insertRow(em, Ticket, ticket);
  const actor =
    input.actor.type === "customer"
      ? { type: "customer" as const, id: customer.id, name: customer.name }
      : input.actor;
  const first = Object.assign(new TicketEvent(), {
    id: randomUUID(),
    ticketId: id,
    seq: 1,
    type: "created",
    public: true,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    body: input.description,
    changes: null,
    createdAt: now,
  } satisfies TicketEvent);
  await insertRow(em, TicketEvent, first);
  await sla.write(em);
  return { ticket, customer, firstEventId: first.id };
}
