import { randomUUID } from "node:crypto";
import sqlite3 from "sqlite3";
import { CATEGORIES, PRIORITIES, TICKET_STATUSES } from "../shared/domain/enums";
import { luhnCheckDigit } from "../shared/domain/imei";

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

/** The DB's datetime text form, as TypeORM writes it for SQLite. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
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
}

/**
 * Loads `count` tickets (with 1/10 as many customers and 1/5 as many handsets and IMEIs) into a
 * migrated Greydesk SQLite file, fast and outside any timed part: multi-row INSERTs in large
 * transactions with synchronous=OFF on this loading connection only. No events are generated:
 * the queue and the searches measured do not read them.
 */
export async function generateTickets(file: string, count: number): Promise<Generated> {
  const started = Date.now();
  const random = prng(42);
  const db = new sqlite3.Database(file);
  await run(db, "PRAGMA synchronous = OFF");
  await run(db, "PRAGMA journal_mode = WAL");
  const customers = Math.max(1, Math.floor(count / 10));
  const handsets = Math.max(1, Math.floor(count / 5));
  const now = Date.now();
  const yearMs = 365 * 24 * 3600_000;

  const customerIds: string[] = [];
  const handsetIds: string[] = [];
  let sampleImei = "";
  const batch = 50_000;

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
  const columns = [
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
  ];
  for (let i = 0; i < count; i += batch) {
    const rows: unknown[][] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const created = now - yearMs + Math.floor((j / count) * yearMs);
      const updated = Math.min(now, created + Math.floor(random() * 14 * 24 * 3600_000));
      const subject = `${WORDS[Math.floor(random() * WORDS.length)]} ${WORDS[Math.floor(random() * WORDS.length)]} problem ${j}`;
      const handset = Math.floor(random() * handsets);
      rows.push([
        randomUUID(),
        counter + 1 + j,
        subject,
        "Generated for the benchmark.",
        CATEGORIES[Math.floor(random() * CATEGORIES.length)],
        PRIORITIES[Math.floor(random() * PRIORITIES.length)],
        TICKET_STATUSES[Math.floor(random() * TICKET_STATUSES.length)],
        "portal",
        customerIds[handset % customers],
        handsetIds[handset],
        "[]",
        0,
        stamp(created),
        stamp(updated),
      ]);
    }
    await run(db, "BEGIN");
    await insertMany(db, "tickets", columns, rows);
    await run(db, "COMMIT");
  }
  await run(db, `UPDATE "counters" SET "value" = ? WHERE "name" = 'ticket_number'`, [
    counter + count,
  ]);
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
  };
}
