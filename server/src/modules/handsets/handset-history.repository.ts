import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { HandsetChangeSource } from "../../../../shared/domain/register";
import { insertMany, insertManyStatement } from "../../db/rows";
import type { Statement } from "../../db/rows";
import { ValidationError } from "../../errors/app-error";
import { HandsetChange } from "./handset-change.entity";

/** Who made a handset change. */
export interface ChangeActor {
  source: HandsetChangeSource;
  actorId: string | null;
  /** An agent's name; null for the others. */
  actorName: string | null;
}

/** One change of one field of one handset. */
export interface HandsetFieldChange {
  handsetId: string;
  field: string;
  from: unknown;
  to: unknown;
  context?: string | null;
}

/** The system (a ticket being opened, a batch's new variant) as the one who changed a handset. */
export const SYSTEM_ACTOR: ChangeActor = { source: "system", actorId: null, actorName: null };

function asText(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The history rows of some changes, not yet written. */
export function handsetChangeRows(
  changes: readonly HandsetFieldChange[],
  actor: ChangeActor,
  now: Date,
): HandsetChange[] {
  return changes.map((change) =>
    Object.assign(new HandsetChange(), {
      id: randomUUID(),
      handsetId: change.handsetId,
      field: change.field,
      fromValue: asText(change.from),
      toValue: asText(change.to),
      source: actor.source,
      actorId: actor.actorId,
      actorName: actor.actorName,
      context: change.context ?? null,
      createdAt: now,
    } satisfies Omit<HandsetChange, "handset">),
  );
}

/** Records changes in the handsets' history, in the caller's unit of work. */
export async function recordHandsetChanges(
  em: EntityManager,
  changes: readonly HandsetFieldChange[],
  actor: ChangeActor,
  now: Date,
): Promise<void> {
  const rows = handsetChangeRows(changes, actor, now);
  for (let i = 0; i < rows.length; i += 200) {
    await insertMany(em, HandsetChange, rows.slice(i, i + 200));
  }
}

/** The statement that records changes (for writers that batch their statements). */
export function handsetChangesStatement(
  em: EntityManager,
  changes: readonly HandsetFieldChange[],
  actor: ChangeActor,
  now: Date,
): Statement {
  return insertManyStatement(em, HandsetChange, handsetChangeRows(changes, actor, now));
}

interface HistoryCursor {
  at: number;
  id: string;
}

function encode(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id]), "utf8").toString("base64url");
}

function decode(raw: string): HistoryCursor {
  const invalid = new ValidationError("The query is not valid", [
    { path: "query.cursor", message: "is not a cursor from this list" },
  ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== "number" ||
    !Number.isSafeInteger(parsed[0]) ||
    parsed[0] < 0 ||
    parsed[0] > 8.64e15 ||
    typeof parsed[1] !== "string" ||
    !/^[0-9a-f-]{36}$/.test(parsed[1])
  ) {
    throw invalid;
  }
  return { at: parsed[0], id: parsed[1] };
}

/**
 * One page of a handset's history, newest first (keyset on createdAt and id, so changes written
 * meanwhile never shift a later page), and the cursor of the next page.
 */
export async function listHandsetChanges(
  em: EntityManager,
  handsetId: string,
  limit: number,
  cursor: string | undefined,
  dateParam: (date: Date) => Date | string,
): Promise<{ items: HandsetChange[]; nextCursor: string | null }> {
  const qb = em
    .getRepository(HandsetChange)
    .createQueryBuilder("c")
    .where("c.handsetId = :handsetId", { handsetId });
  if (cursor !== undefined) {
    const after = decode(cursor);
    qb.andWhere("(c.createdAt < :at OR (c.createdAt = :at AND c.id < :id))", {
      at: dateParam(new Date(after.at)),
      id: after.id,
    });
  }
  const rows = await qb
    .orderBy("c.createdAt", "DESC")
    .addOrderBy("c.id", "DESC")
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encode({ at: last.createdAt.getTime(), id: last.id }) : null,
  };
}
