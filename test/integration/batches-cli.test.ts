import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import type { DatabaseConfig } from "../../server/src/config/config";
import { systemClock } from "../../server/src/clock";
import { Database } from "../../server/src/db/database";
import { BatchesService } from "../../server/src/modules/batches/batches.service";
import { DeviceVariant } from "../../server/src/modules/catalog/device-variant.entity";
import { TacEntry } from "../../server/src/modules/catalog/tac-entry.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { luhnCheckDigit } from "../../shared/domain/imei";
import { SEEDED_VARIANTS, TACS, csvOf } from "../support/catalog-fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/databases";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

function imeiAt(tac: string, n: number): string {
  const first14 = `${tac}${String(n).padStart(6, "0")}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

/** The DATABASE_URL form of a test database. */
function urlOf(config: DatabaseConfig): string {
  return config.type === "sqlite" ? `sqlite:${config.path}` : config.url;
}

describe(`npm run import:handsets (the CLI, ${testDatabaseKind()})`, function () {
  this.timeout(60_000);
  let dir: string;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let batchId: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-cli-"));
    const test = await createTestDatabase();
    drop = () => test.drop();
    // The CLI is another process: SQLite needs a file both can open.
    config =
      test.config.type === "sqlite"
        ? { type: "sqlite", path: path.join(dir, "desk.sqlite") }
        : test.config;
    const db = new Database(config);
    await db.open();
    try {
      const batch = await new BatchesService(db, systemClock()).create({
        reference: "HK-CLI-1",
        variantId: SEEDED_VARIANTS.mi4w,
      });
      batchId = batch.id;
      // The server brings the bundled TACs into the catalogue at start; this desk never ran one.
      await db.transaction(async (em) => {
        const variant = await em
          .getRepository(DeviceVariant)
          .findOneByOrFail({ id: SEEDED_VARIANTS.mi4w });
        const now = new Date();
        await em.getRepository(TacEntry).upsert(
          {
            tac: TACS.mi4w,
            modelId: variant.modelId,
            variantId: null,
            source: "distributor_sheet",
            createdAt: now,
            updatedAt: now,
          },
          ["tac"],
        );
      });
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI as `npm run import:handsets -- ...args` would, from the TypeScript source. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "server/src/cli/import-handsets.ts", ...args],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? "", DATABASE_URL: urlOf(config), LOG_LEVEL: "silent" },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function unitsInBatch(): Promise<number> {
    const db = new Database(config);
    await db.open();
    try {
      return await db.read((em) => em.getRepository(Handset).countBy({ batchId }));
    } finally {
      await db.close();
    }
  }

  function file(name: string, text: string): string {
    const full = path.join(dir, name);
    writeFileSync(full, text);
    return full;
  }

  it("refuses a file with invalid rows whole: exit 1, lines listed, nothing written", async () => {
    const csv = file(
      "bad.csv",
      csvOf(
        ["imei1", "imei2"],
        [
          [imeiAt(TACS.mi4w, 1), ""],
          ["490154203237517", ""],
        ],
      ),
    );
    const result = await cli(csv, "--batch", "HK-CLI-1");
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include("Refused: nothing was imported into batch HK-CLI-1.");
    expect(result.stdout).to.match(/line 3: \[imei_invalid\] imei1: The last digit does not match/);
    expect(await unitsInBatch()).to.equal(0);
  });

  it("runs the API's catalogue checks: refused with the lines, --skip-invalid imports the rest", async () => {
    const unknown = imeiAt("35999999", 7);
    const csv = file(
      "checks.csv",
      csvOf(
        ["imei"],
        [[imeiAt(TACS.mi4w, 5000)], [unknown], ["000000000000000"], [imeiAt("04123456", 7)]],
      ),
    );
    const refused = await cli(csv, "--batch", "HK-CLI-1");
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.include("Invalid rows: 3.");
    expect(refused.stdout).to.include(
      `line 3: [tac_unknown] imei1 ${unknown}: the TAC 35999999 is not in the catalogue`,
    );
    expect(refused.stdout).to.include("line 4: [imei_wiped] imei1 is all zeros");
    expect(refused.stdout).to.match(/line 5: \[imei_test_range\] imei1 04123456/);
    expect(refused.stdout).to.include("run again with --skip-invalid");
    expect(await unitsInBatch()).to.equal(0);

    const skipped = await cli(csv, "--batch", "HK-CLI-1", "--skip-invalid");
    expect(skipped.code, skipped.stderr).to.equal(0);
    expect(skipped.stdout).to.match(/^Imported 1 units \(1 identifiers\)/m);
    expect(skipped.stdout).to.include(
      "Warranty: 0 from the file's columns, 0 from the batch's terms, 1 pending",
    );
    expect(skipped.stdout).to.include("line 3: [tac_unknown]");
    expect(await unitsInBatch()).to.equal(1);
  });

  it("imports a file, prints a summary with the duplicates, and exits 0", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [
      imeiAt(TACS.mi4w, 10_000 + i),
      i % 2 === 0 ? imeiAt(TACS.mi4w, 20_000 + i) : "",
    ]);
    rows.push([imeiAt(TACS.mi4w, 10_000), ""]);
    const csv = file("units.csv", csvOf(["imei1", "imei2"], rows, "\r\n"));
    const result = await cli(csv, "--batch", "HK-CLI-1");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(
      /^Imported 1,000 units \(1,500 identifiers\) into batch HK-CLI-1 in \d+\.\d s\.$/m,
    );
    expect(result.stdout).to.include(
      "Duplicates skipped: 1 units (1 within the file, 0 already on record).",
    );
    expect(result.stdout).to.include(`line 1002: IMEI ${imeiAt(TACS.mi4w, 10_000)} repeats line 2`);
    // Not a terminal: no progress bar on stderr.
    expect(result.stderr).to.equal("");
    expect(await unitsInBatch()).to.equal(1001);

    const again = await cli(csv, "--batch", "HK-CLI-1", "--dry-run");
    expect(again.code).to.equal(0);
    expect(again.stdout).to.include("Dry run: would import 0 units");
    expect(again.stdout).to.include("(1 within the file, 1,000 already on record)");
  });

  it("explains a missing batch (exit 1) and bad usage (exit 64)", async () => {
    const csv = file("one.csv", csvOf(["imei"], [[imeiAt(TACS.mi4w, 99)]]));
    const missing = await cli(csv, "--batch", "NOPE");
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include("There is no batch NOPE");
    const usage = await cli(csv);
    expect(usage.code).to.equal(64);
    expect(usage.stderr).to.include("usage: npm run import:handsets");
    const unreadable = await cli(path.join(dir, "absent.csv"), "--batch", "HK-CLI-1");
    expect(unreadable.code).to.equal(1);
    expect(unreadable.stderr).to.match(/^Cannot read/);
  });
});
