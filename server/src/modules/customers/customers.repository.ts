import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { insertOrIgnore } from "../../db/insert-or-ignore";
import { Customer } from "./customer.entity";

export interface CustomerContact {
  email: string;
  name: string;
  phone: string | null;
}

/**
 * Finds the customer with this (lower-cased) email or creates it. Safe under concurrency: the
 * insert yields to a row another transaction committed first, and that row is returned. An
 * existing customer's name is not overwritten from an anonymous form; a missing phone is filled.
 */
export async function findOrCreateCustomer(
  em: EntityManager,
  contact: CustomerContact,
  now: Date,
): Promise<Customer> {
  const repo = em.getRepository(Customer);
  let customer = await repo.findOneBy({ email: contact.email });
  if (customer === null) {
    const row = repo.create({ id: randomUUID(), ...contact, createdAt: now, updatedAt: now });
    // A concurrent transaction may have created the same customer first: then it is theirs.
    customer = (await insertOrIgnore(em, Customer, row))
      ? row
      : await repo.findOneByOrFail({ email: contact.email });
  } else if (customer.phone === null && contact.phone !== null) {
    customer.phone = contact.phone;
    customer.updatedAt = now;
    await repo.update({ id: customer.id }, { phone: contact.phone, updatedAt: now });
  }
  return customer;
}
