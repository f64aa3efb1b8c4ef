import { randomUUID } from "node:crypto";
import { IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type { IdentifierKind, IdentifierSource } from "../../../../shared/domain/enums";
import { Handset } from "./handset.entity";
import { HandsetIdentifier } from "./handset-identifier.entity";
import { insertRow, insertRowOrIgnore, selectRows } from "../../db/rows";

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

/** The handset that carries this identifier, without its identifiers (one query), or null. */
export async function findHandsetCarrying(
  em: EntityManager,
  kind: IdentifierKind,
  value: string,
): Promise<Handset | null> {
  const [handset] = await selectRows(
    em,
    Handset,
    `"id" IN (SELECT "handsetId" FROM "handset_identifiers" WHERE "kind" = ? AND "value" = ?)`,
    [kind, value],
    1,
  );
  return handset ?? null;
}

/** A handset with its identifiers (slot order), or null. */
export function findHandset(em: EntityManager, id: string): Promise<Handset | null> {
  // One query (findOne with relations would add a DISTINCT pre-query for its LIMIT 1).
  return em
    .getRepository(Handset)
    .createQueryBuilder("h")
    .leftJoinAndSelect("h.identifiers", "i")
    .where("h.id = :id", { id })
    .orderBy("i.slot", "ASC")
    .addOrderBy("i.createdAt", "ASC")
    .getOne();
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
 * identifier insert yields, and our unused handset row is removed again). `known` is the result
 * of findHandsetCarrying when the caller already read it. A found handset comes without its
 * identifiers; a created one with the one it was created with.
 */
export async function findOrCreateHandset(
  em: EntityManager,
  input: NewHandset,
  now: Date,
  known?: Handset | null,
): Promise<{ handset: Handset; created: boolean }> {
  const { kind, value } = input.identifier;
  const existing = known === undefined ? await findHandsetCarrying(em, kind, value) : known;
  if (existing !== null) {
    return { handset: existing, created: false };
  }

  const handsetId = randomUUID();
  const handset = em.getRepository(Handset).create({
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
    variantId: null,
    batchId: null,
    createdAt: now,
    updatedAt: now,
  });
  await insertRow(em, Handset, handset);
  const identifier = em
    .getRepository(HandsetIdentifier)
    .create({ id: randomUUID(), handsetId, ...input.identifier, createdAt: now });
  if (await insertRowOrIgnore(em, HandsetIdentifier, identifier)) {
    handset.identifiers = [identifier];
    return { handset, created: true };
  }
  // A concurrent transaction registered this identifier first: use its handset, drop ours.
  await em.getRepository(Handset).delete({ id: handsetId });
  const raced = await findHandsetCarrying(em, kind, value);
  if (raced === null) {
    throw new Error("identifier neither stored nor found");
  }
  return { handset: raced, created: false };
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
