import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import sqlite3 from "sqlite3";
import { CATEGORIES, PRIORITIES, TICKET_STATUSES } from "../shared/domain/enums";
import type { Category, Priority, TicketStatus } from "../shared/domain/enums";
import { luhnCheckDigit } from "../shared/domain/imei";
import { evaluateSla } from "../shared/domain/sla";
import type { SlaClock, SlaEvaluation, SlaTerms, SlaTimeline } from "../shared/domain/sla";

const WORDS = [
  "LTE",
  "band",
  "signal",
  "VoLTE",
  "calls",
  "drop",
  "battery",
  "screen",
  "charger",
  "customs",
  "warranty",
  "repair",
  "update",
  "ROM",
  "Google",
  "Play",
  "SMS",
  "MMS",
  "data",
  "APN",
  "hotspot",
  "camera",
  "speaker",
  "microphone",
  "WiFi",
  "bluetooth",
  "GPS",
  "slow",
  "restart",
  "boot",
];

/** Deterministic pseudo-random numbers (mulberry32), so every run loads the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    db.run(sql, params, (error) => (error ? reject(error) : resolve())),
  );
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) =>
    db.all(sql, params, (error, rows: T[]) => (error ? reject(error) : resolve(rows))),
  );
}

/** The DB's datetime text form, as TypeORM writes it for SQLite. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

const stampOrNull = (ms: number | null): string | null => (ms === null ? null : stamp(ms));

/** A row of sla_policies, as stored. */
interface PolicyRow {
  id: string;
  priority: Priority;
  category: Category | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: string;
  pauseStatuses: string;
}

/** A policy as the server reads it. */
interface Policy {
  id: string;
  terms: SlaTerms;
}

function readPolicies(db: sqlite3.Database): Promise<PolicyRow[]> {
  return all<PolicyRow>(
    db,
    `SELECT "id", "priority", "category", "firstResponseMinutes", "resolutionMinutes", ` +
      `"businessHours", "pauseStatuses" FROM "sla_policies"`,
  );
}

/**
 * The policy the server picks for a priority and category (findPolicyFor in
 * server/src/modules/sla/ticket-sla.repository.ts): the category's own, else the priority's
 * general one, else none.
 */
function policyChooser(
  rows: PolicyRow[],
): (priority: Priority, category: Category) => Policy | null {
  const policies = rows.map((row) => ({
    ...row,
    policy: {
      id: row.id,
      terms: {
        firstResponseMinutes: row.firstResponseMinutes,
        resolutionMinutes: row.resolutionMinutes,
        hours: JSON.parse(row.businessHours) as SlaTerms["hours"],
        pauseStatuses: JSON.parse(row.pauseStatuses) as TicketStatus[],
      },
    },
  }));
  const chosen = new Map<string, Policy | null>();
  return (priority, category) => {
    const key = `${priority}/${category}`;
    let policy = chosen.get(key);
    if (policy === undefined) {
      const same = policies.filter((p) => p.priority === priority);
      policy =
        (same.find((p) => p.category === category) ?? same.find((p) => p.category === null))
          ?.policy ?? null;
      chosen.set(key, policy);
    }
    return policy;
  };
}

/** The columns of ticket_sla, in the order clocksOf() gives them. */
const SLA_COLUMNS = [
  "ticketId",
  "policyId",
  ...["firstResponse", "resolution"].flatMap((clock) =>
    ["State", "TargetMinutes", "DueAt", "At", "RemainingMs", "BreachedAt"].map(
      (column) => `${clock}${column}`,
    ),
  ),
  "pausedSince",
  "computedAt",
];

/** The sweep looks every 30 s (SlaService): a clock that fell due is recomputed about this late. */
const SWEEP_LAG_MS = 15_000;

/** One clock's six columns, as recomputeTicketSla stores a first computation of it. */
function clockCells(clock: SlaClock | null): unknown[] {
  if (clock === null) {
    return [null, null, null, null, null, null];
  }
  return [
    clock.state,
    clock.targetMs / 60_000,
    stampOrNull(clock.dueAt),
    stampOrNull(clock.achievedAt),
    clock.remainingMs,
    // Recorded by the sweep when it fell due (or by the change after it), as its due date.
    clock.breached ? stampOrNull(clock.dueAt) : null,
  ];
}

