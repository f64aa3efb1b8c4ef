import { expect } from "chai";
import { DataSource } from "typeorm";
import { migrations } from "../../server/src/db/migrations";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import {
  SEEDED_CARRIERS,
  SEEDED_VARIANTS,
  TACS,
  imeiOn,
  openPortalTicket,
} from "../support/catalog-fixtures";
import type { OpenedTicket } from "../support/catalog-fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/databases";
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const TODAY = "2026-12-07";
const BEFORE_CORRECTION = "TicketContact1764000000041";

/**
 * The verdict the release before the correction stored on a ticket opened on 2026-12-01 for a
 * Mi 4 3G on T-Mobile: "3G/2G only", because its table gave T-Mobile's GSM no end date. It is
 * kept byte for byte: the verdict at opening is history.
 */
const OLD_VERDICT_AT_OPEN = {
  date: "2026-12-01",
  carrier: { id: SEEDED_CARRIERS.tmobile, code: "tmobile_us", name: "T-Mobile US" },
  legacy: [{ technology: "gsm", band: 1900, until: null }],
  certification: null,
  source: { bands: "spec sheet (docs/DOMAIN.md variants)", confidence: "medium" },
  level: "legacy_only",
  reasons: [
    { code: "no_lte", message: "no LTE" },
    { code: "legacy_path", message: "3G/2G on GSM 1900" },
  ],
  lte: {
    carrier: [2, 4, 12, 66, 71],
    primary: [4],
    usable: [],
    missing: [2, 4, 12, 66, 71],
    needsVolte: [],
  },
  voice: "legacy",
  summary: "3G/2G only on T-Mobile US (GSM 1900): no LTE.",
  variant: { id: SEEDED_VARIANTS.mi4w, name: "3G (MI 4W)", brand: "Xiaomi", model: "MI 4W" },
};

type BandRow = {
  id: string;
  carrierId: string;
  technology: string;
  band: number;
  role: string;
  fromDate: string | null;
  untilDate: string | null;
  requiresVolte: boolean | number;
  note: string | null;
};

/** The band rows as plain, comparable values (dates as days, booleans as booleans). */
async function bandRows(ds: DataSource): Promise<BandRow[]> {
  const rows = await ds.query<BandRow[]>(
    `SELECT "id", "carrierId", "technology", "band", "role", "fromDate", "untilDate", ` +
      `"requiresVolte", "note" FROM "carrier_bands" ORDER BY "id"`,
  );
  const day = (value: unknown): string | null =>
    value === null
      ? null
      : value instanceof Date
        ? value.toISOString().slice(0, 10)
        : typeof value === "string"
          ? value.slice(0, 10)
          : null;
  return rows.map((row) => ({
    ...row,
    band: Number(row.band),
    fromDate: day(row.fromDate),
    untilDate: day(row.untilDate),
    requiresVolte: row.requiresVolte === true || row.requiresVolte === 1,
  }));
}

