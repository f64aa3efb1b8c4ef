import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { insertRowOrIgnore, selectRows } from "../../db/rows";
import { Customer } from "./customer.entity";

export interface CustomerContact {
  email: string;
  name: string;
  phone: string | null;
}

/** The customer with this (lower-cased) email, or null. */
export async function findCustomerByEmail(
  em: EntityManager,
  email: string,
): Promise<Customer | null> {
  const [customer] = await selectRows(em, Customer, `"email" = ?`, [email], 1);
  return customer ?? null;
}

/**
 * Finds the customer with this (lower-cased) email or creates it. Safe under concurrency: the
 * insert yields to a row another transaction committed first, and that row is returned. An
 * existing customer's name is not overwritten from an anonymous form; a missing phone is filled.
 * `known` is the result of findCustomerByEmail when the caller already read it.
 */
export async function findOrCreateCustomer(
  em: EntityManager,
  contact: CustomerContact,
  now: Date,
  known?: Customer | null,
): Promise<Customer> {
  let customer = known === undefined ? await findCustomerByEmail(em, contact.email) : known;
  if (customer === null) {
    const row = em
      .getRepository(Customer)
      .create({ id: randomUUID(), ...contact, createdAt: now, updatedAt: now });
    // A concurrent transaction may have created the same customer first: then it is theirs.
    customer = (await insertRowOrIgnore(em, Customer, row))
      ? row
      : await em.getRepository(Customer).findOneByOrFail({ email: contact.email });
  } else if (customer.phone === null && contact.phone !== null) {
    customer.phone = contact.phone;
    customer.updatedAt = now;
    await em
      .getRepository(Customer)
      .update({ id: customer.id }, { phone: contact.phone, updatedAt: now });
  }
  return customer;
}