/**
 * A generated ticket's clocks as a live desk holds them, and its slaDueAt. The ticket has no
 * events, so its story is the one recomputeTicketSla reads for an imported ticket: "new" since it
 * was created, then its status since its last update, and no agent reply (it came from the
 * portal). A desk computed the clocks at that last change, and again when the sweep saw a
 * running clock fall due (marking it breached); not since, so nothing is evaluated at "now",
 * which would walk every business day since the ticket was opened.
 */
function clocksOf(
  ticket: { id: string; status: TicketStatus; created: number; updated: number },
  policy: Policy | null,
  now: number,
): { cells: unknown[]; slaDueAt: string | null } {
  if (policy === null) {
    return {
      cells: [
        ticket.id,
        null,
        ...clockCells(null),
        ...clockCells(null),
        null,
        stamp(ticket.updated),
      ],
      slaDueAt: null,
    };
  }
  const timeline: SlaTimeline = {
    createdAt: ticket.created,
    statuses:
      ticket.status === "new"
        ? [{ at: ticket.created, status: "new" }]
        : [
            { at: ticket.created, status: "new" },
            { at: ticket.updated, status: ticket.status },
          ],
    firstResponseAt: null,
  };
  let at = ticket.updated;
  let evaluation: SlaEvaluation = evaluateSla(timeline, policy.terms, at);
  const fellDue = [evaluation.firstResponse, evaluation.resolution].flatMap((clock) =>
    clock?.state === "running" && clock.dueAt !== null && clock.dueAt >= at && clock.dueAt < now
      ? [clock.dueAt]
      : [],
  );
  if (fellDue.length > 0) {
    at = Math.min(now, Math.max(...fellDue) + SWEEP_LAG_MS);
    evaluation = evaluateSla(timeline, policy.terms, at);
  }
  return {
    cells: [
      ticket.id,
      policy.id,
      ...clockCells(evaluation.firstResponse),
      ...clockCells(evaluation.resolution),
      stampOrNull(evaluation.pausedSince),
      stamp(at),
    ],
    slaDueAt: stampOrNull(evaluation.nextDueAt),
  };
}

/** The tables this file writes. */
const LOADED_TABLES = ["customers", "handsets", "handset_identifiers", "tickets", "ticket_sla"];

const TICKET_COLUMNS = [
  "id",
  "number",
  "subject",
  "description",
  "category",
  "priority",
  "status",
  "channel",
  "customerId",
  "handsetId",
  "flags",
  "lastEventSeq",
  "createdAt",
  "updatedAt",
  "slaDueAt",
];

/** One ticket as drawn, before its dates are written out and its clocks computed. */
interface TicketDraw {
  id: string;
  number: number;
  subject: string;
  category: Category;
  priority: Priority;
  status: TicketStatus;
  customerId: string;
  handsetId: string;
  created: number;
  updated: number;
}

interface TicketRows {
  tickets: unknown[][];
  clocks: unknown[][];
}

/** The tickets, `batch` at a time, always the same ones (the prng). */
function* ticketDraws(
  count: number,
  batch: number,
  firstNumber: number,
  now: number,
  customerIds: string[],
  handsetIds: string[],
): Generator<TicketDraw[]> {
  const random = prng(42);
  const yearMs = 365 * 24 * 3600_000;
  for (let i = 0; i < count; i += batch) {
    const draws: TicketDraw[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const created = now - yearMs + Math.floor((j / count) * yearMs);
      const updated = Math.min(now, created + Math.floor(random() * 14 * 24 * 3600_000));
      const subject = `${WORDS[Math.floor(random() * WORDS.length)]} ${WORDS[Math.floor(random() * WORDS.length)]} problem ${j}`;
      const handset = Math.floor(random() * handsetIds.length);
      draws.push({
        id: randomUUID(),
        number: firstNumber + j,
        subject,
        category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
        priority: PRIORITIES[Math.floor(random() * PRIORITIES.length)],
        status: TICKET_STATUSES[Math.floor(random() * TICKET_STATUSES.length)],
        customerId: customerIds[handset % customerIds.length],
        handsetId: handsetIds[handset],
        created,
        updated,
      });
    }
    yield draws;
  }
}

/** The rows of tickets and of their clocks. */
function ticketRows(
  draws: TicketDraw[],
  policyFor: (priority: Priority, category: Category) => Policy | null,
  now: number,
): TicketRows {
  const tickets: unknown[][] = [];
  const clocks: unknown[][] = [];
  for (const draw of draws) {
    const sla = clocksOf(draw, policyFor(draw.priority, draw.category), now);
    clocks.push(sla.cells);
    tickets.push([
      draw.id,
      draw.number,
      draw.subject,
      "Generated for the benchmark.",
      draw.category,
      draw.priority,
      draw.status,
      "portal",
      draw.customerId,
      draw.handsetId,
      "[]",
      0,
      stamp(draw.created),
      stamp(draw.updated),
      sla.slaDueAt,
    ]);
  }
  return { tickets, clocks };
}

