import { TableCheck } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { oneOf } from "../migration-types";

// The wire values before and after this migration (a migration never changes).
const TECHNOLOGIES_BEFORE = ["lte", "umts", "gsm", "cdma"];
const TECHNOLOGIES_AFTER = [...TECHNOLOGIES_BEFORE, "nr"];
const ROLES_BEFORE = ["primary", "coverage"];
const ROLES_AFTER = ["primary", "low_band", "supplementary"];

const TMOBILE = "5e1a0000-0000-4000-8000-000000000001";
const ATT = "5e1a0000-0000-4000-8000-000000000002";
const VERIZON = "5e1a0000-0000-4000-8000-000000000003";

const OLD_SOURCE = "docs/DOMAIN.md carrier profiles";
const SOURCE = "docs/DOMAIN.md carrier profiles, corrected December 2026";
const APPROXIMATE = "date approximate";

type Technology = "lte" | "umts" | "gsm" | "cdma" | "nr";
type Role = "primary" | "low_band" | "supplementary";

interface RowState {
  role: string;
  fromDate: string | null;
  untilDate: string | null;
  note: string;
}

/** A row the catalogue seed (1764000000003) wrote, as it was and as it is corrected. */
interface KnownRow {
  id: string;
  carrierId: string;
  technology: Technology;
  band: number;
  before: RowState;
  after: RowState;
}

