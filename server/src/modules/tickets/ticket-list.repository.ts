import { Brackets } from "typeorm";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import type { ListTicketsInput, TicketSort } from "../../../../shared/contracts/http/agent-tickets";
import { parseImei } from "../../../../shared/domain/imei";
import { ValidationError } from "../../errors/app-error";
import { applyQueueFilters } from "../views/queue-filters";
import { Customer } from "../customers/customer.entity";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { Ticket } from "./ticket.entity";

const SORTS: Record<
  TicketSort,
  { column: "updatedAt" | "createdAt" | "slaDueAt"; direction: "ASC" | "DESC" }
> = {
  updated_desc: { column: "updatedAt", direction: "DESC" },
  updated_asc: { column: "updatedAt", direction: "ASC" },
  created_desc: { column: "createdAt", direction: "DESC" },
  created_asc: { column: "createdAt", direction: "ASC" },
  // Nullable: tickets without a running clock come last (the cursor carries a null for them).
  sla_asc: { column: "slaDueAt", direction: "ASC" },
};

/** The largest time a JavaScript Date can hold (ECMA-262, "Time Values and Time Range"). */
const MAX_DATE_MS = 8.64e15;

interface Cursor {
  sort: TicketSort;
  /** Null only on `sla_asc`, for a ticket without a due date. */
  at: number | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.at, cursor.id]), "utf8").toString(
    "base64url",
  );
}

function decodeCursor(raw: string, sort: TicketSort): Cursor {
  const invalid = () =>
    new ValidationError("The query is not valid", [
      { path: "query.cursor", message: "is not a cursor from this list" },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    !(
      (parsed[1] === null && sort === "sla_asc") ||
      (typeof parsed[1] === "number" &&
        Number.isSafeInteger(parsed[1]) &&
        // A forged time outside what a Date can hold would reach the query as an invalid date
        // (PostgreSQL answers with an error, a 500); real cursors come from stored timestamps.
        parsed[1] >= 0 &&
        parsed[1] <= MAX_DATE_MS)
    ) ||
    typeof parsed[2] !== "string" ||
    !/^[0-9a-f-]{36}$/.test(parsed[2])
  ) {
    throw invalid();
  }
  return { sort, at: parsed[1] as number | null, id: parsed[2] };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Narrows the query to what `q` means: a ticket number, an IMEI or serial, an email, or words. */
function applySearch(qb: SelectQueryBuilder<Ticket>, q: string): void {
  const conditions = new Brackets((or) => {
    const number = /^(?:GD-?)?(\d{1,9})$/i.exec(q);
    if (number) {
      or.orWhere("t.number = :qNumber", { qNumber: Number(number[1]) });
    }
    const imei = parseImei(q);
    const identifier = imei.valid ? imei.imei : q.replace(/[\s-]/g, "");
    if (/^[A-Za-z0-9]{6,64}$/.test(identifier)) {
      or.orWhere(
        `t.handsetId IN ${qb
          .subQuery()
          .select("i.handsetId")
          .from(HandsetIdentifier, "i")
          .where("i.value = :qIdentifier")
          .getQuery()}`,
        { qIdentifier: identifier },
      );
    }
    const like = `%${escapeLike(q.toLowerCase())}%`;
    or.orWhere(
      `t.customerId IN ${qb
        .subQuery()
        .select("c.id")
        .from(Customer, "c")
        .where("LOWER(c.email) LIKE :qLike ESCAPE '\\'")
        .orWhere("LOWER(c.name) LIKE :qLike ESCAPE '\\'")
        .getQuery()}`,
    );
    or.orWhere("LOWER(t.subject) LIKE :qLike ESCAPE '\\'", { qLike: like });
  });
  qb.andWhere(conditions);
}

/**
 * After the cursor in (slaDueAt ASC NULLS LAST, id ASC): a later due date, the same one with a
 * greater id, or no due date at all; past a ticket without one, only those with a greater id.
 */
function applyNullsLastCursor(
  qb: SelectQueryBuilder<Ticket>,
  cursor: Cursor,
  dateParam: (date: Date) => Date | string,
): void {
  if (cursor.at === null) {
    qb.andWhere("t.slaDueAt IS NULL").andWhere("t.id > :cursorId", { cursorId: cursor.id });
    return;
  }
  qb.andWhere(
    new Brackets((w) => {
      w.where("t.slaDueAt > :cursorAt")
        .orWhere(
          new Brackets((tie) => {
            tie.where("t.slaDueAt = :cursorAt").andWhere("t.id > :cursorId");
          }),
        )
        .orWhere("t.slaDueAt IS NULL");
    }),
    { cursorAt: dateParam(new Date(cursor.at)), cursorId: cursor.id },
  );
}

export interface TicketPage {
  ids: string[];
  nextCursor: string | null;
}

/**
 * One page of the queue: ids in order, and the cursor after the last. Keyset pagination on
 * (sort column, id), so rows inserted meanwhile never shift or repeat a later page. Every
 * value from the request is a bound parameter; columns and directions come from SORTS.
 */
export async function listTicketIds(
  em: EntityManager,
  filter: ListTicketsInput,
  me: string,
  dateParam: (date: Date) => Date | string,
  now: Date = new Date(),
): Promise<TicketPage> {
  const { column, direction } = SORTS[filter.sort];
  const qb = em
    .getRepository(Ticket)
    .createQueryBuilder("t")
    .select(["t.id", `t.${column}`]);
  if (filter.status) {
    qb.andWhere("t.status IN (:...status)", { status: filter.status });
  }
  if (filter.priority) {
    qb.andWhere("t.priority IN (:...priority)", { priority: filter.priority });
  }
  if (filter.category) {
    qb.andWhere("t.category IN (:...category)", { category: filter.category });
  }
  if (filter.assignee === "none") {
    qb.andWhere("t.assigneeId IS NULL");
  } else if (filter.assignee !== undefined) {
    qb.andWhere("t.assigneeId = :assignee", {
      assignee: filter.assignee === "me" ? me : filter.assignee,
    });
  }
  if (filter.warrantySource) {
    qb.innerJoin("t.handset", "h", "h.warrantySource = :warrantySource", {
      warrantySource: filter.warrantySource,
    });
  }
  if (filter.q) {
    applySearch(qb, filter.q);
  }
  applyQueueFilters(qb, filter, now, dateParam);
  if (filter.cursor && column === "slaDueAt") {
    applyNullsLastCursor(qb, decodeCursor(filter.cursor, filter.sort), dateParam);
  } else if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor, filter.sort);
    const op = direction === "DESC" ? "<" : ">";
    qb.andWhere(
      new Brackets((w) => {
        w.where(`t.${column} ${op} :cursorAt`).orWhere(
          new Brackets((tie) => {
            tie.where(`t.${column} = :cursorAt`).andWhere(`t.id ${op} :cursorId`);
          }),
        );
      }),
      { cursorAt: dateParam(new Date(cursor.at ?? 0)), cursorId: cursor.id },
    );
  }
  qb.orderBy(`t.${column}`, direction, column === "slaDueAt" ? "NULLS LAST" : undefined)
    .addOrderBy("t.id", direction)
    .limit(filter.limit + 1);
  const rows = await qb.getMany();
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    ids: page.map((row) => row.id),
    nextCursor:
      rows.length > filter.limit && last
        ? encodeCursor({ sort: filter.sort, at: last[column]?.getTime() ?? null, id: last.id })
        : null,
  };
}
