import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { selectRows, updateStatement } from "../../db/rows";
import type { Statement } from "../../db/rows";
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

/** A new customer's row, not yet written. */
export function newCustomer(contact: CustomerContact, now: Date): Customer {
  return Object.assign(new Customer(), {
    id: randomUUID(),
    ...contact,
    emailVerifiedAt: null,
    emailBouncedAt: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Customer);
}

/**
 * Fills in a known customer's missing phone, from an agent who spoke to them. A portal form does
 * not: its email is unverified, so what it says stays on its ticket, never on the record.
 */
export function fillCustomerPhone(
  em: EntityManager,
  customer: Customer,
  phone: string,
  now: Date,
): Statement {
  customer.phone = phone;
  customer.updatedAt = now;
  return updateStatement(em, Customer, { phone, updatedAt: now }, `"id" = ?`, [customer.id]);
}