describe(`migration 1764000000060-CorrectedBandTable on an existing desk (${testDatabaseKind()})`, () => {
  let t: TestServer;
  let agent: SignedIn;
  let oldTicket: OpenedTicket;
  let newTicket: OpenedTicket;
  let newTicketVerdict: unknown;
  let downRows: BandRow[];
  const ds = () => t.server.db.dataSource;
  const p = (i: number) => (testDatabaseKind() === "postgres" ? `$${i}` : "?");

  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) });
    agent = await signedInAs(t, "agent", "Gus Agent");
    // Two tickets on a Mi 4 3G (its TAC names the variant): one the old release opened...
    oldTicket = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
    newTicket = await openPortalTicket(t, { imei: imeiOn(TACS.mi4w) });
    newTicketVerdict = (await agent.get(`/api/tickets/${newTicket.id}/network`).expect(200)).body
      .atOpen;

    // ...back to the desk as it was before the correction (every later migration undone)...
    while (true) {
      const ran = await ds().query<{ name: string }[]>(
        `SELECT "name" FROM "migrations" ORDER BY "timestamp" DESC LIMIT 1`,
      );
      if (ran[0].name === BEFORE_CORRECTION) {
        break;
      }
      await ds().undoLastMigration({ transaction: "each" });
    }
    downRows = await bandRows(ds());
    await ds().query(`UPDATE "tickets" SET "verdictAtOpen" = ${p(1)} WHERE "id" = ${p(2)}`, [
      JSON.stringify(OLD_VERDICT_AT_OPEN),
      oldTicket.id,
    ]);
    // An admin's own row, in the old vocabulary.
    await ds().query(
      `INSERT INTO "carrier_bands" ("id", "carrierId", "technology", "band", "role", "fromDate", ` +
        `"untilDate", "requiresVolte", "note") VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p).join(", ")})`,
      [
        "ad000000-0000-4000-8000-000000000046",
        SEEDED_CARRIERS.att,
        "lte",
        46,
        "coverage",
        "2019-01-01",
        null,
        testDatabaseKind() === "postgres" ? false : 0,
        "LAA, added by our admin",
      ],
    );
  });
  after(async () => {
    await t.stop();
  });

  it("down restores the table exactly as the seed wrote it", async () => {
    const fresh = await createTestDatabase();
    const upTo = migrations.findIndex((m) => m.name === "CorrectedBandTable1764000000060");
    const seeded = new DataSource(
      fresh.config.type === "sqlite"
        ? { type: "sqlite", database: fresh.config.path, migrations: migrations.slice(0, upTo) }
        : { type: "postgres", url: fresh.config.url, migrations: migrations.slice(0, upTo) },
    );
    try {
      await seeded.initialize();
      await seeded.runMigrations({ transaction: "each" });
      expect(downRows).to.deep.equal(await bandRows(seeded));
    } finally {
      await seeded.destroy();
      await fresh.drop();
    }
    const gsm = downRows.find((r) => r.technology === "gsm" && r.band === 1900)!;
    expect(gsm.untilDate).to.equal(null);
    expect(downRows.some((r) => r.technology === "nr")).to.equal(false);
  });

  describe("after running the rest", () => {
    let storedBefore: string;
    before(async () => {
      storedBefore = (
        await ds().query<{ verdictAtOpen: string }[]>(
          `SELECT "verdictAtOpen" FROM "tickets" WHERE "id" = ${p(1)}`,
          [oldTicket.id],
        )
      )[0].verdictAtOpen;
      await ds().runMigrations({ transaction: "each" });
    });

    it("corrects the seeded rows and adds 5G and Sprint, leaving an admin's row its values", async () => {
      const rows = await bandRows(ds());
      const find = (carrierId: string, technology: string, band: number) =>
        rows.filter(
          (r) => r.carrierId === carrierId && r.technology === technology && r.band === band,
        );
      expect(find(SEEDED_CARRIERS.tmobile, "gsm", 1900)[0].untilDate).to.equal("2026-08-03");
      expect(find(SEEDED_CARRIERS.tmobile, "lte", 2)[0].role).to.equal("primary");
      expect(find(SEEDED_CARRIERS.tmobile, "lte", 12).map((r) => r.role)).to.deep.equal([
        "low_band",
        "low_band",
      ]);
      expect(find(SEEDED_CARRIERS.att, "lte", 29)[0].role).to.equal("supplementary");
      expect(find(SEEDED_CARRIERS.att, "lte", 30)[0].fromDate).to.equal("2017-01-01");
      expect(find(SEEDED_CARRIERS.att, "lte", 12)[0].role).to.equal("low_band");
      expect(find(SEEDED_CARRIERS.tmobile, "cdma", 1)[0]).to.include({
        fromDate: "2020-04-01",
        untilDate: "2022-03-31",
      });
      expect(find(SEEDED_CARRIERS.tmobile, "lte", 41)[0].untilDate).to.equal("2022-06-30");
      expect(
        rows.filter((r) => r.technology === "nr").map((r) => `${r.carrierId.slice(-1)}:n${r.band}`),
      ).to.have.members(["1:n71", "1:n41", "1:n25", "2:n5", "2:n77", "3:n5", "3:n66", "3:n77"]);
      expect(find(SEEDED_CARRIERS.att, "lte", 46)).to.deep.equal([
        {
          id: "ad000000-0000-4000-8000-000000000046",
          carrierId: SEEDED_CARRIERS.att,
          technology: "lte",
          band: 46,
          role: "low_band",
          fromDate: "2019-01-01",
          untilDate: null,
          requiresVolte: false,
          note: "LAA, added by our admin",
        },
      ]);
      expect(rows.some((r) => r.role === "coverage")).to.equal(false);
    });

    it("refuses the old role now (the CHECK follows the new vocabulary)", async () => {
      const error = await ds()
        .query(`UPDATE "carrier_bands" SET "role" = 'coverage' WHERE "id" = ${p(1)}`, [
          "ad000000-0000-4000-8000-000000000046",
        ])
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(Error);
    });

    it("changes the live verdicts: a Mi 4 3G has no service on T-Mobile since 2026-08-03", async () => {
      const res = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.mi4w}/verdicts`)
        .query({ carrierId: SEEDED_CARRIERS.tmobile })
        .expect(200);
      const verdict = res.body.items[0];
      expect(verdict.level).to.equal("none");
      expect(verdict.reasons.map((r: { message: string }) => r.message)).to.include(
        "2G/3G retired on 2026-08-03: no calls, no 911 without LTE",
      );
      const kenzo = await agent
        .get(`/api/catalog/variants/${SEEDED_VARIANTS.redmiNote3Kenzo}/verdicts`)
        .query({ carrierId: SEEDED_CARRIERS.tmobile })
        .expect(200);
      expect(kenzo.body.items[0].level).to.equal("partial");
      expect(kenzo.body.items[0].reasons).to.deep.include({
        code: "missing_low_band",
        message: "no LTE B12 or B71 (600/700 MHz): weak signal indoors and outside towns",
      });
      expect(kenzo.body.items[0].nr).to.deep.equal({
        carrier: [25, 41, 71],
        usable: [],
        missing: [25, 41, 71],
        known: true,
      });
    });

    it("keeps the verdicts at opening as they were; the ticket shows now against then", async () => {
      const old = await agent.get(`/api/tickets/${oldTicket.id}/network`).expect(200);
      expect(old.body.atOpen).to.deep.equal(OLD_VERDICT_AT_OPEN);
      expect(old.body.now.level).to.equal("none");
      expect(old.body.changed).to.equal(true);
      const after = (
        await ds().query<{ verdictAtOpen: string }[]>(
          `SELECT "verdictAtOpen" FROM "tickets" WHERE "id" = ${p(1)}`,
          [oldTicket.id],
        )
      )[0].verdictAtOpen;
      expect(after).to.equal(storedBefore);

      const recent = await agent.get(`/api/tickets/${newTicket.id}/network`).expect(200);
      expect(recent.body.atOpen).to.deep.equal(newTicketVerdict);
      expect(recent.body.atOpen.level).to.equal("none");
    });
  });
});
