import { randomUUID } from "node:crypto";
import { IsNull, Not } from "typeorm";
import type { EntityManager } from "typeorm";
import type { IdentifierKind, IdentifierSource } from "../../../../shared/domain/enums";
import { Handset } from "./handset.entity";
import { HandsetIdentifier } from "./handset-identifier.entity";
import { selectRows, updateStatement } from "../../db/rows";
import type { Statement } from "../../db/rows";

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

/** A handset's own row (no identifiers); fails when there is none. */
export function findHandsetRow(em: EntityManager, id: string): Promise<Handset> {
  return em.getRepository(Handset).findOneByOrFail({ id });
}

/** How many handsets came in an import batch. */
export function countHandsetsOfBatch(em: EntityManager, batchId: string): Promise<number> {
  return em.getRepository(Handset).countBy({ batchId });
}

/** A handset's variant, or null when the handset or its variant is unknown. */
export async function findHandsetVariantId(em: EntityManager, id: string): Promise<string | null> {
  const handset = await em
    .getRepository(Handset)
    .findOne({ where: { id }, select: { id: true, variantId: true } });
  return handset?.variantId ?? null;
}

/**
 * The handsets customers own of a variant (newest first, at most `limit`, with customer and
 * identifiers), and how many there are and of how many customers.
 */
export async function findOwnedHandsetsOfVariant(
  em: EntityManager,
  variantId: string,
  limit: number,
): Promise<{ handsets: Handset[]; handsetCount: number; customerCount: number }> {
  const handsets = await em.getRepository(Handset).find({
    where: { variantId, customerId: Not(IsNull()) },
    relations: { customer: true, identifiers: true },
    order: { updatedAt: "DESC", id: "ASC" },
    take: limit,
  });
  const totals = await em
    .getRepository(Handset)
    .createQueryBuilder("h")
    .select("COUNT(*)", "handsets")
    .addSelect('COUNT(DISTINCT h."customerId")', "customers")
    .where('h."variantId" = :id AND h."customerId" IS NOT NULL', { id: variantId })
    .getRawOne<{ handsets: string | number; customers: string | number }>();
  return {
    handsets,
    handsetCount: Number(totals?.handsets ?? 0),
    customerCount: Number(totals?.customers ?? 0),
  };
}

/** The import batch a handset came in (through the entity's relation), or null. */
export async function findHandsetBatch(
  em: EntityManager,
  handset: Pick<Handset, "id" | "batchId">,
): Promise<NonNullable<Handset["batch"]> | null> {
  if (handset.batchId === null) {
    return null;
  }
  const row = await em
    .getRepository(Handset)
    .findOne({ where: { id: handset.id }, relations: { batch: true } });
  return row?.batch ?? null;
}

export interface NewHandset {
  customerId: string | null;
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

/** A new handset's row and its first identifier's, not yet written. */
export function newHandset(
  input: NewHandset,
  now: Date,
): { handset: Handset; identifier: HandsetIdentifier } {
  const handset = Object.assign(new Handset(), {
    id: randomUUID(),
    customerId: input.customerId,
    brand: input.brand,
    model: input.model,
    purchaseDate: input.purchaseDate,
    romRegion: null,
    // The desk sold it, so the carrier's warranty is its source until an agent says otherwise;
    // with no dates recorded yet, the decision is "pending".
    warrantySource: "carrier",
    warrantyStart: null,
    warrantyEnd: null,
    doaDeadline: null,
    voidReason: null,
    variantId: input.variantId,
    batchId: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Omit<Handset, "identifiers" | "customer" | "variant" | "batch">);
  const identifier = Object.assign(new HandsetIdentifier(), {
    id: randomUUID(),
    handsetId: handset.id,
    ...input.identifier,
    createdAt: now,
  } satisfies Omit<HandsetIdentifier, "handset">);
  handset.identifiers = [identifier];
  return { handset, identifier };
}

/** Gives an owner-less handset (from an import batch) to its first customer. */
export function claimHandset(
  em: EntityManager,
  handset: Handset,
  customerId: string,
  now: Date,
): Statement {
  handset.customerId = customerId;
  return updateStatement(
    em,
    Handset,
    { customerId, updatedAt: now },
    `"id" = ? AND "customerId" IS NULL`,
    [handset.id],
  );
}

/** Records a handset's variant where none was known. */
export function setHandsetVariant(
  em: EntityManager,
  handset: Handset,
  variantId: string,
): Statement {
  handset.variantId = variantId;
  return updateStatement(em, Handset, { variantId }, `"id" = ? AND "variantId" IS NULL`, [
    handset.id,
  ]);
}
