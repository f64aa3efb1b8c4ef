import { expect } from "chai";
import {
  IMEI_INVALID_REASONS,
  IMEI_WARNINGS,
  IMEI_WARNING_MESSAGES,
  isTestRangeTac,
  luhnCheckDigit,
  maskImei,
  normaliseImeiInput,
  parseImei,
  reportingBody,
} from "../../../../shared/domain/imei";
import type { ImeiInvalidReason, ImeiResult, ImeiValid } from "../../../../shared/domain/imei";

function expectValid(result: ImeiResult): ImeiValid {
  if (result.valid) {
    return result;
  }
  throw new Error(`expected a valid IMEI, got ${result.reason}`);
}

function expectInvalid(result: ImeiResult, reason: ImeiInvalidReason): void {
  expect(result).to.include({ valid: false, reason });
}

describe("shared/domain/imei", () => {
  describe("parseImei: the vectors of docs/DOMAIN.md", () => {
    const sut = parseImei;

    for (const [input, imei] of [
      ["490154203237518", "490154203237518"],
      ["35-209900-176148-1", "352099001761481"],
      ["260531793113837", "260531793113837"],
      ["869271020000011", "869271020000011"],
      ["861735030000060", "861735030000060"],
    ] as const) {
      it(`accepts ${input} as ${imei}`, () => {
        const result = expectValid(sut(input));
        expect(result).to.deep.equal({
          valid: true,
          imei,
          tac: imei.slice(0, 8),
          softwareVersion: null,
          testRange: false,
          wiped: false,
          warnings: [],
        });
      });
    }

    it("rejects 490154203237517 (wrong check digit)", () => {
      expectInvalid(sut("490154203237517"), "bad_check_digit");
    });

    it("rejects 490155203237518 (one-digit typo)", () => {
      expectInvalid(sut("490155203237518"), "bad_check_digit");
    });

    it("rejects 49015420323751A (not digits)", () => {
      expectInvalid(sut("49015420323751A"), "not_digits");
    });

    it("explains a bad check digit in plain words", () => {
      expect(sut("490154203237517")).to.deep.equal({
        valid: false,
        reason: "bad_check_digit",
        message: "The last digit does not match: check the number for a typo.",
      });
    });
  });

  describe("parseImei: lengths", () => {
    const sut = parseImei;

    it("rejects 14 digits with a hint to include the last digit, never guessing it", () => {
      const result = sut("49015420323751");
      expectInvalid(result, "missing_check_digit");
      expect(result).not.to.have.property("imei");
      if (!result.valid) {
        expect(result.message).to.match(/include the last digit/);
        expect(result.message).not.to.contain("8");
      }
    });

    it("rejects 14 digits typed with separators the same way", () => {
      expectInvalid(sut("35 209900 176148"), "missing_check_digit");
    });

    it("converts a 16-digit IMEISV: first 14 digits + recomputed check digit, version kept apart", () => {
      const result = expectValid(sut("4901542032375107"));
      expect(result).to.deep.equal({
        valid: true,
        imei: "490154203237518",
        tac: "49015420",
        softwareVersion: "07",
        testRange: false,
        wiped: false,
        warnings: ["converted_from_imeisv"],
      });
    });

    it("treats any 16 digits as an IMEISV (there is no check digit to verify)", () => {
      const result = expectValid(sut("1234567890123456"));
      expect(result.imei).to.equal("123456789012347");
      expect(result.softwareVersion).to.equal("56");
      expect(result.warnings).to.deep.equal(["converted_from_imeisv"]);
    });

    it("converts an IMEISV typed with separators", () => {
      const result = expectValid(sut("35-209900-176148-23"));
      expect(result.imei).to.equal("352099001761481");
      expect(result.softwareVersion).to.equal("23");
    });

    for (const input of ["1", "4901542", "4901542032375", "49015420323751800", "1".repeat(64)]) {
      it(`rejects ${input.length} digits as wrong_length`, () => {
        expectInvalid(sut(input), "wrong_length");
      });
    }

    it("rejects input over 64 characters as wrong_length before looking at it", () => {
      expectInvalid(sut("4".repeat(65)), "wrong_length");
      expectInvalid(sut("x".repeat(100_000)), "wrong_length");
      expectInvalid(sut(" ".repeat(65)), "wrong_length");
    });

    it("accepts exactly 64 characters when the separators leave a valid IMEI", () => {
      const padded = `490154203237518${" ".repeat(49)}`;
      expect(padded).to.have.length(64);
      expect(expectValid(sut(padded)).imei).to.equal("490154203237518");
    });

    for (const input of ["", " ", "- . /", "   ---   "]) {
      it(`rejects ${JSON.stringify(input)} as empty`, () => {
        expectInvalid(sut(input), "empty");
      });
    }
  });

  describe("parseImei: test ranges", () => {
    const sut = parseImei;

    for (const imei of [
      "001234567890128",
      "021234567890124",
      "031234567890122",
      "041234567890120",
      "051234567890127",
      "061234567890125",
      "071234567890123",
      "081234567890121",
      "091234567890129",
    ]) {
      it(`accepts ${imei} with a test_range warning`, () => {
        const result = expectValid(sut(imei));
        expect(result.testRange).to.equal(true);
        expect(result.warnings).to.deep.equal(["test_range"]);
      });
    }

    for (const imei of ["011234567890126", "351234567890124", "869271020000011"]) {
      it(`does not flag ${imei.slice(0, 2)} as a test range`, () => {
        const result = expectValid(sut(imei));
        expect(result.testRange).to.equal(false);
        expect(result.warnings).to.deep.equal([]);
      });
    }

    it("still rejects a test-range number with a bad check digit", () => {
      expectInvalid(sut("001234567890127"), "bad_check_digit");
    });

    it("warns twice for an IMEISV in a test range", () => {
      const result = expectValid(sut("0012345678901298"));
      expect(result.imei).to.equal("001234567890128");
      expect(result.warnings).to.have.members(["test_range", "converted_from_imeisv"]);
    });
  });

  describe("parseImei: the T-I corpus (docs/SECURITY.md)", () => {
    const sut = parseImei;

    for (const input of [
      "' OR 1=1--",
      "<script>",
      "<script>alert(1)</script>",
      '{"$gt":""}',
      "1e15",
      "+123456789012345",
      "490154203237518\n",
      "\t490154203237518",
      "490154203237518\u0000",
      "490154203237518\u00a0",
      // Other digits mixed with a letter are letters first.
      "\u0664\u0669\u0660\u0661\u0665\u0664\u0662\u0660\u0663\u0662\u0663\u0667\u0665\u0661x",
      "4901542032375l8",
      "0x1A2B3C4D5E6F7",
    ]) {
      it(`rejects ${JSON.stringify(input)} as not_digits`, () => {
        expectInvalid(sut(input), "not_digits");
      });
    }

    for (const [script, input] of [
      [
        "Arabic-Indic",
        "\u0664\u0669\u0660\u0661\u0665\u0664\u0662\u0660\u0663\u0662\u0663\u0667\u0665\u0661\u0668",
      ],
      [
        "Extended Arabic-Indic",
        "\u06f4\u06f9\u06f0\u06f1\u06f5\u06f4\u06f2\u06f0\u06f3\u06f2\u06f3\u06f7\u06f5\u06f1\u06f8",
      ],
      [
        "full-width",
        "\uff14\uff19\uff10\uff11\uff15\uff14\uff12\uff10\uff13\uff12\uff13\uff17\uff15\uff11\uff18",
      ],
      [
        "Devanagari",
        "\u096a\u096f\u0966\u0967\u096b\u096a\u0968\u0966\u0969\u0968\u0969\u096d\u096b\u0967\u096e",
      ],
      ["mixed with ASCII digits", "4901542032375\u0661\u0668"],
      [
        "with separators",
        "\u0664\u0669 \u0660\u0661-\u0665\u0664\u0662\u0660\u0663\u0662\u0663\u0667\u0665\u0661\u0668",
      ],
    ]) {
      it(`refuses ${script} digits with their own message: use the digits 0-9`, () => {
        const result = sut(input);
        expectInvalid(result, "non_ascii_digits");
        if (!result.valid) {
          expect(result.message).to.match(/^Use the digits 0-9: /);
          expect(result.message).to.not.include("letters or symbols");
        }
      });
    }

    it("preserves leading zeros (the IMEI is a string)", () => {
      const result = expectValid(sut("001234567890128"));
      expect(result.imei).to.equal("001234567890128");
      expect(result.tac).to.equal("00123456");
    });

    it("preserves an all-zero IMEI, which passes Luhn", () => {
      expect(expectValid(sut("000000000000000")).imei).to.equal("000000000000000");
    });

    it("gives an all-zero IMEI its own result: wiped, not a test phone", () => {
      const result = expectValid(sut("000000000000000"));
      expect(result.wiped).to.equal(true);
      expect(result.warnings).to.deep.equal(["wiped"]);
      expect(IMEI_WARNING_MESSAGES.wiped).to.equal(
        "IMEI wiped or reset: the network may refuse the phone; check the box label for the real IMEI.",
      );
    });

    it("also reads any all-zero TAC, and the MediaTek reset placeholder, as wiped", () => {
      // 00000000 + serial 123456 + its check digit.
      const zeroTac = `00000000123456${luhnCheckDigit("00000000123456")}`;
      expect(expectValid(sut(zeroTac)).wiped).to.equal(true);
      expect(expectValid(sut("004999010640000")).warnings).to.deep.equal(["wiped"]);
      // An IMEISV of a wiped phone: wiped, and converted.
      expect(expectValid(sut("0000000000000012")).warnings).to.deep.equal([
        "wiped",
        "converted_from_imeisv",
      ]);
      // A test-range TAC that is not all zero stays a test range.
      expect(expectValid(sut("001234567890128")).wiped).to.equal(false);
      expect(expectValid(sut("490154203237518")).wiped).to.equal(false);
    });

    it("refuses an IMEISV with software version 99 (reserved), with a reason", () => {
      const result = sut("4901542032375199");
      expectInvalid(result, "reserved_software_version");
      if (!result.valid) {
        expect(result.message).to.include("99");
        expect(result.message).to.include("*#06#");
      }
      expect(expectValid(sut("4901542032375198")).softwareVersion).to.equal("98");
      expect(expectValid(sut("4901542032375100")).softwareVersion).to.equal("00");
    });

    it("never echoes the input in a message", () => {
      for (const input of ["<script>", "' OR 1=1--", "49015420323751", "490154203237517", "12"]) {
        const result = sut(input);
        expect(result.valid).to.equal(false);
        if (!result.valid) {
          expect(result.message).not.to.contain(input);
        }
      }
    });

    it("gives every reason a plain-English message", () => {
      const seen = new Map<ImeiInvalidReason, string>();
      for (const input of [
        "",
        "abc",
        "49015420323751",
        "12",
        "490154203237517",
        "\uff14\uff19\uff10",
        "4901542032375199",
      ]) {
        const result = sut(input);
        if (!result.valid) {
          seen.set(result.reason, result.message);
        }
      }
      expect([...seen.keys()]).to.have.members([...IMEI_INVALID_REASONS]);
      for (const message of seen.values()) {
        expect(message).to.match(/^[A-Z][^<>{}]+\.$/);
      }
    });
  });

  describe("parseImei: single-digit errors", () => {
    const sut = parseImei;

    for (const imei of [
      "490154203237518",
      "352099001761481",
      "260531793113837",
      "861735030000060",
    ]) {
      it(`rejects every single-digit change of ${imei}`, () => {
        let checked = 0;
        for (let position = 0; position < imei.length; position += 1) {
          for (let digit = 0; digit <= 9; digit += 1) {
            if (String(digit) === imei[position]) {
              continue;
            }
            const typo = `${imei.slice(0, position)}${digit}${imei.slice(position + 1)}`;
            expectInvalid(sut(typo), "bad_check_digit");
            checked += 1;
          }
        }
        expect(checked).to.equal(15 * 9);
      });
    }
  });

  describe("normaliseImeiInput", () => {
    const sut = normaliseImeiInput;

    it("removes spaces, hyphens, dots and slashes", () => {
      expect(sut(" 35-209900.176148/1 ")).to.equal("352099001761481");
    });

    it("keeps a valid IMEI however its separators are placed", () => {
      expect(parseImei("-4901/5420.3237 518-").valid).to.equal(true);
    });

    it("removes nothing else", () => {
      expect(sut("+1e5\t\n_A\u00a0")).to.equal("+1e5\t\n_A\u00a0");
    });
  });

  describe("luhnCheckDigit", () => {
    const sut = luhnCheckDigit;

    it("computes the check digits of the docs/DOMAIN.md vectors", () => {
      expect(sut("49015420323751")).to.equal(8);
      expect(sut("35209900176148")).to.equal(1);
      expect(sut("26053179311383")).to.equal(7);
      expect(sut("86927102000001")).to.equal(1);
      expect(sut("86173503000006")).to.equal(0);
    });

    for (const input of ["", "4901542032375", "490154203237518", "4901542032375A", "1e13"]) {
      it(`throws for ${JSON.stringify(input)}`, () => {
        expect(() => sut(input)).to.throw(RangeError);
      });
    }
  });

  describe("isTestRangeTac", () => {
    const sut = isTestRangeTac;

    it("is true for reporting bodies 00 and 02 to 09", () => {
      for (const body of ["00", "02", "03", "04", "05", "06", "07", "08", "09"]) {
        expect(sut(`${body}123456`), body).to.equal(true);
      }
    });

    it("is false for 01, 35, 86 and other bodies", () => {
      for (const body of ["01", "10", "35", "49", "86", "99"]) {
        expect(sut(`${body}123456`), body).to.equal(false);
      }
    });
  });

  describe("reportingBody", () => {
    const sut = reportingBody;

    it("names the reporting bodies of docs/DOMAIN.md", () => {
      expect(sut("01123456")).to.equal("US (PTCRB)");
      expect(sut("35209900")).to.equal("UK");
      expect(sut("86927102")).to.equal("China");
    });

    it("says test range for 00 and 02-09", () => {
      expect(sut("00123456")).to.equal("test range");
      expect(sut("09123456")).to.equal("test range");
    });

    it("returns null for anything else", () => {
      expect(sut("49015420")).to.equal(null);
      expect(sut("99000000")).to.equal(null);
      expect(sut("")).to.equal(null);
    });
  });

  describe("maskImei", () => {
    const sut = maskImei;

    it("keeps the TAC and the last 2 digits", () => {
      expect(sut("869271020000011")).to.equal("86927102******11");
      expect(sut("001234567890128")).to.equal("00123456******28");
    });

    it("masks anything that is not 15 digits completely", () => {
      expect(sut("4901542032375180")).to.equal("***************");
      expect(sut("<script>")).to.equal("***************");
      expect(sut("")).to.equal("***************");
    });
  });

  describe("exported lists", () => {
    it("lists the reasons and warnings of the wire contract", () => {
      expect(IMEI_INVALID_REASONS).to.deep.equal([
        "empty",
        "not_digits",
        "missing_check_digit",
        "wrong_length",
        "bad_check_digit",
        "non_ascii_digits",
        "reserved_software_version",
      ]);
      expect(IMEI_WARNINGS).to.deep.equal(["test_range", "converted_from_imeisv", "wiped"]);
    });
  });
});
