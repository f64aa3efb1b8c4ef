import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { ImeiValid } from "../../../../shared/domain/imei";
import type { ActorType, Category, Priority, TicketFlag } from "../../../../shared/domain/enums";
import type { NetworkVerdict } from "../../../../shared/domain/verdict";
import type { IdentifierKind, IdentifierSource } from "../../../../shared/domain/enums";
import type { TicketExtensions } from "./extensions";
import { Ticket } from "./ticket.entity";
import type { TicketChannel } from "./ticket.entity";
import { TicketEvent } from "./ticket-event.entity";
import { nextTicketNumber } from "./tickets.repository";
import { dialectOf } from "../../db/dialect";
import type { Statement } from "../../db/dialect";
import { allAtOnce, insertStatement, runInOrder } from "../../db/rows";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";

/** A customer as opening a ticket sees one. */
export interface OpeningCustomer {
  id: string;
  email: string;
  name: string;
  phone: string | null;
}

/** A handset as opening a ticket sees one. */
export interface OpeningHandset {
  id: string;
  customerId: string | null;
  variantId: string | null;
}

/** Contact details as given when opening. */
export interface CustomerContact {
  email: string;
  name: string;
  phone: string | null;
}

/**
 * What opening a ticket needs of the modules below tickets (customers, handsets, the catalogue
 * and the bundled TAC file, carriers' verdicts, the outbox) and of tickets' extensions, handed in
 * by the composition root (server/src/ticket-opening.ts) so that this file depends on none of
 * them. Reads run inside the caller's unit of work; writes come back as statements.
 */
export interface TicketOpeningPorts {
  findCustomerByEmail(em: EntityManager, email: string): Promise<OpeningCustomer | null>;
  newCustomer(em: EntityManager, contact: CustomerContact, now: Date): Written<OpeningCustomer>;
  fillCustomerPhone(
    em: EntityManager,
    customer: OpeningCustomer,
    phone: string,
    now: Date,
  ): Statement;
  findHandsetByImei(em: EntityManager, imei: string): Promise<OpeningHandset | null>;
  newHandset(em: EntityManager, input: NewOpeningHandset, now: Date): Written<OpeningHandset>;
  /** Gives an owner-less handset to the customer (and records it in the handset's history). */
  claimHandset(
    em: EntityManager,
    handset: OpeningHandset,
    customerId: string,
    now: Date,
  ): Statement[];
  /** Records the variant the TAC names where none was known (and in the handset's history). */
  setHandsetVariant(
    em: EntityManager,
    handset: OpeningHandset,
    variantId: string,
    now: Date,
  ): Statement[];
  /** Whether the IMEI's latest report or check on the lost/stolen register flags it. */
  imeiOnRegister(em: EntityManager, imei: string): Promise<boolean>;
  /** The register entry of a customer's own lost/stolen report, made by opening this ticket. */
  customerReport(em: EntityManager, report: CustomerReport, now: Date): Statement;
  /** What the catalogue (agents' and distributors' TACs, then the bundled file) says a TAC is. */
  resolveTac(em: EntityManager, tac: string): Promise<OpeningTac | null>;
  /** The bundled TAC file only, when the catalogue does not know the TAC. */
  bundledTac(tac: string): { brand: string; model: string } | undefined;
  deskVerdict(
    em: EntityManager,
    variantId: string | null,
    date: string,
  ): Promise<NetworkVerdict | null>;
  /** The outbox message with a ticket's private link. */
  linkMessage(em: EntityManager, message: TicketLinkMessage, now: Date): Statement;
  extensions: TicketExtensions;
}

/** A customer's report of a lost or stolen phone, from the ticket they open about it. */
export interface CustomerReport {
  imei: string;
  handsetId: string;
  ticketId: string;
  ticketNumber: number;
  customerId: string;
}

/** A new row and the statements that write it. */
export interface Written<T> {
  row: T;
  writes: Statement[];
}

export interface OpeningTac {
  brand: string;
  model: string;
  variant: { id: string } | null;
}

export interface NewOpeningHandset {
  customerId: string;
  brand: string | null;
  model: string | null;
  purchaseDate: string | null;
  variantId: string | null;
  identifier: {
    kind: IdentifierKind;
    value: string;
    slot: number | null;
    source: IdentifierSource;
    softwareVersion: string | null;
  };
}

