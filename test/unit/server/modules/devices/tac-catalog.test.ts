import { expect } from "chai";
import { existsSync } from "node:fs";
import { join, parse as parsePath } from "node:path";
import { lookupDevice } from "../../../../../server/src/modules/devices/device-lookup";
import {
  TacCatalog,
  defaultTacCsvPath,
} from "../../../../../server/src/modules/devices/tac-catalog";

const HEADER = "tac,brand,model,aka";

function csv(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

describe("server/modules/devices/tac-catalog", () => {
  describe("the bundled data file", () => {
    let sut: TacCatalog;

    before(() => {
      sut = TacCatalog.load(defaultTacCsvPath());
    });

    it("is found by walking up to the greydesk package", () => {
      const path = defaultTacCsvPath();
      expect(path).to.match(/server[\\/]data[\\/]tac-osmocom\.csv$/);
      expect(existsSync(path)).to.equal(true);
    });

    it("names 86927102 as a Xiaomi Redmi Note 3, with its other names", () => {
      expect(sut.lookup("86927102")).to.deep.equal({
        tac: "86927102",
        brand: "Xiaomi",
        model: "Redmi Note 3",
        aka: ["Redmi Note 3 Pro", "Redmi Note 3 Standard Edition", "Redmi Note 3 Premium Edition"],
        source: "osmocom",
      });
    });

    it("gives an empty aka list when the column is empty", () => {
      expect(sut.lookup("86802902")).to.deep.include({ model: "Redmi Note 3", aka: [] });
    });

    it("holds every row of the file", () => {
      expect(sut.size).to.equal(15);
      expect(sut.lookup("86757002")).to.include({ brand: "Meizu", model: "m2 note" });
    });

    it("keeps the licence and attribution", () => {
      expect(sut.attribution).to.contain("CC-BY-SA 3.0");
      expect(sut.attribution).to.contain("Harald Welte");
      expect(sut.attribution).to.contain("tacdb.osmocom.org");
      expect(sut.attribution).not.to.match(/^#/m);
    });

    it("returns undefined for an unknown or malformed TAC", () => {
      expect(sut.lookup("49015420")).to.equal(undefined);
      expect(sut.lookup("8692710")).to.equal(undefined);
      expect(sut.lookup("869271020000011")).to.equal(undefined);
    });
  });

  describe("TacCatalog.fromCsv", () => {
    const sut = (text: string): TacCatalog => TacCatalog.fromCsv(text);

    it("parses comments, blank lines, whitespace and aka lists", () => {
      const catalog = sut(
        csv(
          "# Licence line",
          "#Second line",
          HEADER,
          "",
          " 12345678 , Brand , Model X , A | B ||",
          "87654321,Other,Model #2,",
        ),
      );
      expect(catalog.size).to.equal(2);
      expect(catalog.attribution).to.equal("Licence line\nSecond line");
      expect(catalog.lookup("12345678")).to.deep.include({
        brand: "Brand",
        model: "Model X",
        aka: ["A", "B"],
      });
      expect(catalog.lookup("87654321")).to.deep.include({ model: "Model #2", aka: [] });
    });

    it("accepts Windows line endings", () => {
      const catalog = sut("# Note\r\ntac,brand,model,aka\r\n12345678,Brand,Model,\r\n");
      expect(catalog.size).to.equal(1);
      expect(catalog.attribution).to.equal("Note");
    });

    for (const [label, tac] of [
      ["7 digits", "8692710"],
      ["9 digits", "869271020"],
      ["a letter", "8692710A"],
      ["Arabic-Indic digits", "\u0668\u0666\u0669\u0662\u0667\u0661\u0660\u0662"],
      ["an empty TAC", ""],
    ] as const) {
      it(`rejects a TAC with ${label}, naming the line`, () => {
        const text = csv("# Licence", HEADER, "12345678,Brand,Model,", `${tac},Brand,Model,`);
        expect(() => sut(text)).to.throw(Error, /line 4/);
      });
    }

    it("rejects a row without a model, naming the line", () => {
      expect(() => sut(csv(HEADER, "12345678,Brand,,"))).to.throw(Error, /line 2/);
    });

    it("rejects a TAC listed twice, naming both lines", () => {
      const text = csv(HEADER, "12345678,Brand,Model,", "12345678,Brand,Other,");
      expect(() => sut(text)).to.throw(Error, /line 3.*line 2/);
    });

    it("returns frozen entries so the catalog cannot be changed through a lookup", () => {
      const entry = sut(csv(HEADER, "12345678,Brand,Model,A")).lookup("12345678");
      expect(Object.isFrozen(entry)).to.equal(true);
      expect(Object.isFrozen(entry?.aka)).to.equal(true);
    });
  });

  describe("defaultTacCsvPath", () => {
    it("finds the same file from where tsc puts the compiled module", () => {
      const sourcePath = defaultTacCsvPath();
      const repoRoot = sourcePath.replace(/[\\/]server[\\/]data[\\/]tac-osmocom\.csv$/, "");
      const compiledDir = join(repoRoot, "dist", "server", "src", "modules", "devices");
      expect(defaultTacCsvPath(compiledDir)).to.equal(sourcePath);
    });

    it("throws when no greydesk package lies above the start directory", () => {
      const root = parsePath(process.cwd()).root;
      expect(() => defaultTacCsvPath(root)).to.throw(Error, /not found/);
    });
  });

  describe("lookupDevice", () => {
    const catalog = TacCatalog.fromCsv(
      csv(
        "# test catalog",
        HEADER,
        "86927102,Xiaomi,Redmi Note 3,Redmi Note 3 Pro|Redmi Note 3 Standard Edition",
        "00123456,Test,Test Handset,",
      ),
    );
    const sut = (raw: string) => lookupDevice(raw, catalog);

    it("validates the IMEI and names the model", () => {
      expect(sut("869271020000011")).to.deep.equal({
        valid: true,
        imei: "869271020000011",
        tac: "86927102",
        brand: "Xiaomi",
        model: "Redmi Note 3",
        aka: ["Redmi Note 3 Pro", "Redmi Note 3 Standard Edition"],
        testRange: false,
        wiped: false,
        warnings: [],
        softwareVersion: null,
        reportingBody: "China",
      });
    });

    it("names the model of an invalid input whose TAC is known", () => {
      expect(sut("86927102000001")).to.deep.equal({
        valid: false,
        imei: null,
        reason: "missing_check_digit",
        message:
          "This number has 14 digits but an IMEI has 15: include the last digit, as shown on the box label or under *#06#.",
        tac: "86927102",
        brand: "Xiaomi",
        model: "Redmi Note 3",
        aka: ["Redmi Note 3 Pro", "Redmi Note 3 Standard Edition"],
        testRange: false,
        warnings: [],
        reportingBody: "China",
      });
    });

    it("keeps the TAC of a bad check digit typed with separators", () => {
      const result = sut("86-927102-000001-2");
      expect(result).to.include({ valid: false, reason: "bad_check_digit", tac: "86927102" });
      expect(result.brand).to.equal("Xiaomi");
    });

    it("has no TAC when the input does not start with 8 digits", () => {
      for (const raw of ["<script>", "8692710A0000011", "", "8".repeat(65)]) {
        const result = sut(raw);
        expect(result, raw).to.include({ valid: false, tac: null, testRange: false });
        expect(result.reportingBody, raw).to.equal(null);
        expect(result, raw).not.to.have.property("brand");
      }
    });

    it("accepts a valid IMEI whose TAC is unknown, without a model", () => {
      const result = sut("490154203237518");
      expect(result).to.include({ valid: true, imei: "490154203237518", tac: "49015420" });
      expect(result).not.to.have.any.keys("brand", "model", "aka");
      expect(result.reportingBody).to.equal(null);
    });

    it("flags a test-range IMEI and still names a catalogued test handset", () => {
      expect(sut("001234567890128")).to.deep.include({
        valid: true,
        tac: "00123456",
        testRange: true,
        warnings: ["test_range"],
        reportingBody: "test range",
        brand: "Test",
      });
    });

    it("reports an IMEISV's software version apart from the IMEI", () => {
      expect(sut("8692710200000142")).to.deep.include({
        valid: true,
        imei: "869271020000011",
        softwareVersion: "42",
        warnings: ["converted_from_imeisv"],
        model: "Redmi Note 3",
      });
    });

    it("returns a copy of aka, leaving the catalog untouched", () => {
      const first = sut("869271020000011");
      first.aka?.push("changed");
      expect(sut("869271020000011").aka).to.have.length(2);
    });
  });
});
