import { expect } from "chai";
import request from "supertest";
import { ImportBatch } from "../../server/src/modules/batches/import-batch.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { HandsetIdentifier } from "../../server/src/modules/handsets/handset-identifier.entity";
import { luhnCheckDigit } from "../../shared/domain/imei";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import {
  SEEDED_VARIANTS,
  TACS,
  csvOf,
  openPortalTicket,
  pathsOf,
  uploadCsv,
} from "../support/catalog-fixtures";
import { fixedClock, startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const TODAY = "2016-06-01";

/** The n-th IMEI of a made-up serial range on a TAC: distinct and Luhn-valid. */
function imeiAt(tac: string, n: number): string {
  const first14 = `${tac}${String(n).padStart(6, "0")}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

describe("import batches and the distributor CSV import", () => {
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;
  let distributorId: string;

  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) });
    admin = await signedInAs(t, "admin", "Ada Admin");
    agent = await signedInAs(t, "agent", "Gus Agent");
    const res = await admin
      .post("/api/distributors", { name: "Kowloon Mobile Trading", country: "HK" })
      .expect(201);
    distributorId = res.body.distributor.id as string;
  });
  after(async () => {
    await t.stop();
  });

  const em = () => t.server.db.dataSource.manager;

  let batchNumber = 0;
  /** A new batch of MI 4W units from the distributor. */
  async function newBatch(variantId: string | null = SEEDED_VARIANTS.mi4w): Promise<string> {
    batchNumber += 1;
    const res = await admin
      .post("/api/batches", {
        reference: `HK-2016-03-${batchNumber}`,
        distributorId,
        variantId,
        romRegion: "China",
        quantity: 500,
        customsReference: `CUS-${batchNumber}`,
        shippedOn: "2016-03-01",
        receivedOn: "2016-03-09",
      })
      .expect(201);
    return res.body.batch.id as string;
  }

  async function counts(batchId: string) {
    const handsets = await em().getRepository(Handset).countBy({ batchId });
    const identifiers = await em()
      .getRepository(HandsetIdentifier)
      .createQueryBuilder("i")
      .innerJoin(Handset, "h", "h.id = i.handsetId")
      .where("h.batchId = :batchId", { batchId })
      .getCount();
    return { handsets, identifiers };
  }

  describe("distributors and batches", () => {
    it("lets admins add them and agents read them; refuses agents (403) and bad input (400)", async () => {
      await agent.post("/api/distributors", { name: "Sneaky" }).expect(403);
      await agent.post("/api/batches", { reference: "X-1" }).expect(403);
      await request(t.url).get("/api/batches").expect(401);
      const bad = await admin
        .post("/api/batches", {
          reference: "has spaces and ;",
          quantity: -1,
          shippedOn: "2016-03-10",
          receivedOn: "2016-03-01",
          id: "mine",
        })
        .expect(400);
      expect(pathsOf(bad)).to.include.members(["reference", "quantity", "id"]);
      const order = await admin
        .post("/api/batches", {
          reference: "HK-ORDER",
          shippedOn: "2016-03-10",
          receivedOn: "2016-03-01",
        })
        .expect(400);
      expect(pathsOf(order)).to.deep.equal(["receivedOn"]);
      const id = await newBatch();
      const res = await agent.get(`/api/batches/${id}`).expect(200);
      expect(res.body.batch).to.include({ romRegion: "China", quantity: 500, units: 0 });
      expect(res.body.batch.distributor.name).to.equal("Kowloon Mobile Trading");
      expect(res.body.batch.variant).to.include({ model: "MI 4W", name: "3G (MI 4W)" });
      await admin.post("/api/batches", { reference: res.body.batch.reference }).expect(409);
      const list = await agent.get("/api/distributors").expect(200);
      expect(list.body.items.map((d: { name: string }) => d.name)).to.include(
        "Kowloon Mobile Trading",
      );
    });
  });

  describe("POST /api/batches/:id/import", () => {
    it("imports units with one or two IMEIs into the batch: its variant, slots, source", async () => {
      const batchId = await newBatch();
      const [a, b, c] = [imeiAt(TACS.mi4w, 1), imeiAt(TACS.mi4w, 2), imeiAt(TACS.mi4w, 3)];
      const csv = csvOf(
        ["imei1", "imei2", "serial"],
        [
          [a, b, "SN-0001"],
          [c, "", ""],
        ],
        "\r\n",
      );
      const res = await uploadCsv(admin, batchId, `\uFEFF${csv}`).expect(201);
      expect(res.body.report).to.deep.include({
        status: "imported",
        rows: 2,
        imported: { units: 2, identifiers: 4 },
      });
      expect(await counts(batchId)).to.deep.equal({ handsets: 2, identifiers: 4 });
      const slot2 = await em()
        .getRepository(HandsetIdentifier)
        .findOneByOrFail({ kind: "imei", value: b });
      expect(slot2).to.include({ slot: 2, source: "distributor" });
      const handset = await em().getRepository(Handset).findOneByOrFail({ id: slot2.handsetId });
      expect(handset).to.include({
        batchId,
        variantId: SEEDED_VARIANTS.mi4w,
        customerId: null,
        brand: "Xiaomi",
        model: "MI 4W",
      });
      const batch = await agent.get(`/api/batches/${batchId}`).expect(200);
      expect(batch.body.batch.units).to.equal(2);

      // A customer writes in with the unit's second IMEI: the imported handset is theirs now.
      const opened = await openPortalTicket(t, { imei: b });
      expect(opened.handsetId).to.equal(handset.id);
      const detail = await agent.get(`/api/handsets/${handset.id}`).expect(200);
      expect(detail.body.handset.batch).to.deep.equal({
        id: batchId,
        reference: batch.body.batch.reference,
      });
      expect(detail.body.handset.verdict.level).to.equal("legacy_only");
    });

    it("skips duplicates within the file and against the database, and reports them by line", async () => {
      const batchId = await newBatch();
      const known = imeiAt(TACS.mi4w, 1); // imported by the test above
      const [x, y] = [imeiAt(TACS.mi4w, 10), imeiAt(TACS.mi4w, 11)];
      const csv = csvOf(
        ["imei", "imei2"],
        [
          [x, ""],
          [y, x],
          [known, ""],
          [y, ""],
        ],
      );
      const res = await uploadCsv(admin, batchId, csv).expect(201);
      const report = res.body.report;
      // Line 3 repeats x, so the whole unit is skipped; y on line 5 is then its first sighting.
      expect(report.imported).to.deep.equal({ units: 2, identifiers: 2 });
      expect(report.duplicates).to.deep.include({ inFile: 1, inDatabase: 1 });
      expect(report.duplicates.items).to.deep.equal([
        { line: 3, kind: "imei", value: x, firstLine: 2, where: "file" },
        { line: 4, kind: "imei", value: known, firstLine: null, where: "database" },
      ]);
      expect(await counts(batchId)).to.deep.equal({ handsets: 2, identifiers: 2 });
      const again = await uploadCsv(admin, batchId, csv).expect(201);
      expect(again.body.report.imported).to.deep.equal({ units: 0, identifiers: 0 });
      expect(again.body.report.duplicates).to.deep.include({ inFile: 1, inDatabase: 3 });
    });

    it("refuses a file with invalid rows as a whole (400, lines named), leaving nothing behind", async () => {
      const batchId = await newBatch();
      const before = await em().getRepository(HandsetIdentifier).count();
      const csv = csvOf(
        ["imei1"],
        [[imeiAt(TACS.mi4w, 20)], ["490154203237517"], ["12345678901234"], [imeiAt(TACS.mi4w, 21)]],
      );
      const res = await uploadCsv(admin, batchId, csv).expect(400);
      expect(res.body.error.code).to.equal("validation_failed");
      expect(res.body.error.message).to.match(/^2 of 4 rows are invalid; nothing was imported/);
      expect(pathsOf(res)).to.deep.equal(["line 3", "line 4"]);
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });
      expect(await em().getRepository(HandsetIdentifier).count()).to.equal(before);

      const dry = await uploadCsv(admin, batchId, csv, {
        query: "dryRun=true&invalid=skip",
      }).expect(200);
      expect(dry.body.report).to.deep.include({
        status: "dry_run",
        imported: { units: 2, identifiers: 2 },
      });
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });

      const skip = await uploadCsv(admin, batchId, csv, { query: "invalid=skip" }).expect(201);
      expect(skip.body.report.invalid.count).to.equal(2);
      expect(skip.body.report.invalid.items[0]).to.deep.equal({
        line: 3,
        code: "imei_invalid",
        imei: null,
        message: skip.body.report.invalid.items[0].message,
      });
      expect(await counts(batchId)).to.deep.equal({ handsets: 2, identifiers: 2 });
    });

    it("refuses what is not one CSV file: wrong type, JSON, two files, malformed or oversize bodies", async () => {
      const batchId = await newBatch();
      const csv = csvOf(["imei"], [[imeiAt(TACS.mi4w, 30)]]);
      const png = await uploadCsv(admin, batchId, csv, {
        filename: "units.png",
        contentType: "image/png",
      }).expect(400);
      expect(pathsOf(png)).to.deep.equal(["file"]);
      await uploadCsv(admin, batchId, csv, {
        filename: "units.csv",
        contentType: "application/zip",
      }).expect(400);
      await admin.post(`/api/batches/${batchId}/import`, { file: csv }).expect(400);
      await admin.http
        .post(`/api/batches/${batchId}/import`)
        .set("X-CSRF-Token", admin.csrf)
        .attach("file", Buffer.from(csv), { filename: "a.csv", contentType: "text/csv" })
        .attach("file", Buffer.from(csv), { filename: "b.csv", contentType: "text/csv" })
        .expect(400);
      await admin.http
        .post(`/api/batches/${batchId}/import`)
        .set("X-CSRF-Token", admin.csrf)
        .set("Content-Type", "multipart/form-data; boundary=xyz")
        .send(
          '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nimei\r\n',
        )
        .expect(400);
      const big = Buffer.alloc(16 * 1024 * 1024 + 1, 0x31);
      const large = await uploadCsv(admin, batchId, big).expect(413);
      expect(large.body.error.code).to.equal("payload_too_large");
      const binary = await uploadCsv(
        admin,
        batchId,
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]),
      ).expect(400);
      expect(binary.body.error.code).to.equal("validation_failed");
      await uploadCsv(admin, "5f1d7a52-3c1e-4b8e-9a51-0c2b7f3d9e10", csv).expect(404);
      await uploadCsv(agent, batchId, csv).expect(403);
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });
    });

    it("imports 100,000 units (half of them dual-SIM) in one go, well under a minute", async function () {
      this.timeout(120_000);
      const batchId = await newBatch();
      const rows: string[][] = [];
      for (let i = 0; i < 100_000; i++) {
        // TAC 86489502 (MI 4W) serials 100000-199999, the second slot 200000-299998.
        rows.push(
          i % 2 === 0
            ? [imeiAt(TACS.mi4w, 100_000 + i), imeiAt(TACS.mi4w, 200_000 + i)]
            : [imeiAt(TACS.mi4w, 100_000 + i), ""],
        );
      }
      const csv = csvOf(["imei1", "imei2"], rows);
      const started = Date.now();
      const res = await uploadCsv(admin, batchId, csv).expect(201);
      const elapsed = Date.now() - started;
      expect(res.body.report).to.deep.include({
        status: "imported",
        rows: 100_000,
        imported: { units: 100_000, identifiers: 150_000 },
      });
      expect(await counts(batchId)).to.deep.equal({ handsets: 100_000, identifiers: 150_000 });
      expect(
        await em()
          .getRepository(HandsetIdentifier)
          .countBy({ slot: 2, value: imeiAt(TACS.mi4w, 200_000) }),
      ).to.equal(1);
      expect(elapsed, `took ${elapsed} ms`).to.be.below(60_000);
      this.test!.title += ` [${(elapsed / 1000).toFixed(1)} s on ${t.server.db.kind}]`;
    });

    it("leaves nothing behind when an import fails halfway through writing", async () => {
      const batchId = await newBatch();
      const before = {
        handsets: await em().getRepository(Handset).count(),
        identifiers: await em().getRepository(HandsetIdentifier).count(),
      };
      const rows = Array.from({ length: 3000 }, (_, i) => [imeiAt(TACS.mi4w, 300_000 + i)]);
      let written = 0;
      const failure = await t.server.batches
        .importCsv(batchId, csvOf(["imei"], rows), {
          onProgress: (p) => {
            if (p.phase === "writing") {
              written = p.done;
              if (p.done >= 1000) {
                throw new Error("the disk is full");
              }
            }
          },
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).to.be.instanceOf(Error).with.property("message", "the disk is full");
      expect(written).to.equal(1000);
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });
      expect(await em().getRepository(Handset).count()).to.equal(before.handsets);
      expect(await em().getRepository(HandsetIdentifier).count()).to.equal(before.identifiers);
      // The same file then imports whole.
      const report = await t.server.batches.importCsv(batchId, csvOf(["imei"], rows));
      expect(report.imported.units).to.equal(3000);
    });
  });

  describe("the checks of each IMEI against the catalogue and the batch's model", () => {
    /** The handset an imported IMEI landed on, as agents see it. */
    async function handsetOf(imei: string) {
      const identifier = await em()
        .getRepository(HandsetIdentifier)
        .findOneByOrFail({ kind: "imei", value: imei });
      const res = await agent.get(`/api/handsets/${identifier.handsetId}`).expect(200);
      return res.body.handset as {
        variantId: string | null;
        romRegion: string | null;
        brand: string | null;
        model: string | null;
        warrantySource: string;
        warrantyStart: string | null;
        warrantyEnd: string | null;
        doaDeadline: string | null;
        warranty: { status: string; reason: string | null; until: string | null };
      };
    }

    it("reports each bad IMEI by line and code, refuses the file unless skipInvalid=true", async () => {
      const batchId = await newBatch();
      const good = [imeiAt(TACS.mi4w, 40), imeiAt(TACS.mi4w, 41), imeiAt(TACS.mi4w, 42)];
      const unknownTac = imeiAt("35999999", 1);
      const otherModel = imeiAt(TACS.redmiNote3, 40);
      const testRange = imeiAt("04123456", 1);
      const wiped = "000000000000000";
      const otherModelSlot2 = imeiAt(TACS.m2note, 40);
      const csv = csvOf(
        ["imei1", "imei2"],
        [
          [good[0], ""],
          [unknownTac, ""],
          [otherModel, ""],
          [testRange, ""],
          [wiped, ""],
          [good[1], otherModelSlot2],
          [good[2], ""],
        ],
      );
      const before = await em().getRepository(HandsetIdentifier).count();
      const refused = await uploadCsv(admin, batchId, csv).expect(400);
      expect(refused.body.error.message).to.match(/^5 of 7 rows are invalid; nothing was imported/);
      expect(pathsOf(refused)).to.deep.equal(["line 3", "line 4", "line 5", "line 6", "line 7"]);
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });
      expect(await em().getRepository(HandsetIdentifier).count()).to.equal(before);

      const checked = await uploadCsv(admin, batchId, csv, {
        query: "dryRun=true&skipInvalid=true",
      }).expect(200);
      const items = checked.body.report.invalid.items as {
        line: number;
        code: string;
        imei: string | null;
        message: string;
      }[];
      expect(items.map(({ line, code, imei }) => ({ line, code, imei }))).to.deep.equal([
        { line: 3, code: "tac_unknown", imei: unknownTac },
        { line: 4, code: "tac_other_model", imei: otherModel },
        { line: 5, code: "imei_test_range", imei: testRange },
        { line: 6, code: "imei_wiped", imei: wiped },
        { line: 7, code: "tac_other_model", imei: otherModelSlot2 },
      ]);
      expect(items[0].message).to.include("the TAC 35999999 is not in the catalogue");
      expect(items[1].message).to.match(/is a Xiaomi Redmi Note 3, not a Xiaomi MI 4W/);
      expect(items[4].message).to.match(/^imei2 /);
      expect(checked.body.report.invalid.count).to.equal(5);
      expect(await counts(batchId)).to.deep.equal({ handsets: 0, identifiers: 0 });

      const skipped = await uploadCsv(admin, batchId, csv, { query: "skipInvalid=true" }).expect(
        201,
      );
      expect(skipped.body.report).to.deep.include({
        status: "imported",
        imported: { units: 2, identifiers: 2 },
      });
      expect(skipped.body.report.invalid.items).to.deep.equal(items);
      expect(await counts(batchId)).to.deep.equal({ handsets: 2, identifiers: 2 });
      for (const imei of [unknownTac, otherModel, testRange, wiped, good[1]]) {
        expect(await em().getRepository(HandsetIdentifier).countBy({ value: imei }), imei).to.equal(
          0,
        );
      }
      await uploadCsv(admin, batchId, csv, { query: "skipInvalid=maybe" }).expect(400);
    });

    it("takes the variant, ROM region and warranty columns of each line", async () => {
      const batchId = await newBatch(null);
      const [a, b, c, d, e] = [50, 51, 52, 53, 54].map((n) => imeiAt(TACS.redmiNote3, n));
      const csv = csvOf(
        ["imei", "variant", "ROM region", "warranty source", "warranty start", "warranty end"],
        [
          [a, "snapdragon (KENZO)", "Global", "", "2016-05-01", "2017-04-30"],
          [b, SEEDED_VARIANTS.redmiNote3Hennessy, "", "", "", ""],
          [c, "Mi 4W", "", "", "", ""],
          [d, "", "", "none", "", ""],
          [e, "", "", "", "2016-02-30", ""],
        ],
      );
      const refused = await uploadCsv(admin, batchId, csv).expect(400);
      expect(pathsOf(refused)).to.deep.equal(["line 4", "line 6"]);
      const res = await uploadCsv(admin, batchId, csv, { query: "skipInvalid=true" }).expect(201);
      const items = res.body.report.invalid.items as {
        line: number;
        code: string;
        message: string;
      }[];
      expect(items.map(({ line, code }) => ({ line, code }))).to.deep.equal([
        { line: 4, code: "variant_unknown" },
        { line: 6, code: "date_invalid" },
      ]);
      expect(items[0].message).to.equal(
        'variant "Mi 4W" is not a variant of the Xiaomi Redmi Note 3 ' +
          "(its variants: MediaTek (hennessy), Snapdragon (kenzo))",
      );
      expect(res.body.report.warranty).to.deep.equal({ fromFile: 2, fromBatch: 0, pending: 1 });

      const first = await handsetOf(a);
      expect(first).to.deep.include({
        variantId: SEEDED_VARIANTS.redmiNote3Kenzo,
        romRegion: "Global",
        brand: "Xiaomi",
        model: "Redmi Note 3",
        warrantySource: "carrier",
        warrantyStart: "2016-05-01",
        warrantyEnd: "2017-04-30",
      });
      expect(first.warranty).to.deep.include({ status: "covered", until: "2017-04-30" });
      const second = await handsetOf(b);
      // The batch's ROM region when the line gives none; no dates: the decision waits.
      expect(second).to.deep.include({
        variantId: SEEDED_VARIANTS.redmiNote3Hennessy,
        romRegion: "China",
      });
      expect(second.warranty).to.deep.include({ status: "pending", reason: "dates_unknown" });
      const asIs = await handsetOf(d);
      expect(asIs.warranty).to.deep.include({ status: "not_covered", reason: "sold_as_is" });
    });

    it("applies the batch's warranty terms to its units, so they are covered (not pending)", async () => {
      const fromImport = await newBatch();
      await admin
        .patch(`/api/batches/${fromImport}`, { warrantyStartRule: "date" })
        .expect(400)
        .expect((res) => expect(pathsOf(res)).to.deep.equal(["warrantyStartOn"]));
      await admin
        .patch(`/api/batches/${fromImport}`, { warrantyMonths: 0 })
        .expect(400)
        .expect((res) => expect(pathsOf(res)).to.deep.equal(["warrantyMonths"]));
      const patched = await admin
        .patch(`/api/batches/${fromImport}`, {
          warrantyMonths: 12,
          doaDays: 15,
          warrantyStartRule: "import_date",
        })
        .expect(200);
      expect(patched.body.batch).to.deep.include({
        warrantyMonths: 12,
        doaDays: 15,
        warrantyStartRule: "import_date",
        warrantyStartOn: null,
      });
      const x = imeiAt(TACS.mi4w, 60);
      const first = await uploadCsv(admin, fromImport, csvOf(["imei"], [[x]])).expect(201);
      expect(first.body.report.warranty).to.deep.equal({ fromFile: 0, fromBatch: 1, pending: 0 });
      const unit = await handsetOf(x);
      // Imported on 2016-06-01: DOA for 15 days including that one, then 12 months.
      expect(unit).to.deep.include({
        warrantyStart: TODAY,
        doaDeadline: "2016-06-15",
        warrantyEnd: "2017-05-31",
      });
      expect(unit.warranty).to.deep.include({ status: "doa", until: "2016-06-15" });

      const created = await admin
        .post("/api/batches", {
          reference: "HK-2016-TERMS",
          variantId: SEEDED_VARIANTS.mi4w,
          warrantyMonths: 12,
          doaDays: 0,
          warrantyStartRule: "date",
          warrantyStartOn: "2016-03-09",
        })
        .expect(201);
      const y = imeiAt(TACS.mi4w, 61);
      await uploadCsv(admin, created.body.batch.id as string, csvOf(["imei"], [[y]])).expect(201);
      const covered = await handsetOf(y);
      expect(covered).to.deep.include({
        warrantyStart: "2016-03-09",
        warrantyEnd: "2017-03-08",
        doaDeadline: null,
      });
      expect(covered.warranty).to.deep.include({ status: "covered", until: "2017-03-08" });
    });
  });

  describe("batch changes", () => {
    it("gives a new variant to the batch's units that had the old one", async () => {
      const batchId = await newBatch(null);
      await uploadCsv(admin, batchId, csvOf(["imei"], [[imeiAt(TACS.redmiNote3, 700_000)]])).expect(
        201,
      );
      const res = await admin
        .patch(`/api/batches/${batchId}`, { variantId: SEEDED_VARIANTS.redmiNote3Kenzo })
        .expect(200);
      expect(res.body.batch.variant.name).to.equal("Snapdragon (kenzo)");
      const handset = await em().getRepository(Handset).findOneByOrFail({ batchId });
      expect(handset.variantId).to.equal(SEEDED_VARIANTS.redmiNote3Kenzo);
      expect(await em().getRepository(ImportBatch).countBy({ id: batchId })).to.equal(1);
    });
  });
});