function seeded(n: number): string {
  return `ba9d0000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

function oldNote(note?: string): string {
  return note === undefined ? OLD_SOURCE : `${note} (${OLD_SOURCE})`;
}

function newNote(note?: string): string {
  return note === undefined ? SOURCE : `${note} (${SOURCE})`;
}

function known(
  n: number,
  carrierId: string,
  technology: Technology,
  band: number,
  before: { role: "primary" | "coverage"; from?: string; until?: string; note?: string },
  after: { role: Role; from?: string | null; until?: string | null; note?: string },
): KnownRow {
  const beforeState: RowState = {
    role: before.role,
    fromDate: before.from ?? null,
    untilDate: before.until ?? null,
    note: oldNote(before.note),
  };
  return {
    id: seeded(n),
    carrierId,
    technology,
    band,
    before: beforeState,
    after: {
      role: after.role,
      fromDate: after.from === undefined ? beforeState.fromDate : after.from,
      untilDate: after.until === undefined ? beforeState.untilDate : after.until,
      note: newNote(after.note),
    },
  };
}

const OLD_APPROX = "added later; date approximate";

/** Every seeded row, numbered as the seed numbered them. */
const KNOWN: KnownRow[] = [
  // T-Mobile US
  known(1, TMOBILE, "lte", 4, { role: "primary" }, { role: "primary", note: "1700/2100 MHz" }),
  known(2, TMOBILE, "lte", 2, { role: "coverage" }, { role: "primary", note: "1900 MHz" }),
  known(
    3,
    TMOBILE,
    "lte",
    12,
    { role: "coverage", from: "2013-11-01", until: "2015-01-01", note: "700 MHz" },
    { role: "low_band", note: "700 MHz, before the VoLTE/E911 rule" },
  ),
  known(
    4,
    TMOBILE,
    "lte",
    12,
    {
      role: "coverage",
      from: "2015-01-01",
      note: "700 MHz: only for phones with VoLTE and E911 since 2015",
    },
    { role: "low_band", note: "700 MHz: only for phones with VoLTE and E911 since 2015" },
  ),
  known(
    5,
    TMOBILE,
    "lte",
    66,
    { role: "coverage", from: "2017-01-01", note: OLD_APPROX },
    { role: "primary", note: `1700/2100 MHz, from 2017, ${APPROXIMATE}` },
  ),
  known(
    6,
    TMOBILE,
    "lte",
    71,
    { role: "coverage", from: "2017-08-01", note: `600 MHz, ${OLD_APPROX}` },
    { role: "low_band", note: `600 MHz, from 2017, ${APPROXIMATE}` },
  ),
  known(
    7,
    TMOBILE,
    "umts",
    4,
    { role: "primary", until: "2022-07-01", note: "UMTS retired" },
    { role: "primary", note: "UMTS retired 2022-07-01" },
  ),
  known(
    8,
    TMOBILE,
    "umts",
    2,
    { role: "primary", until: "2022-07-01", note: "UMTS retired" },
    { role: "primary", note: "UMTS retired 2022-07-01" },
  ),
  known(
    9,
    TMOBILE,
    "gsm",
    1900,
    { role: "primary" },
    {
      role: "primary",
      until: "2026-08-03",
      note: "GSM phase-out from 2025-02-09, shut down 2026-08-03",
    },
  ),
  // AT&T
  known(10, ATT, "lte", 17, { role: "primary" }, { role: "low_band", note: "700 MHz" }),
  known(11, ATT, "lte", 12, { role: "primary" }, { role: "low_band", note: "700 MHz" }),
  known(12, ATT, "lte", 2, { role: "coverage" }, { role: "primary", note: "1900 MHz" }),
  known(13, ATT, "lte", 4, { role: "coverage" }, { role: "primary", note: "1700/2100 MHz" }),
  known(
    14,
    ATT,
    "lte",
    5,
    { role: "coverage" },
    { role: "supplementary", from: "2017-01-01", note: `850 MHz, from about 2017, ${APPROXIMATE}` },
  ),
  known(
    15,
    ATT,
    "lte",
    29,
    { role: "coverage" },
    { role: "supplementary", note: "700 MHz downlink-only: never required" },
  ),
  known(
    16,
    ATT,
    "lte",
    30,
    { role: "coverage" },
    {
      role: "supplementary",
      from: "2017-01-01",
      note: `2300 MHz, from about 2017, ${APPROXIMATE}`,
    },
  ),
  known(
    17,
    ATT,
    "lte",
    14,
    { role: "coverage", from: "2018-03-01", note: `FirstNet, ${OLD_APPROX}` },
    { role: "low_band", note: `700 MHz FirstNet, from 2018, ${APPROXIMATE}` },
  ),
  known(
    18,
    ATT,
    "lte",
    66,
    { role: "coverage", from: "2017-06-01", note: OLD_APPROX },
    { role: "primary", note: `1700/2100 MHz, from 2017, ${APPROXIMATE}` },
  ),
  known(
    19,
    ATT,
    "umts",
    5,
    { role: "primary", until: "2022-02-22", note: "UMTS retired" },
    { role: "primary", note: "UMTS 850 retired 2022-02-22" },
  ),
  known(
    20,
    ATT,
    "umts",
    2,
    { role: "primary", until: "2022-02-22", note: "UMTS retired" },
    { role: "primary", note: "UMTS 1900 retired 2022-02-22" },
  ),
  known(
    21,
    ATT,
    "gsm",
    850,
    { role: "primary", until: "2017-01-01", note: "GSM off" },
    { role: "primary", note: "GSM off 2017-01-01" },
  ),
  known(
    22,
    ATT,
    "gsm",
    1900,
    { role: "primary", until: "2017-01-01", note: "GSM off" },
    { role: "primary", note: "GSM off 2017-01-01" },
  ),
  // Verizon
  known(
    23,
    VERIZON,
    "lte",
    13,
    { role: "primary", note: "no B13 means effectively no service" },
    { role: "primary", note: "700 MHz: Verizon's main band and its low band" },
  ),
  known(24, VERIZON, "lte", 4, { role: "coverage" }, { role: "primary", note: "1700/2100 MHz" }),
  known(25, VERIZON, "lte", 2, { role: "coverage" }, { role: "supplementary", note: "1900 MHz" }),
  known(
    26,
    VERIZON,
    "lte",
    5,
    { role: "coverage", from: "2017-01-01", note: OLD_APPROX },
    { role: "supplementary", note: `850 MHz, ${APPROXIMATE}` },
  ),
  known(
    27,
    VERIZON,
    "lte",
    66,
    { role: "coverage", from: "2017-06-01", note: OLD_APPROX },
    { role: "primary", note: `1700/2100 MHz, from 2017, ${APPROXIMATE}` },
  ),
  known(
    28,
    VERIZON,
    "cdma",
    0,
    { role: "primary", until: "2022-12-31", note: "CDMA retired" },
    { role: "primary", note: "CDMA retired 2022-12-31; a GSM phone never used it" },
  ),
  known(
    29,
    VERIZON,
    "cdma",
    1,
    { role: "primary", until: "2022-12-31", note: "CDMA retired" },
    { role: "primary", note: "CDMA retired 2022-12-31; a GSM phone never used it" },
  ),
];

interface NewRow {
  id: string;
  carrierId: string;
  technology: Technology;
  band: number;
  role: Role;
  fromDate: string | null;
  untilDate: string | null;
  note: string;
}

function added(
  n: number,
  carrierId: string,
  technology: Technology,
  band: number,
  role: Role,
  fromDate: string | null,
  untilDate: string | null,
  note: string,
): NewRow {
  return {
    id: `ba9d0000-0000-4000-8000-000000000${String(600 + n)}`,
    carrierId,
    technology,
    band,
    role,
    fromDate,
    untilDate,
    note: newNote(note),
  };
}

const SPRINT_MERGER = "2020-04-01";

/** Rows the corrected table adds: 5G NR, and Sprint's networks on T-Mobile after the merger. */
const ADDED: NewRow[] = [
  added(1, TMOBILE, "nr", 71, "low_band", "2019-12-06", null, "5G 600 MHz"),
  added(2, TMOBILE, "nr", 41, "primary", "2020-01-01", null, `5G 2500 MHz, ${APPROXIMATE}`),
  added(3, TMOBILE, "nr", 25, "primary", "2021-01-01", null, `5G 1900 MHz, ${APPROXIMATE}`),
  added(4, TMOBILE, "cdma", 1, "primary", SPRINT_MERGER, "2022-03-31", "Sprint CDMA 1900, off"),
  added(5, TMOBILE, "cdma", 10, "primary", SPRINT_MERGER, "2022-03-31", "Sprint CDMA 800, off"),
  added(6, TMOBILE, "lte", 25, "supplementary", SPRINT_MERGER, "2022-06-30", "Sprint LTE, off"),
  added(7, TMOBILE, "lte", 26, "supplementary", SPRINT_MERGER, "2022-06-30", "Sprint LTE, off"),
  added(8, TMOBILE, "lte", 41, "supplementary", SPRINT_MERGER, "2022-06-30", "Sprint LTE, off"),
  added(9, ATT, "nr", 5, "low_band", "2019-12-01", null, `5G 850 MHz, ${APPROXIMATE}`),
  added(10, ATT, "nr", 77, "primary", "2022-01-19", null, "5G C-band 3700 MHz"),
  added(11, VERIZON, "nr", 5, "low_band", "2020-10-13", null, "5G 850 MHz (shared with LTE)"),
  added(12, VERIZON, "nr", 66, "primary", "2020-10-13", null, "5G 1700/2100 MHz"),
  added(13, VERIZON, "nr", 77, "primary", "2022-01-19", null, "5G C-band 3700 MHz"),
];

/**
 * The corrected carrier band table (docs/DOMAIN.md, "Network compatibility") on desks that
 * already have the seeded one: band roles become primary / low band / supplementary, 5G NR is a
 * technology, T-Mobile's GSM gets its shutdown date, Sprint's networks appear on T-Mobile with
 * their end dates, AT&T B5/B30 get start dates.
 *
 * Only the rows the seed wrote are corrected (by id, carrier, technology and band); rows an admin
 * added keep their values, with the old `coverage` role read as `low_band`. Verdicts kept on
 * tickets at opening are history and are not touched. On SQLite the CHECK changes rebuild the
 * table (TypeORM copies it), as earlier migrations did for ticket events.
 */
export class CorrectedBandTable1764000000060 implements MigrationInterface {
  name = "CorrectedBandTable1764000000060";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    const p = (i: number, type = "") => (postgres ? `$${i}${type}` : `?${i}`);
    await this.replaceChecks(queryRunner, TECHNOLOGIES_AFTER, [...ROLES_BEFORE, ...ROLES_AFTER]);

    for (const row of KNOWN) {
      await queryRunner.query(
        `UPDATE "carrier_bands" SET "role" = ${p(1)}, "fromDate" = ${p(2)}, "untilDate" = ${p(3)}, ` +
          `"note" = ${p(4)} WHERE "id" = ${p(5)} AND "carrierId" = ${p(6)} AND "technology" = ${p(7)} ` +
          `AND "band" = ${p(8)}`,
        [
          row.after.role,
          row.after.fromDate,
          row.after.untilDate,
          row.after.note,
          row.id,
          row.carrierId,
          row.technology,
          row.band,
        ],
      );
    }
    await queryRunner.query(
      `UPDATE "carrier_bands" SET "role" = 'low_band' WHERE "role" = 'coverage'`,
    );

    for (const row of ADDED) {
      // Only on a carrier the desk still has, and never twice (nor over a row an admin added).
      await queryRunner.query(
        `INSERT INTO "carrier_bands" ("id", "carrierId", "technology", "band", "role", "fromDate", ` +
          `"untilDate", "requiresVolte", "note") ` +
          `SELECT ${p(1, "::varchar")}, "id", ${p(2, "::varchar")}, ${p(3, "::integer")}, ` +
          `${p(4, "::varchar")}, ${p(5, "::date")}, ${p(6, "::date")}, ${postgres ? "false" : "0"}, ` +
          `${p(7, "::varchar")} FROM "carriers" WHERE "id" = ${p(8)} AND NOT EXISTS ` +
          `(SELECT 1 FROM "carrier_bands" WHERE "carrierId" = ${p(8)} ` +
          `AND "technology" = ${p(2)} AND "band" = ${p(3)})`,
        [
          row.id,
          row.technology,
          row.band,
          row.role,
          row.fromDate,
          row.untilDate,
          row.note,
          row.carrierId,
        ],
      );
    }

    await this.replaceChecks(queryRunner, TECHNOLOGIES_AFTER, ROLES_AFTER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    const p = (i: number, type = "") => (postgres ? `$${i}${type}` : `?${i}`);
    await this.replaceChecks(queryRunner, TECHNOLOGIES_AFTER, [...ROLES_BEFORE, ...ROLES_AFTER]);

    const addedIds = ADDED.map((row) => `'${row.id}'`).join(", ");
    await queryRunner.query(`DELETE FROM "carrier_bands" WHERE "id" IN (${addedIds})`);
    for (const row of KNOWN) {
      await queryRunner.query(
        `UPDATE "carrier_bands" SET "role" = ${p(1)}, "fromDate" = ${p(2)}, "untilDate" = ${p(3)}, ` +
          `"note" = ${p(4)} WHERE "id" = ${p(5)} AND "carrierId" = ${p(6)} AND "technology" = ${p(7)} ` +
          `AND "band" = ${p(8)}`,
        [
          row.before.role,
          row.before.fromDate,
          row.before.untilDate,
          row.before.note,
          row.id,
          row.carrierId,
          row.technology,
          row.band,
        ],
      );
    }
    // The old table knew neither 5G nor the split roles: admin-added 5G rows cannot stay.
    await queryRunner.query(`DELETE FROM "carrier_bands" WHERE "technology" = 'nr'`);
    await queryRunner.query(
      `UPDATE "carrier_bands" SET "role" = 'coverage' WHERE "role" IN ('low_band', 'supplementary')`,
    );

    await this.replaceChecks(queryRunner, TECHNOLOGIES_BEFORE, ROLES_BEFORE);
  }

  /** Swaps the technology and role CHECKs in one go (one table rebuild on SQLite). */
  private async replaceChecks(
    queryRunner: QueryRunner,
    technologies: string[],
    roles: string[],
  ): Promise<void> {
    await queryRunner.dropCheckConstraints("carrier_bands", [
      new TableCheck({ name: "CHK_carrier_bands_technology" }),
      new TableCheck({ name: "CHK_carrier_bands_role" }),
    ]);
    await queryRunner.createCheckConstraints("carrier_bands", [
      new TableCheck({
        name: "CHK_carrier_bands_technology",
        expression: oneOf("technology", technologies),
      }),
      new TableCheck({ name: "CHK_carrier_bands_role", expression: oneOf("role", roles) }),
    ]);
  }
}

/**
 * The corrected profiles of the seeded carriers as this migration leaves them (tests pin the
 * verdicts on exactly these rows).
 */
export const CORRECTED_CARRIER_BANDS: readonly {
  carrierId: string;
  technology: Technology;
  band: number;
  role: Role;
  fromDate: string | null;
  untilDate: string | null;
  requiresVolte: boolean;
}[] = [
  ...KNOWN.map((row) => ({
    carrierId: row.carrierId,
    technology: row.technology,
    band: row.band,
    role: row.after.role as Role,
    fromDate: row.after.fromDate,
    untilDate: row.after.untilDate,
    // The seed's only VoLTE rule: T-Mobile B12 since 2015.
    requiresVolte: row.id === seeded(4),
  })),
  ...ADDED.map((row) => ({
    carrierId: row.carrierId,
    technology: row.technology,
    band: row.band,
    role: row.role,
    fromDate: row.fromDate,
    untilDate: row.untilDate,
    requiresVolte: false,
  })),
];
