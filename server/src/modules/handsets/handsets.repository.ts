import { randomUUID } from "node:crypto";
import { IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type { IdentifierKind, IdentifierSource } from "../../../../shared/domain/enums";
import { Handset } from "./handset.entity";
import { HandsetIdentifier } from "./handset-identifier.entity";

/** The handset that carries this identifier, with all its identifiers, or null. */
export async function findHandsetByIdentifier(
  em: EntityManager,
  kind: IdentifierKind,
  value: string,
): Promise<Handset | null> {
  const identifier = await em.getRepository(HandsetIdentifier).findOneBy({ kind, value });
  if (identifier === null) {
    return null;
  }
  return findHandset(em, identifier.handsetId);
}

/** A handset with its identifiers (slot order), or null. */
export function findHandset(em: EntityManager, id: string): Promise<Handset | null> {
  return em.getRepository(Handset).findOne({
    where: { id },
    relations: { identifiers: true },
    order: { identifiers: { slot: "ASC", createdAt: "ASC" } },
  });
}

export interface NewHandset {
  customerId: string | null;
  brand: string | null;
  model: string | null;
  purchaseDate: string | null;
  identifier: {
    kind: IdentifierKind;
    value: string;
    slot: number | null;
    source: IdentifierSource;
    softwareVersion: string | null;
  };
}

/**
 * Finds the handset carrying `identifier`, or creates one with it. Returns `created: false`
 * when the identifier was already known (possibly committed by a concurrent transaction: the
 * identifier insert yields, and our unused handset row is removed again).
 */
export async function findOrCreateHandset(
  em: EntityManager,
  input: NewHandset,
  now: Date,
): Promise<{ handset: Handset; created: boolean }> {
  const { kind, value } = input.identifier;
  const existing = await findHandsetByIdentifier(em, kind, value);
  if (existing !== null) {
    return { handset: existing, created: false };
  }

  const handsetId = randomUUID();
  await em.getRepository(Handset).insert({
    id: handsetId,
    customerId: input.customerId,
    brand: input.brand,
    model: input.model,
    purchaseDate: input.purchaseDate,
    // The desk sold it, so the carrier's warranty is its source until an agent says otherwise;
    // with no dates recorded yet, the decision is "pending".
    warrantySource: "carrier",
    warrantyStart: null,
    warrantyEnd: null,
    doaDeadline: null,
    voidReason: null,
    createdAt: now,
    updatedAt: now,
  });
  const inserted = await em
    .createQueryBuilder()
    .insert()
    .into(HandsetIdentifier)
    .values({ id: randomUUID(), handsetId, ...input.identifier, createdAt: now })
    .orIgnore()
    .execute();
  const raced = await findHandsetByIdentifier(em, kind, value);
  if (raced !== null && raced.id !== handsetId) {
    await em.getRepository(Handset).delete({ id: handsetId });
    return { handset: raced, created: false };
  }
  if (raced === null) {
    throw new Error(`identifier insert neither stored nor found (${inserted.identifiers.length})`);
  }
  return { handset: raced, created: true };
}

/** Gives an owner-less handset (from an import batch) to its first customer. */
export async function claimHandset(
  em: EntityManager,
  handset: Handset,
  customerId: string,
  now: Date,
): Promise<void> {
  await em
    .getRepository(Handset)
    .update({ id: handset.id, customerId: IsNull() }, { customerId, updatedAt: now });
  handset.customerId = customerId;
}