export interface TicketLinkMessage {
  ticketId: string;
  recipient: string;
  name: string;
  number: string;
  subject: string;
  /** The ticket's link, sealed (TicketLinks.seal): the outbox never holds it in clear. */
  sealedLink: string;
  /** The ticket has no handset yet (it came by email without an IMEI): ask for one. */
  askForImei?: boolean;
}

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

/** What openTicket wrote, for the rows a caller writes with it (see `alongside`). */
export interface OpenedTicket {
  ticket: Ticket;
  customer: OpeningCustomer;
  firstEventId: string;
}

/**
 * Opens a ticket inside the caller's transaction: finds or creates the customer (by email) and
 * the handset (by IMEI), raises the flags an agent should see, takes the next number, and
 * writes the ticket with its first event and SLA clocks, plus the rows `alongside` adds (the
 * outbox message with the link, attachments). A customer is never refused over a flag.
 *
 * This is the desk's hottest write, so it takes few round trips: the reads (and the number) go
 * out together, every decision is made in memory, and then the new rows are written in one
 * ordered batch (runInOrder), each row whole, none read back. A customer or IMEI that a
 * concurrent transaction creates in between makes an insert clash on its unique key: run this
 * in a transaction with `retryOnClash`, and the second run finds the row.
 */
export async function openTicket(
  em: EntityManager,
  ports: TicketOpeningPorts,
  input: OpenTicketInput,
  now: Date,
  alongside: (opened: OpenedTicket) => Statement[] = () => [],
): Promise<OpenedTicket> {
  const imei = input.handset?.imei ?? null;
  // On PostgreSQL the number's row lock is held until commit and every creator waits for it:
  // it is taken last there, just before the writes. On SQLite (one writer) it goes with the reads.
  const numberLast = dialectOf(em).rowLocks;
  const [knownCustomer, knownHandset, resolved, contributors, earlyNumber, onRegister] =
    await allAtOnce(em, [
      () => ports.findCustomerByEmail(em, input.contact.email),
      async () => (imei === null ? null : ports.findHandsetByImei(em, imei.imei)),
      // The catalogue (bundled, agent and distributor TACs); the bundled file only as a fallback.
      async () => (imei === null ? null : ports.resolveTac(em, imei.tac)),
      // What registered extensions (SLA clocks) read to start with the ticket.
      () => ports.extensions.opening(em, input),
      async () => (numberLast ? null : nextTicketNumber(em)),
      // One look-up on the register's (imei, createdAt) index.
      async () => (imei === null ? false : ports.imeiOnRegister(em, imei.imei)),
    ] as const);
  const writes: Statement[] = [];

  // An email found a customer, but nobody verified it: the name and phone given stay on this
  // ticket (contactName, contactPhone) and the record keeps its own. Only an agent, who spoke
  // to the caller, fills in a phone the record lacks.
  let customer = knownCustomer;
  if (customer === null) {
    const created = ports.newCustomer(em, input.contact, now);
    customer = created.row;
    writes.push(...created.writes);
  } else if (input.channel === "agent" && customer.phone === null && input.contact.phone !== null) {
    writes.push(ports.fillCustomerPhone(em, customer, input.contact.phone, now));
  }

  const flags: TicketFlag[] = [];
  let handsetId: string | null = null;
  let verdictAtOpen: NetworkVerdict | null = null;
  if (input.handset !== null && imei !== null) {
    const tac = resolved ?? ports.bundledTac(imei.tac);
    // A TAC names a model, not a variant: keep the handset's variant (a batch, an agent), else
    // take the one the TAC entry names or the model's only one; otherwise it stays unknown.
    const variantFromTac = resolved?.variant?.id ?? null;
    let variantId: string | null;
    if (knownHandset === null) {
      const created = ports.newHandset(
        em,
        {
          customerId: customer.id,
          brand: input.handset.brand ?? tac?.brand ?? null,
          model: input.handset.model ?? tac?.model ?? null,
          purchaseDate: input.handset.purchaseDate ?? null,
          variantId: variantFromTac,
          identifier: {
            kind: "imei",
            value: imei.imei,
            slot: 1,
            source: input.channel === "agent" ? "agent" : "customer",
            softwareVersion: imei.softwareVersion,
          },
        },
        now,
      );
      writes.push(...created.writes);
      handsetId = created.row.id;
      variantId = variantFromTac;
    } else {
      handsetId = knownHandset.id;
      if (knownHandset.customerId === null) {
        writes.push(...ports.claimHandset(em, knownHandset, customer.id, now));
      } else if (knownHandset.customerId !== customer.id) {
        flags.push("identifier_on_other_customer");
      }
      variantId = knownHandset.variantId;
      if (variantId === null && variantFromTac !== null) {
        variantId = variantFromTac;
        writes.push(...ports.setHandsetVariant(em, knownHandset, variantId, now));
      }
    }
    if (imei.testRange) {
      flags.push("test_range_imei");
    }
    // Accepted and flagged, never refused: the agent sees it; an RMA on it is refused.
    if (onRegister) {
      flags.push("imei_reported_stolen");
    }
    const declaredBrand = input.handset.brand;
    if (tac === undefined) {
      flags.push("tac_unknown");
    } else if (declaredBrand && declaredBrand.toLowerCase() !== tac.brand.toLowerCase()) {
      flags.push("tac_brand_mismatch");
    }
    if (variantId === null) {
      flags.push("variant_unknown");
    }
    verdictAtOpen = await ports.deskVerdict(em, variantId, now.toISOString().slice(0, 10));
  }

  const number = earlyNumber ?? (await nextTicketNumber(em));
  const id = randomUUID();
  const contributions = contributors.map((contribute) =>
    contribute(
      { id, channel: input.channel, priority: input.priority, category: input.category },
      now,
    ),
  );
  const ticket = Object.assign(new Ticket(), {
    id,
    number,
    subject: input.subject,
    description: input.description,
    category: input.category,
    priority: input.priority,
    status: "new",
    channel: input.channel,
    customerId: customer.id,
    contactName: input.contact.name,
    contactPhone: input.contact.phone,
    handsetId,
    assigneeId: input.assigneeId,
    accessTokenHash: input.accessTokenHash,
    flags,
    verdictAtOpen,
    // The first event below is number 1.
    lastEventSeq: 1,
    createdAt: now,
    updatedAt: now,
    slaDueAt: contributions.find((part) => part.slaDueAt !== undefined)?.slaDueAt ?? null,
    resolvedAt: null,
    satisfaction: null,
    satisfactionComment: null,
    ratedAt: null,
  } satisfies Omit<Ticket, "customer" | "handset" | "assignee">);
  const actor =
    input.actor.type === "customer"
      ? { type: "customer" as const, id: customer.id, name: input.contact.name }
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
  const opened: OpenedTicket = { ticket, customer, firstEventId: first.id };
  writes.push(
    insertStatement(em, Ticket, ticket),
    insertStatement(em, TicketEvent, first),
    ...contributions.flatMap((part) => part.writes),
    ...alongside(opened),
  );
  // A customer telling the desk their phone is lost or stolen is a report on the register.
  if (
    input.channel === "portal" &&
    input.category === "lost_stolen" &&
    imei !== null &&
    handsetId !== null
  ) {
    writes.push(
      ports.customerReport(
        em,
        { imei: imei.imei, handsetId, ticketId: id, ticketNumber: number, customerId: customer.id },
        now,
      ),
    );
  }
  await runInOrder(em, writes);
  for (const part of contributions) {
    await part.after?.(em);
  }
  return opened;
}

/**
 * The outbox message that brings an opened ticket's private link (sealed: `sealedLink`) to its
 * customer.
 */
export function linkMessageFor(
  em: EntityManager,
  ports: TicketOpeningPorts,
  opened: OpenedTicket,
  sealedLink: string,
  now: Date,
): Statement {
  return ports.linkMessage(
    em,
    {
      ticketId: opened.ticket.id,
      recipient: opened.customer.email,
      name: opened.ticket.contactName ?? opened.customer.name,
      number: ticketNumberLabel(opened.ticket.number),
      subject: opened.ticket.subject,
      sealedLink,
      askForImei: opened.ticket.handsetId === null,
    },
    now,
  );
}
