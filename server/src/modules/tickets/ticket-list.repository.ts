import { Brackets } from "typeorm";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import type { ListTicketsInput, TicketSort } from "../../../../shared/contracts/http/agent-tickets";
import { IDENTIFIER_KINDS, TICKET_FLAGS } from "../../../../shared/domain/enums";
import type { TicketFlag } from "../../../../shared/domain/enums";
import { parseImei } from "../../../../shared/domain/imei";
import { dialectOf } from "../../db/dialect";
import type { Condition, Dialect, FullTextIndex } from "../../db/dialect";
import { ValidationError } from "../../errors/app-error";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { Handset } from "../handsets/handset.entity";
import { DeviceModel } from "../catalog/device-model.entity";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { ImportBatch } from "../batches/import-batch.entity";
import type { TicketExtensions } from "./extensions";
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

/**
 * The words of a search as full-text terms: runs of letters, combining marks and digits, in NFC.
 * Everything else (quotes, `*`, `-`, `:`, brackets, operators) only separates words, so no user
 * text ever reaches FTS5 or tsquery as syntax.
 */
function searchWords(q: string): string[] {
  return q.normalize("NFC").match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/**
 * Whether the last word is also looked for as the start of a longer one (`"tok"*`, `tok:*`). Not
 * for a single character: that would list nearly every ticket, from every word it starts.
 */
function lastIsPrefix(words: string[]): boolean {
  return [...(words[words.length - 1] ?? "")].length > 1;
}

/**
 * The tickets' full-text index (migration TicketSearch): PostgreSQL's GIN index IDX_tickets_search
 * over subject and description, SQLite's FTS5 table tickets_fts keyed by ticket number.
 */
const TICKET_TEXT: FullTextIndex = {
  table: "tickets",
  key: "number",
  columns: ["subject", "description"],
  fts5Table: "tickets_fts",
};

/** Something shaped like a whole address (`x@y.z`): then only that customer, by the unique index. */
const WHOLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * How many rows of the queue (filters applied, in its order) a search first tests one by one.
 * When the matches fill a page within them (common words), that is the cheapest answer; otherwise
 * (rare matches) the indexes list every match and only those are sorted. Testing a row costs
 * PostgreSQL a to_tsvector of its text, SQLite a look-up in the matches FTS5 listed once.
 */
const SCAN_BUDGET = { postgres: 2000, sqlite: 5000 };

/**
 * What a search `q` can mean, each part a condition answered by an index: a ticket number, an
 * IMEI or serial, a customer (the whole email, or the start of the email or of the name), and
 * words of the subject and description (all of them; the last may be the start of a word).
 */
interface Search {
  number: number | null;
  identifier: string | null;
  /** On customers "c". */
  customer: Condition | null;
  /** The handsets whose model, variant or batch the search names (a subquery of ids). */
  handset: Condition | null;
  /** A flag the search names (`tac_unknown`, "tac unknown"). */
  flag: TicketFlag | null;
  words: string[];
  /** The words as FTS5 MATCH or to_tsquery text. */
  wordQuery: string;
}

function parseSearch(q: string, dialect: Dialect): Search {
  const number = /^(?:GD-?)?(\d{1,9})$/i.exec(q);
  const imei = parseImei(q);
  const identifier = imei.valid ? imei.imei : q.replace(/[\s-]/g, "");
  const words = searchWords(q);
  return {
    number: number ? Number(number[1]) : null,
    identifier: /^[A-Za-z0-9]{6,64}$/.test(identifier) ? identifier : null,
    customer: customerCondition(q, words, dialect),
    handset: null,
    flag: flagNamed(q),
    words,
    wordQuery: dialect.fullText.query(words, lastIsPrefix(words)),
  };
}

/** The flag a search names, as its code or in words (`variant unknown`, `Variant-Unknown`). */
function flagNamed(q: string): TicketFlag | null {
  const code = q
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return (TICKET_FLAGS as readonly string[]).includes(code) ? (code as TicketFlag) : null;
}

/** `"flag"` inside the JSON list of a ticket's flags. */
function flagPattern(flag: TicketFlag): string {
  return `%"${flag.replace(/_/g, "\\_")}"%`;
}

/**
 * The handsets a search names by what they are, as a subquery of their ids: the declared model
 * starting with the search (IDX_handsets_model_lower), or a catalogue model (by name, or brand
 * and name), a variant, or an import batch reference containing it (small tables, scanned), whose
 * handsets the variant and batch indexes give. Not for a single character.
 */
function handsetCondition(
  qb: SelectQueryBuilder<Ticket>,
  q: string,
  dialect: Dialect,
): Condition | null {
  const text = dialect.lower(q.trim());
  if ([...text].length < 2) {
    return null;
  }
  const [modelStart, modelStartParameters] = dialect.startsWith("LOWER(h.model)", text, "qHModel");
  const [named, namedParameters] = dialect.contains(
    `LOWER(m.brand || ' ' || m.name)`,
    text,
    "qHName",
  );
  const [variant, variantParameters] = dialect.contains("LOWER(v.name)", text, "qHVariant");
  const [batch, batchParameters] = dialect.contains("LOWER(b.reference)", text, "qHBatch");
  const models = qb
    .subQuery()
    .select("LOWER(m.name)")
    .from(DeviceModel, "m")
    .where(named)
    .getQuery();
  const variants = qb
    .subQuery()
    .select("v.id")
    .from(DeviceVariant, "v")
    .innerJoin(DeviceModel, "m", 'm.id = v."modelId"')
    .where(`${variant} OR ${named}`)
    .getQuery();
  const batches = qb.subQuery().select("b.id").from(ImportBatch, "b").where(batch).getQuery();
  const handsets = qb
    .subQuery()
    .select("h.id")
    .from(Handset, "h")
    .where(
      `(${modelStart}) OR LOWER(h.model) IN ${models} OR h."variantId" IN ${variants} ` +
        `OR h."batchId" IN ${batches}`,
    )
    .getQuery();
  return [
    handsets,
    { ...modelStartParameters, ...namedParameters, ...variantParameters, ...batchParameters },
  ];
}

function customerCondition(q: string, words: string[], dialect: Dialect): Condition | null {
  if (WHOLE_EMAIL.test(q)) {
    // Emails are stored lower-cased (emailField), so the unique index answers.
    return ["c.email = :qEmail", { qEmail: q.toLowerCase() }];
  }
  // A single character would name most customers: no use, and no longer cheap.
  if (words.length === 0 || [...q].length < 2) {
    return null;
  }
  // On UQ_customers_email and the LOWER("name") index; the name's prefix is folded the way the
  // database's LOWER() folds, to compare like with like.
  const [byEmail, emailParameters] = dialect.startsWith("c.email", q.toLowerCase(), "qEmail");
  const [byName, nameParameters] = dialect.startsWith("LOWER(c.name)", dialect.lower(q), "qName");
  return [`((${byEmail}) OR (${byName}))`, { ...emailParameters, ...nameParameters }];
}

/**
 * The handsets with the identifier (any kind), for `t.handsetId IN ...`. The kinds are named so
 * that the unique (kind, value) index answers, rather than a scan of every identifier.
 */
function handsetsOf(qb: SelectQueryBuilder<Ticket>): string {
  return qb
    .subQuery()
    .select("i.handsetId")
    .from(HandsetIdentifier, "i")
    .where("i.kind IN (:...qKinds) AND i.value = :qIdentifier")
    .getQuery();
}

/**
 * The search as a test of each row, for scanning the queue in its order: no branch may be
 * answered from an index of tickets (SQLite would then collect every match and sort them).
 */
function rowTest(qb: SelectQueryBuilder<Ticket>, search: Search, dialect: Dialect): Brackets {
  const column = (name: string) => dialect.noIndex(`"t"."${name}"`);
  return new Brackets((or) => {
    or.where("1 = 0");
    if (search.number !== null) {
      or.orWhere(`${column("number")} = :qNumber`, { qNumber: search.number });
    }
    if (search.identifier !== null) {
      or.orWhere(`${column("handsetId")} IN ${handsetsOf(qb)}`, {
        qIdentifier: search.identifier,
        qKinds: IDENTIFIER_KINDS,
      });
    }
    if (search.customer) {
      const [condition, parameters] = search.customer;
      // A look-up per row: listing every customer whose name starts so may cost far more.
      or.orWhere(
        `EXISTS (SELECT 1 FROM customers c WHERE c.id = "t"."customerId" AND ${condition})`,
        parameters,
      );
    }
    if (search.handset) {
      const [subquery, parameters] = search.handset;
      or.orWhere(`${column("handsetId")} IN ${subquery}`, parameters);
    }
    if (search.flag !== null) {
      or.orWhere(`"t"."flags" LIKE :qFlag ESCAPE '\\'`, { qFlag: flagPattern(search.flag) });
    }
    if (search.words.length > 0) {
      or.orWhere(dialect.fullText.matches(TICKET_TEXT, "t", "qWords"), {
        qWords: search.wordQuery,
      });
    }
  });
}

/**
 * The search as the numbers of every matching ticket, each branch from its index (FTS5 is keyed
 * by ticket number; PostgreSQL's GIN index is on the tickets themselves), for `t.number IN`.
 */
function matchingNumbers(
  qb: SelectQueryBuilder<Ticket>,
  search: Search,
  dialect: Dialect,
): Condition {
  const branches: string[] = [];
  const parameters: Record<string, unknown> = {};
  if (search.number !== null) {
    branches.push(`SELECT ${dialect.integerParam("qNumber")}`);
    parameters.qNumber = search.number;
  }
  if (search.identifier !== null) {
    branches.push(`SELECT s.number FROM tickets s WHERE s."handsetId" IN ${handsetsOf(qb)}`);
    parameters.qIdentifier = search.identifier;
    parameters.qKinds = IDENTIFIER_KINDS;
  }
  if (search.customer) {
    const [condition, customerParameters] = search.customer;
    branches.push(
      `SELECT s.number FROM tickets s WHERE s."customerId" IN ` +
        `(SELECT c.id FROM customers c WHERE ${condition})`,
    );
    Object.assign(parameters, customerParameters);
  }
  if (search.handset) {
    const [subquery, handsetParameters] = search.handset;
    branches.push(`SELECT s.number FROM tickets s WHERE s."handsetId" IN ${subquery}`);
    Object.assign(parameters, handsetParameters);
  }
  if (search.flag !== null) {
    // A scan of the tickets' flags: only when the queue's first rows did not fill the page.
    branches.push(`SELECT s.number FROM tickets s WHERE s.flags LIKE :qFlag ESCAPE '\\'`);
    parameters.qFlag = flagPattern(search.flag);
  }
  if (search.words.length > 0) {
    branches.push(dialect.fullText.matchingKeys(TICKET_TEXT, "qWords"));
    parameters.qWords = search.wordQuery;
  }
  const union = branches.join(" UNION ALL ");
  return [dialect.inSubquery("t.number", union), parameters];
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

/** Keeps `qb` to the rows up to and including `edge`, in the order (sort column, id) of `sort`. */
function applyUpTo(
  qb: SelectQueryBuilder<Ticket>,
  sort: TicketSort,
  edge: Ticket,
  dateParam: (date: Date) => Date | string,
): void {
  const { column, direction } = SORTS[sort];
  const at = edge[column];
  if (at === null) {
    // sla_asc, into the tickets without a due date: all those with one, then by id.
    qb.andWhere(`(t.${column} IS NOT NULL OR t.id <= :edgeId)`, { edgeId: edge.id });
  } else {
    // A row value is one range on the (column, id) index; NULL (no due date) compares false.
    qb.andWhere(`(t.${column}, t.id) ${direction === "DESC" ? ">=" : "<="} (:edgeAt, :edgeId)`, {
      edgeAt: dateParam(at),
      edgeId: edge.id,
    });
  }
}

/**
 * The page `qb` (filters, cursor, order and limit set) narrowed to a search. First the queue's
 * next SCAN_BUDGET rows are tested one by one, which is enough when matches are common; when they
 * do not fill the page, every match is listed from the indexes and only those are sorted.
 */
async function searchPage(
  qb: SelectQueryBuilder<Ticket>,
  dialect: Dialect,
  search: Search,
  sort: TicketSort,
  pageSize: number,
  dateParam: (date: Date) => Date | string,
  budget: number,
): Promise<Ticket[]> {
  if (
    search.number === null &&
    search.identifier === null &&
    search.customer === null &&
    search.handset === null &&
    search.flag === null &&
    search.words.length === 0
  ) {
    return [];
  }
  const [edge] = await qb
    .clone()
    .offset(budget - 1)
    .limit(1)
    .getMany();
  const scan = qb.clone().andWhere(rowTest(qb, search, dialect));
  if (edge) {
    applyUpTo(scan, sort, edge, dateParam);
  }
  const scanned = await scan.getMany();
  if (scanned.length >= pageSize || !edge) {
    return scanned;
  }
  const [condition, parameters] = matchingNumbers(qb, search, dialect);
  return qb.clone().andWhere(condition, parameters).getMany();
}

export interface TicketPage {
  ids: string[];
  nextCursor: string | null;
}

/**
 * One page of the queue: ids in order, and the cursor after the last. Keyset pagination on
 * (sort column, id), so rows inserted meanwhile never shift or repeat a later page. Every
 * value from the request is a bound parameter; columns and directions come from SORTS.
 * `scanBudget` overrides SCAN_BUDGET (tests take both ways of searching with a few rows).
 */
export async function listTicketIds(
  em: EntityManager,
  filter: ListTicketsInput,
  me: string,
  dateParam: (date: Date) => Date | string,
  now: Date = new Date(),
  scanBudget?: number,
  extensions?: TicketExtensions,
): Promise<TicketPage> {
  const { column, direction } = SORTS[filter.sort];
  const dialect = dialectOf(em);
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
  if (filter.verdict) {
    // The verdict kept from the ticket's opening (docs/DOMAIN.md): a ticket without one is
    // `unknown`, as its variant was.
    qb.andWhere(
      `COALESCE(${dialect.jsonText('"t"."verdictAtOpen"', "level")}, 'unknown') IN (:...verdict)`,
      { verdict: filter.verdict },
    );
  }
  if (filter.flag) {
    qb.andWhere(
      new Brackets((any) => {
        filter.flag!.forEach((flag, i) => {
          any.orWhere(`"t"."flags" LIKE :flag${i} ESCAPE '\\'`, {
            [`flag${i}`]: flagPattern(flag),
          });
        });
      }),
    );
  }
  extensions?.filter(qb, filter, now, dateParam);
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
  const search = filter.q ? parseSearch(filter.q, dialect) : null;
  if (search !== null && filter.q) {
    search.handset = handsetCondition(qb, filter.q, dialect);
  }
  const rows = search
    ? await searchPage(
        qb,
        dialect,
        search,
        filter.sort,
        filter.limit + 1,
        dateParam,
        scanBudget ?? SCAN_BUDGET[dialect.kind],
      )
    : await qb.getMany();
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