const WORKER_ROLE = "greydesk-bench-ticket-rows";

/**
 * Worker threads that make ticket rows: the clocks cost more CPU than anything else of the load,
 * so they are computed in parallel with each other and with the writes (SQLite writes on libuv's
 * threads).
 */
function rowMakers(
  workers: number,
  policies: PolicyRow[],
  now: number,
): { rows(draws: TicketDraw[]): Promise<TicketRows>; stop(): Promise<void> } {
  const tsNode = __filename.endsWith(".ts")
    ? `require(${JSON.stringify(require.resolve("ts-node/register/transpile-only"))});`
    : "";
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(`${tsNode} require(${JSON.stringify(__filename)});`, {
      eval: true,
      execArgv: [],
      workerData: { role: WORKER_ROLE, policies, now },
    });
    let failed: Error | null = null;
    const waiting = new Set<(error: Error) => void>();
    const fail = (error: Error) => {
      failed ??= error;
      waiting.forEach((reject) => reject(error));
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`a ticket worker exited (${code})`)));
    // One request at a time per worker: the answer to a message is the next message.
    const rows = (draws: TicketDraw[]) =>
      new Promise<TicketRows>((resolve, reject) => {
        if (failed !== null) {
          return reject(failed);
        }
        waiting.add(reject);
        worker.once("message", (made: TicketRows) => {
          waiting.delete(reject);
          resolve(made);
        });
        worker.postMessage(draws);
      });
    return { worker, rows };
  });
  return {
    async rows(draws) {
      const share = Math.ceil(draws.length / pool.length);
      const parts = await Promise.all(
        pool.map((maker, k) => maker.rows(draws.slice(k * share, (k + 1) * share))),
      );
      return {
        tickets: parts.flatMap((part) => part.tickets),
        clocks: parts.flatMap((part) => part.clocks),
      };
    },
    async stop() {
      await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  const { policies, now } = workerData as { policies: PolicyRow[]; now: number };
  const policyFor = policyChooser(policies);
  parentPort?.on("message", (draws: TicketDraw[]) => {
    parentPort?.postMessage(ticketRows(draws, policyFor, now));
  });
}

async function insertMany(
  db: sqlite3.Database,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const perStatement = Math.floor(30_000 / columns.length);
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const placeholders = chunk.map(() => `(${columns.map(() => "?").join(",")})`).join(",");
    await run(
      db,
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${placeholders}`,
      chunk.flat(),
    );
  }
}

export interface Generated {
  tickets: number;
  seconds: number;
  /** An IMEI that is on some tickets' handset, and a word that is in some subjects. */
  sampleImei: string;
  sampleWord: string;
  /**
   * Tickets without a ticket_sla row: 0 after a load, so the server's start-up backfill finds
   * nothing to do (it compares the two counts) and nothing runs behind the timed requests.
   */
  withoutClocks: number;
}

/**
 * Loads `count` tickets (with 1/10 as many customers and 1/5 as many handsets and IMEIs) into a
 * migrated Greydesk SQLite file, fast and outside any timed part: multi-row INSERTs in large
 * transactions with synchronous=OFF on this loading connection only. Every ticket gets the SLA
 * clocks a live desk would hold for it (and its slaDueAt), computed by shared/domain/sla.ts with
 * the policies in the file; without them the server would spend its first minutes computing
 * them, behind the requests being timed. No events are generated (not even the `sla_breached`
 * ones a desk records with a breach): the queue and the searches measured do not read them.
 */
export async function generateTickets(file: string, count: number): Promise<Generated> {
  const started = Date.now();
  const db = new sqlite3.Database(file);
  await run(db, "PRAGMA synchronous = OFF");
  await run(db, "PRAGMA journal_mode = WAL");
  // The random ids land all over the tables' indexes: with the default 2 MB page cache every
  // insert rereads pages from the file (half the load time was system time). 1 GiB holds them.
  await run(db, "PRAGMA cache_size = -1048576");
  const customers = Math.max(1, Math.floor(count / 10));
  const handsets = Math.max(1, Math.floor(count / 5));
  const now = Date.now();
  const yearMs = 365 * 24 * 3600_000;

  const customerIds: string[] = [];
  const handsetIds: string[] = [];
  let sampleImei = "";
  const batch = 50_000;

  // Each index is built once, sorted, after the load rather than row by row during it (the same
  // statement the migrations ran, as SQLite keeps it): it takes a third off the inserts' time.
  const indexes = await all<{ name: string; sql: string }>(
    db,
    `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "sql" IS NOT NULL ` +
      `AND "tbl_name" IN (${LOADED_TABLES.map(() => "?").join(",")})`,
    LOADED_TABLES,
  );
  for (const index of indexes) {
    await run(db, `DROP INDEX "${index.name}"`);
  }

  await run(db, "BEGIN");
  for (let i = 0; i < customers; i += batch) {
    const rows: unknown[][] = [];
    for (let j = i; j < Math.min(customers, i + batch); j++) {
      const id = randomUUID();
      customerIds.push(id);
      rows.push([
        id,
        `bulk-${j}@example.com`,
        `Customer ${j}`,
        null,
        stamp(now - yearMs),
        stamp(now - yearMs),
      ]);
    }
    await insertMany(
      db,
      "customers",
      ["id", "email", "name", "phone", "createdAt", "updatedAt"],
      rows,
    );
  }
  for (let i = 0; i < handsets; i += batch) {
    const handsetRows: unknown[][] = [];
    const identifierRows: unknown[][] = [];
    for (let j = i; j < Math.min(handsets, i + batch); j++) {
      const id = randomUUID();
      handsetIds.push(id);
      const first14 = `86927102${String(j).padStart(6, "0")}`;
      const imei = `${first14}${luhnCheckDigit(first14)}`;
      if (j === Math.floor(handsets / 2)) {
        sampleImei = imei;
      }
      handsetRows.push([
        id,
        customerIds[j % customers],
        "Xiaomi",
        "Redmi Note 3",
        "carrier",
        stamp(now - yearMs),
        stamp(now - yearMs),
      ]);
      identifierRows.push([randomUUID(), id, "imei", imei, 1, "customer", stamp(now - yearMs)]);
    }
    await insertMany(
      db,
      "handsets",
      ["id", "customerId", "brand", "model", "warrantySource", "createdAt", "updatedAt"],
      handsetRows,
    );
    await insertMany(
      db,
      "handset_identifiers",
      ["id", "handsetId", "kind", "value", "slot", "source", "createdAt"],
      identifierRows,
    );
  }
  await run(db, "COMMIT");

  const counter = await new Promise<number>((resolve, reject) =>
    db.get(
      `SELECT "value" FROM "counters" WHERE "name" = 'ticket_number'`,
      (error, row: { value: number }) => (error ? reject(error) : resolve(row.value)),
    ),
  );
  const makers = rowMakers(
    Math.max(1, Math.min(4, availableParallelism())),
    await readPolicies(db),
    now,
  );
  try {
    const draws = ticketDraws(count, batch, counter + 1, now, customerIds, handsetIds);
    const request = () => {
      const next = draws.next();
      return next.done ? null : makers.rows(next.value);
    };
    let next = request();
    while (next !== null) {
      const made = await next;
      // The next batch is made while this one is written.
      next = request();
      // Kept from rejecting unhandled meanwhile; awaited above next time round.
      next?.catch(() => undefined);
      await run(db, "BEGIN");
      await insertMany(db, "tickets", TICKET_COLUMNS, made.tickets);
      await insertMany(db, "ticket_sla", SLA_COLUMNS, made.clocks);
      await run(db, "COMMIT");
    }
  } finally {
    await makers.stop();
  }
  await run(db, `UPDATE "counters" SET "value" = ? WHERE "name" = 'ticket_number'`, [
    counter + count,
  ]);
  for (const index of indexes) {
    await run(db, index.sql);
  }
  const [{ n: ticketRows }] = await all<{ n: number }>(db, `SELECT COUNT(*) AS "n" FROM "tickets"`);
  const [{ n: clockRows }] = await all<{ n: number }>(
    db,
    `SELECT COUNT(*) AS "n" FROM "ticket_sla"`,
  );
  await run(db, "ANALYZE");
  await run(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  await new Promise<void>((resolve, reject) =>
    db.close((error) => (error ? reject(error) : resolve())),
  );
  return {
    tickets: count,
    seconds: (Date.now() - started) / 1000,
    sampleImei,
    sampleWord: "hotspot",
    withoutClocks: ticketRows - clockRows,
  };
}
