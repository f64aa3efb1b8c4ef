import { expect } from "chai";
import { VOID_REASONS } from "../../../../shared/domain/enums";
import type { VoidReason } from "../../../../shared/domain/enums";
import {
  VOID_REASON_LABELS,
  WARRANTY_REASONS,
  WARRANTY_STATUSES,
  decideWarranty,
  formatLongDate,
  isIsoDate,
  todayIn,
} from "../../../../shared/domain/warranty";
import type { WarrantyTerms } from "../../../../shared/domain/warranty";

/** A carrier warranty bought 12 March 2016: DOA for two weeks, covered for a year. */
const carrierTerms: WarrantyTerms = Object.freeze({
  warrantySource: "carrier",
  warrantyStart: "2016-03-12",
  doaDeadline: "2016-03-26",
  warrantyEnd: "2017-03-12",
  voidReason: null,
});

function buildTerms(overrides: Partial<WarrantyTerms> = {}): WarrantyTerms {
  return Object.freeze({ ...carrierTerms, ...overrides });
}

describe("shared/domain/warranty", () => {
  describe("decideWarranty", () => {
    const sut = decideWarranty;

    describe("source none", () => {
      it("is not covered, sold as-is", () => {
        const terms = buildTerms({
          warrantySource: "none",
          warrantyStart: null,
          warrantyEnd: null,
          doaDeadline: null,
        });
        expect(sut(terms, "2016-03-20")).to.deep.equal({
          status: "not_covered",
          source: "none",
          reason: "sold_as_is",
          voidReason: null,
          until: null,
          summary: "No warranty: sold as-is",
        });
      });

      it("beats everything else recorded: dates, DOA window and void reason", () => {
        const terms = buildTerms({ warrantySource: "none", voidReason: "liquid_damage" });
        for (const today of ["2016-03-01", "2016-03-20", "2016-06-01", "2018-01-01"]) {
          const decision = sut(terms, today);
          expect(decision.status, today).to.equal("not_covered");
          expect(decision.reason, today).to.equal("sold_as_is");
          expect(decision.voidReason, today).to.equal(null);
          expect(decision.until, today).to.equal(null);
        }
      });
    });

    describe("voided", () => {
      it("is not covered, with the void reason in plain words", () => {
        expect(sut(buildTerms({ voidReason: "liquid_damage" }), "2016-06-01")).to.deep.equal({
          status: "not_covered",
          source: "carrier",
          reason: "voided",
          voidReason: "liquid_damage",
          until: null,
          summary: "Not covered: water damage",
        });
      });

      it("beats the DOA window, on its first and last day too", () => {
        for (const today of ["2016-03-12", "2016-03-20", "2016-03-26"]) {
          const decision = sut(buildTerms({ voidReason: "physical_damage" }), today);
          expect(decision.status, today).to.equal("not_covered");
          expect(decision.reason, today).to.equal("voided");
        }
      });

      it("applies before the warranty starts and after it ends", () => {
        for (const today of ["2016-01-01", "2018-01-01"]) {
          expect(sut(buildTerms({ voidReason: "counterfeit" }), today).reason).to.equal("voided");
        }
      });

      const summaries: Record<VoidReason, string> = {
        physical_damage: "Not covered: physical damage",
        liquid_damage: "Not covered: water damage",
        tampering: "Not covered: tampering",
        unofficial_rom: "Not covered: unofficial software (ROM)",
        bootloader_unlocked: "Not covered: unlocked bootloader",
        imei_mismatch: "Not covered: IMEI on the device differs from our record",
        counterfeit: "Not covered: counterfeit device",
        no_proof_of_purchase: "Not covered: no proof of purchase",
      };
      for (const voidReason of VOID_REASONS) {
        it(`says "${summaries[voidReason]}" for ${voidReason}`, () => {
          const decision = sut(buildTerms({ voidReason }), "2016-06-01");
          expect(decision.summary).to.equal(summaries[voidReason]);
          expect(decision.voidReason).to.equal(voidReason);
        });
      }
    });

    describe("DOA window (deadline 26 March 2016, inclusive)", () => {
      it("is DOA the day before the deadline", () => {
        expect(sut(carrierTerms, "2016-03-25")).to.deep.equal({
          status: "doa",
          source: "carrier",
          reason: null,
          voidReason: null,
          until: "2016-03-26",
          summary: "Dead on arrival: eligible for replacement until 26 March 2016",
        });
      });

      it("is DOA on the deadline", () => {
        expect(sut(carrierTerms, "2016-03-26")).to.include({ status: "doa", until: "2016-03-26" });
      });

      it("is covered the day after the deadline", () => {
        expect(sut(carrierTerms, "2016-03-27")).to.include({
          status: "covered",
          until: "2017-03-12",
        });
      });

      it("matches the wording of the spec", () => {
        const terms = buildTerms({ doaDeadline: "2017-03-14", warrantyEnd: "2018-03-01" });
        expect(sut(terms, "2017-03-01").summary).to.equal(
          "Dead on arrival: eligible for replacement until 14 March 2017",
        );
      });

      it("comes before a warranty start that is still ahead", () => {
        const terms = buildTerms({ warrantyStart: "2016-04-01" });
        expect(sut(terms, "2016-03-20").status).to.equal("doa");
      });

      it("needs no warranty end", () => {
        const terms = buildTerms({ warrantyEnd: null, warrantyStart: null });
        expect(sut(terms, "2016-03-26").status).to.equal("doa");
        expect(sut(terms, "2016-03-27")).to.include({
          status: "pending",
          reason: "dates_unknown",
        });
      });
    });

    describe("warranty start (12 March 2016, no DOA window)", () => {
      const terms = buildTerms({ doaDeadline: null });

      it("is pending, not started, the day before", () => {
        expect(sut(terms, "2016-03-11")).to.deep.equal({
          status: "pending",
          source: "carrier",
          reason: "not_started",
          voidReason: null,
          until: null,
          summary: "Pending: the carrier's warranty starts on 12 March 2016",
        });
      });

      it("is covered on the day", () => {
        expect(sut(terms, "2016-03-12")).to.include({ status: "covered", reason: null });
      });

      it("is covered the day after", () => {
        expect(sut(terms, "2016-03-13")).to.include({ status: "covered", reason: null });
      });

      it("is pending after an expired DOA deadline if the warranty has not started", () => {
        const late = buildTerms({ doaDeadline: "2016-03-05", warrantyStart: "2016-03-12" });
        expect(sut(late, "2016-03-06").reason).to.equal("not_started");
      });
    });

    describe("warranty end (12 March 2017, inclusive)", () => {
      it("is covered the day before", () => {
        expect(sut(carrierTerms, "2017-03-11")).to.deep.equal({
          status: "covered",
          source: "carrier",
          reason: null,
          voidReason: null,
          until: "2017-03-12",
          summary: "Covered by the carrier's warranty until 12 March 2017",
        });
      });

      it("is covered on the day", () => {
        expect(sut(carrierTerms, "2017-03-12")).to.include({
          status: "covered",
          until: "2017-03-12",
        });
      });

      it("is not covered, expired, the day after", () => {
        expect(sut(carrierTerms, "2017-03-13")).to.deep.equal({
          status: "not_covered",
          source: "carrier",
          reason: "expired",
          voidReason: null,
          until: null,
          summary: "Not covered: the carrier's warranty ended on 12 March 2017",
        });
      });

      it("compares across a year boundary", () => {
        const terms = buildTerms({ warrantyEnd: "2016-12-31" });
        expect(sut(terms, "2016-12-31").status).to.equal("covered");
        expect(sut(terms, "2017-01-01").reason).to.equal("expired");
      });

      it("covers from the first day when no start is recorded", () => {
        const terms = buildTerms({ warrantyStart: null, doaDeadline: null });
        expect(sut(terms, "2000-01-01").status).to.equal("covered");
      });
    });

    describe("dates unknown", () => {
      it("is pending when a carrier warranty has no dates", () => {
        const terms = buildTerms({ warrantyStart: null, warrantyEnd: null, doaDeadline: null });
        expect(sut(terms, "2016-06-01")).to.deep.equal({
          status: "pending",
          source: "carrier",
          reason: "dates_unknown",
          voidReason: null,
          until: null,
          summary: "Pending: the warranty dates are not recorded yet",
        });
      });

      it("is pending when only the start is recorded and it has passed", () => {
        const terms = buildTerms({ warrantyEnd: null, doaDeadline: null });
        expect(sut(terms, "2016-06-01").reason).to.equal("dates_unknown");
      });
    });

    describe("bad dates", () => {
      it("throws for a malformed today", () => {
        for (const today of ["", "2016-3-1", "2016-02-30", "2016-03-01T00:00:00Z"]) {
          expect(() => sut(carrierTerms, today), today).to.throw(RangeError, /today/);
        }
      });

      it("throws for a malformed recorded date, naming it", () => {
        expect(() => sut(buildTerms({ warrantyEnd: "2017-02-29" }), "2016-06-01")).to.throw(
          RangeError,
          /warrantyEnd/,
        );
        expect(() => sut(buildTerms({ doaDeadline: "26/03/2016" }), "2016-06-01")).to.throw(
          RangeError,
          /doaDeadline/,
        );
      });
    });

    it("only ever returns statuses and reasons from the exported lists", () => {
      const todays = ["2016-03-01", "2016-03-12", "2016-03-26", "2016-03-27", "2017-03-13"];
      const variants: WarrantyTerms[] = [
        carrierTerms,
        buildTerms({ warrantySource: "none" }),
        buildTerms({ voidReason: "tampering" }),
        buildTerms({ warrantyEnd: null }),
      ];
      for (const terms of variants) {
        for (const today of todays) {
          const decision = sut(terms, today);
          expect(WARRANTY_STATUSES).to.include(decision.status);
          if (decision.reason !== null) {
            expect(WARRANTY_REASONS).to.include(decision.reason);
          }
        }
      }
    });
  });

  describe("VOID_REASON_LABELS", () => {
    it("labels every void reason", () => {
      expect(Object.keys(VOID_REASON_LABELS)).to.have.members([...VOID_REASONS]);
      expect(VOID_REASON_LABELS.liquid_damage).to.equal("water damage");
    });
  });

  describe("formatLongDate", () => {
    const sut = formatLongDate;

    it("writes day, English month name and year", () => {
      expect(sut("2017-03-12")).to.equal("12 March 2017");
      expect(sut("2016-02-29")).to.equal("29 February 2016");
      expect(sut("2000-12-31")).to.equal("31 December 2000");
    });

    it("drops the leading zero of the day", () => {
      expect(sut("2017-01-01")).to.equal("1 January 2017");
      expect(sut("2017-09-09")).to.equal("9 September 2017");
    });

    it("throws for anything but a real YYYY-MM-DD date", () => {
      for (const input of ["2017-3-12", "2023-02-30", "12 March 2017", ""]) {
        expect(() => sut(input), input).to.throw(RangeError);
      }
    });
  });

  describe("isIsoDate", () => {
    const sut = isIsoDate;

    it("accepts real calendar dates", () => {
      for (const input of ["2017-03-12", "2024-02-29", "2000-02-29", "1999-12-31", "2023-04-30"]) {
        expect(sut(input), input).to.equal(true);
      }
    });

    it("rejects dates that do not exist", () => {
      for (const input of [
        "2023-02-29",
        "1900-02-29",
        "2023-02-30",
        "2023-04-31",
        "2023-13-01",
        "2023-00-10",
        "2023-01-00",
        "2023-01-32",
      ]) {
        expect(sut(input), input).to.equal(false);
      }
    });

    it("rejects other shapes", () => {
      for (const input of [
        "",
        "2023-1-01",
        "20230101",
        "2023/01/01",
        " 2023-01-01",
        "2023-01-01 ",
        "2023-01-01T00:00:00Z",
        "\u0662\u0660\u0662\u0663-\u0660\u0661-\u0660\u0661",
      ]) {
        expect(sut(input), JSON.stringify(input)).to.equal(false);
      }
    });
  });

  describe("todayIn", () => {
    const sut = todayIn;

    it("gives the local date, not the UTC date", () => {
      const now = new Date("2026-03-08T07:30:00Z");
      expect(sut("America/Los_Angeles", now)).to.equal("2026-03-07");
      expect(sut("Asia/Tokyo", now)).to.equal("2026-03-08");
      expect(sut("UTC", now)).to.equal("2026-03-08");
    });

    it("turns the day at local midnight in Los Angeles, across the DST change", () => {
      const zone = "America/Los_Angeles";
      expect(sut(zone, new Date("2026-03-08T07:59:59.999Z"))).to.equal("2026-03-07");
      expect(sut(zone, new Date("2026-03-08T08:00:00Z"))).to.equal("2026-03-08");
      // Daylight saving started at 02:00 on 8 March, so the next midnight is at 07:00Z.
      expect(sut(zone, new Date("2026-03-09T06:59:59Z"))).to.equal("2026-03-08");
      expect(sut(zone, new Date("2026-03-09T07:00:00Z"))).to.equal("2026-03-09");
    });

    it("turns the day at local midnight in Hong Kong", () => {
      const zone = "Asia/Hong_Kong";
      expect(sut(zone, new Date("2016-02-29T15:59:59Z"))).to.equal("2016-02-29");
      expect(sut(zone, new Date("2016-02-29T16:00:00Z"))).to.equal("2016-03-01");
    });

    it("turns the day at local midnight in a half-hour zone", () => {
      expect(sut("Asia/Kolkata", new Date("2026-03-07T18:29:59Z"))).to.equal("2026-03-07");
      expect(sut("Asia/Kolkata", new Date("2026-03-07T18:30:00Z"))).to.equal("2026-03-08");
    });

    it("returns a date decideWarranty accepts", () => {
      const today = sut("Pacific/Kiritimati", new Date("2025-12-31T10:00:00Z"));
      expect(today).to.equal("2026-01-01");
      expect(isIsoDate(today)).to.equal(true);
    });

    it("throws for an unknown time zone", () => {
      expect(() => sut("Mars/Olympus_Mons", new Date())).to.throw(RangeError);
    });
  });
});
