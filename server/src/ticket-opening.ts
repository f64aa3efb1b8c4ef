import type { EntityManager } from "typeorm";
import { insertStatement } from "./db/rows";
import { resolveTac } from "./modules/catalog/catalog.repository";
import { deskVerdict } from "./modules/carriers/verdicts";
import { Customer } from "./modules/customers/customer.entity";
import {
  fillCustomerPhone,
  findCustomerByEmail,
  newCustomer,
} from "./modules/customers/customers.repository";
import type { TacCatalog } from "./modules/devices/tac-catalog";
import { Handset } from "./modules/handsets/handset.entity";
import { HandsetIdentifier } from "./modules/handsets/handset-identifier.entity";
import {
  claimHandset,
  findHandsetCarrying,
  newHandset,
  setHandsetVariant,
} from "./modules/handsets/handsets.repository";
import {
  SYSTEM_ACTOR,
  handsetChangesStatement,
} from "./modules/handsets/handset-history.repository";
import {
  customerReportStatement,
  decidingEntry,
  isFlagging,
} from "./modules/register/register.repository";
import { OutboxMessage } from "./modules/outbox/outbox.entity";
import { ticketLinkMessage } from "./modules/outbox/outbox.repository";
import type { TicketExtensions } from "./modules/tickets/extensions";
import type { OpeningCustomer, TicketOpeningPorts } from "./modules/tickets/open-ticket";

/**
 * The ports of opening a ticket (tickets/open-ticket.ts), wired from the modules below tickets:
 * part of the composition root, so that opening a ticket depends on interfaces only. The
 * customer and handset rows a port returns are the entities themselves, so the statements that
 * change them later (a phone filled in, a handset claimed) update the same objects.
 */
export function ticketOpeningPorts(
  tacs: TacCatalog,
  extensions: TicketExtensions,
): TicketOpeningPorts {
  // The ports hand back the rows they found or made; these narrow them back to the entities.
  const customers = new WeakMap<OpeningCustomer, Customer>();
  const handsets = new WeakMap<object, Handset>();
  const customerOf = (customer: OpeningCustomer): Customer =>
    customers.get(customer) ?? Object.assign(new Customer(), customer);
  const handsetOf = (handset: { id: string }): Handset =>
    handsets.get(handset) ?? Object.assign(new Handset(), handset);
  const keepCustomer = (customer: Customer): Customer => {
    customers.set(customer, customer);
    return customer;
  };
  const keepHandset = (handset: Handset): Handset => {
    handsets.set(handset, handset);
    return handset;
  };
  return {
    async findCustomerByEmail(em: EntityManager, email: string) {
      const customer = await findCustomerByEmail(em, email);
      return customer === null ? null : keepCustomer(customer);
    },
    newCustomer(em, contact, now) {
      const customer = keepCustomer(newCustomer(contact, now));
      return { row: customer, writes: [insertStatement(em, Customer, customer)] };
    },
    fillCustomerPhone: (em, customer, phone, now) =>
      fillCustomerPhone(em, customerOf(customer), phone, now),
    async findHandsetByImei(em, imei) {
      const handset = await findHandsetCarrying(em, "imei", imei);
      return handset === null ? null : keepHandset(handset);
    },
    newHandset(em, input, now) {
      const created = newHandset(input, now);
      return {
        row: keepHandset(created.handset),
        writes: [
          insertStatement(em, Handset, created.handset),
          insertStatement(em, HandsetIdentifier, created.identifier),
        ],
      };
    },
    claimHandset: (em, handset, customerId, now) => [
      claimHandset(em, handsetOf(handset), customerId, now),
      handsetChangesStatement(
        em,
        [{ handsetId: handset.id, field: "customerId", from: null, to: customerId }],
        { source: "customer", actorId: customerId, actorName: null },
        now,
      ),
    ],
    setHandsetVariant: (em, handset, variantId, now) => [
      setHandsetVariant(em, handsetOf(handset), variantId),
      handsetChangesStatement(
        em,
        [
          {
            handsetId: handset.id,
            field: "variantId",
            from: null,
            to: variantId,
            context: "the variant its TAC names",
          },
        ],
        SYSTEM_ACTOR,
        now,
      ),
    ],
    imeiOnRegister: async (em, imei) => isFlagging(await decidingEntry(em, imei)),
    customerReport: (em, report, now) => customerReportStatement(em, report, now),
    resolveTac,
    bundledTac: (tac) => tacs.lookup(tac),
    deskVerdict,
    linkMessage: (em, message, now) =>
      insertStatement(em, OutboxMessage, ticketLinkMessage(message, now)),
    extensions,
  };
}
