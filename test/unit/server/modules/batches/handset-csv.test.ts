import { expect } from "chai";
import {
  CsvFileError,
  parseHandsetCsv,
  withoutKnown,
} from "../../../../../server/src/modules/batches/handset-csv";

// Valid IMEIs (docs/DOMAIN.md's vectors and Redmi Note 3 TACs with made-up serials).
const A = "490154203237518";
const B = "352099001761481";
const C = "869271020000011";
const D = "861735030000060";
const E = "260531793113837";

const NO_EXTRAS = {
  variant: null,
  romRegion: null,
  warrantySource: null,
  warrantyStart: null,
  warrantyEnd: null,
  doaDeadline: null,
};

describe("server/modules/batches/handset-csv", () => {
  describe("parseHandsetCsv", () => {
    const sut = parseHandsetCsv;

    it("reads one or two IMEIs per unit, slot 1 and 2, with line numbers", () => {
      const parsed = sut(`imei1,imei2,serial\n${A},${B},SN-1\n${C},,\n`);
      expect(parsed.rows).to.equal(2);
      expect(parsed.invalid).to.deep.equal([]);
      expect(parsed.duplicates).to.deep.equal([]);
      expect(parsed.units).to.deep.equal([
        {
          line: 2,
          imeis: [
            { value: A, slot: 1, softwareVersion: null },
            { value: B, slot: 2, softwareVersion: null },
          ],
          serial: "SN-1",
          ...NO_EXTRAS,
        },
        {
          line: 3,
          imeis: [{ value: C, slot: 1, softwareVersion: null }],
          serial: null,
          ...NO_EXTRAS,
        },
      ]);
    });

    it("reads the optional variant, ROM region and warranty columns, and checks them", () => {
      const parsed = sut(
        "IMEI,Variant,ROM,Warranty Source,Warranty Start,Warranty End,DOA deadline\n" +
          `${A},kenzo,Global,carrier,2016-05-01,2017-04-30,2016-05-15\n` +
          `${B},,,NONE,,,\n` +
          `${C},,,lifetime,2016-02-30,,\n` +
          `${D},,,,2016-05-01,2016-04-30,2016-04-01\n`,
      );
      expect(parsed.units.map((unit) => ({ ...unit, imeis: undefined }))).to.deep.equal([
        {
          line: 2,
          imeis: undefined,
          serial: null,
          variant: "kenzo",
          romRegion: "Global",
          warrantySource: "carrier",
          warrantyStart: "2016-05-01",
          warrantyEnd: "2017-04-30",
          doaDeadline: "2016-05-15",
        },
        { line: 3, imeis: undefined, serial: null, ...NO_EXTRAS, warrantySource: "none" },
      ]);
      expect(parsed.invalid.map(({ line, code }) => ({ line, code }))).to.deep.equal([
        { line: 4, code: "warranty_source_invalid" },
        { line: 4, code: "date_invalid" },
        { line: 5, code: "warranty_dates" },
        { line: 5, code: "warranty_dates" },
      ]);
    });

    it("handles a UTF-8 BOM, CRLF line ends, quoted fields and IMEIs typed with dashes", () => {
      const text =
        `\uFEFF"IMEI 1";ignored\r\n`.replace(";", ",") +
        `"35-209900-176148-1","a, quoted ""note"""\r\n` +
        `${A},x\r\n`;
      const parsed = sut(Buffer.from(text, "utf8"));
      expect(parsed.invalid).to.deep.equal([]);
      expect(parsed.units.map((u) => [u.line, u.imeis[0].value])).to.deep.equal([
        [2, B],
        [3, A],
      ]);
    });

    it("takes common header spellings and ignores other columns", () => {
      for (const header of ["imei", "IMEI1", "imei_1", "IMEI-Slot1", " imei "]) {
        const parsed = sut(`model,${header},colour\nRedmi,${A},grey\n`);
        expect(parsed.units, header).to.have.length(1);
      }
      const two = sut(`IMEI SIM1,IMEI SIM2,Serial No\n${A},${B},X1\n`);
      expect(two.units[0].imeis.map((i) => i.slot)).to.deep.equal([1, 2]);
      expect(two.units[0].serial).to.equal("X1");
    });

    it("reports bad rows with their line and reason, and keeps the good ones", () => {
      const parsed = sut(
        [
          "imei1,imei2,serial",
          `${A},,`,
          "490154203237517,,",
          `,${B},`,
          `${C},${C},`,
          `${D},12345678901234,`,
          `${E},,bad serial!`,
          "",
          `${B},,`,
        ].join("\n"),
      );
      expect(parsed.units.map((u) => u.line)).to.deep.equal([2, 9]);
      expect(parsed.invalid.map((i) => i.line)).to.deep.equal([3, 4, 5, 6, 7]);
      expect(parsed.invalid[0].message).to.match(/^imei1: The last digit does not match/);
      expect(parsed.invalid[1].message).to.equal("imei1 is missing");
      expect(parsed.invalid[2].message).to.equal("imei2 repeats imei1");
      expect(parsed.invalid[3].message).to.match(/^imei2: .*14 digits/i);
      expect(parsed.invalid[4].message).to.match(/^serial/);
    });

    it("reports a broken quote as invalid with its line (it swallows what follows)", () => {
      const parsed = sut(`imei\n${A}\n"${B}"x\n${C}\n`);
      expect(parsed.units.map((u) => u.imeis[0].value)).to.deep.equal([A]);
      expect(parsed.invalid.map((i) => i.line)).to.deep.equal([3, 4]);
      expect(parsed.invalid[0].message).to.match(/^cannot be read: Invalid Closing Quote/);
      expect(parsed.invalid[1].message).to.match(/^cannot be read: Quote Not Closed/);
    });

    it("finds IMEIs repeated within the file, in either slot, naming the first line", () => {
      const parsed = sut(
        ["imei1,imei2", `${A},${B}`, `${C},`, `${B},`, `${D},${A}`, `${C},${E}`].join("\n"),
      );
      expect(parsed.units.map((u) => u.line)).to.deep.equal([2, 3]);
      expect(parsed.duplicates).to.deep.equal([
        { line: 4, kind: "imei", value: B, firstLine: 2, where: "file" },
        { line: 5, kind: "imei", value: A, firstLine: 2, where: "file" },
        { line: 6, kind: "imei", value: C, firstLine: 3, where: "file" },
      ]);
    });

    it("finds repeated serial numbers too", () => {
      const parsed = sut(["imei,serial", `${A},S1`, `${B},S1`].join("\n"));
      expect(parsed.duplicates).to.deep.equal([
        { line: 3, kind: "serial", value: "S1", firstLine: 2, where: "file" },
      ]);
    });

    it("refuses a file it cannot read as a distributor CSV", () => {
      const refuses = (input: string | Buffer, message: RegExp) => {
        expect(() => sut(input)).to.throw(CsvFileError, message);
      };
      refuses("", /empty/);
      refuses("model,colour\nRedmi,grey\n", /No IMEI column/);
      refuses(Buffer.from([0xff, 0xfe, 0x41, 0x00]), /not UTF-8|NUL/);
      refuses(`imei\n${A}\u0000\n`, /NUL/);
    });
  });

  describe("withoutKnown (duplicates against the database)", () => {
    it("skips units with an identifier already on record, naming it", () => {
      const parsed = parseHandsetCsv(
        ["imei1,imei2,serial", `${A},${B},`, `${C},,S9`, `${D},,`].join("\n"),
      );
      const known = new Set([`imei:${B}`, "serial:S9"]);
      const { fresh, duplicates } = withoutKnown(parsed.units, known);
      expect(fresh.map((u) => u.line)).to.deep.equal([4]);
      expect(duplicates).to.deep.equal([
        { line: 2, kind: "imei", value: B, firstLine: null, where: "database" },
        { line: 3, kind: "serial", value: "S9", firstLine: null, where: "database" },
      ]);
    });
  });
});
