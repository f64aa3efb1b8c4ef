import { expect } from "chai";
import { GSM_QUAD_BAND } from "../../../../shared/domain/bands";
import {
  VERDICT_LEVELS,
  VERDICT_REASON_CODES,
  decideVerdict,
  isLiveOn,
} from "../../../../shared/domain/verdict";
import type {
  CarrierBand,
  Verdict,
  VerdictCarrier,
  VerdictCertification,
  VerdictVariant,
} from "../../../../shared/domain/verdict";

/** Band rows as the seed migration stores them (docs/DOMAIN.md, "Carrier band profiles"). */
function row(
  technology: CarrierBand["technology"],
  band: number,
  extra: Partial<CarrierBand> = {},
): CarrierBand {
  return {
    technology,
    band,
    role: "coverage",
    from: null,
    until: null,
    requiresVolte: false,
    ...extra,
  };
}

const TMOBILE: VerdictCarrier = Object.freeze({
  id: "t",
  code: "tmobile_us",
  name: "T-Mobile US",
  bands: [
    row("lte", 4, { role: "primary" }),
    row("lte", 2),
    row("lte", 12, { from: "2013-11-01", until: "2015-01-01" }),
    row("lte", 12, { from: "2015-01-01", requiresVolte: true }),
    row("lte", 66, { from: "2017-01-01" }),
    row("lte", 71, { from: "2017-08-01" }),
    row("umts", 4, { role: "primary", until: "2022-07-01" }),
    row("umts", 2, { role: "primary", until: "2022-07-01" }),
    row("gsm", 1900, { role: "primary" }),
  ],
});

const ATT: VerdictCarrier = Object.freeze({
  id: "a",
  code: "att_us",
  name: "AT&T",
  bands: [
    row("lte", 17, { role: "primary" }),
    row("lte", 12, { role: "primary" }),
    row("lte", 2),
    row("lte", 4),
    row("lte", 5),
    row("lte", 29),
    row("lte", 30),
    row("lte", 14, { from: "2018-03-01" }),
    row("lte", 66, { from: "2017-06-01" }),
    row("umts", 5, { role: "primary", until: "2022-02-22" }),
    row("umts", 2, { role: "primary", until: "2022-02-22" }),
    row("gsm", 850, { role: "primary", until: "2017-01-01" }),
    row("gsm", 1900, { role: "primary", until: "2017-01-01" }),
  ],
});

const VERIZON: VerdictCarrier = Object.freeze({
  id: "v",
  code: "verizon_us",
  name: "Verizon",
  bands: [
    row("lte", 13, { role: "primary" }),
    row("lte", 4),
    row("lte", 2),
    row("lte", 5, { from: "2017-01-01" }),
    row("lte", 66, { from: "2017-06-01" }),
    row("cdma", 0, { role: "primary", until: "2022-12-31" }),
    row("cdma", 1, { role: "primary", until: "2022-12-31" }),
  ],
});

function variant(overrides: Partial<VerdictVariant> = {}): VerdictVariant {
  return Object.freeze({
    lte: null,
    umts: null,
    gsm: null,
    cdma: null,
    volteCapable: "unknown",
    bandSource: "spec sheet",
    bandConfidence: "medium",
    ...overrides,
  });
}

// The seeded variants (docs/DOMAIN.md, "Variants and their bands").
const MI5_CHINA = variant({
  lte: [1, 3, 7, 38, 39, 40, 41],
  umts: [1, 2, 5, 8],
  gsm: GSM_QUAD_BAND,
});
const KENZO_SPEC_SHEET = variant({
  lte: [1, 2, 3, 4, 5, 7, 8, 38, 39, 40, 41],
  // HSDPA 850/900/1700/1900/2100
  umts: [1, 2, 4, 5, 8],
});
const KENZO_OTHER_LISTING = variant({
  lte: [1, 3, 5, 7, 8, 38, 39, 40, 41],
  // HSDPA 850/900/1900/2100
  umts: [1, 2, 5, 8],
});
const MI4_3G = variant({ lte: [], umts: [1, 2, 5, 8], gsm: GSM_QUAD_BAND, volteCapable: "no" });
const MEIZU_MX5 = variant({ bandSource: null, bandConfidence: null });

/** A US phone with all of T-Mobile's 2016 bands, VoLTE-capable. */
const TMOBILE_READY = variant({
  lte: [2, 4, 12],
  umts: [2, 4],
  gsm: GSM_QUAD_BAND,
  volteCapable: "yes",
});

const WHITELISTED: VerdictCertification = Object.freeze({
  status: "certified",
  volte: "whitelisted",
  wifiCalling: "whitelisted",
  reference: "TMO-2016-0042",
  date: "2016-02-01",
});
const NOT_WHITELISTED: VerdictCertification = Object.freeze({
  ...WHITELISTED,
  status: "in_testing",
  volte: "capable_not_whitelisted",
});

const messages = (verdict: Verdict) => verdict.reasons.map((r) => r.message);
const codes = (verdict: Verdict) => verdict.reasons.map((r) => r.code);

describe("shared/domain/verdict", () => {
  const sut = decideVerdict;

  describe("examples on T-Mobile US in 2016", () => {
    const date = "2016-06-01";

    it("Xiaomi Mi 5 (China) is legacy only: no LTE band of T-Mobile, 3G/2G live", () => {
      const verdict = sut(MI5_CHINA, TMOBILE, null, date);
      expect(verdict.level).to.equal("legacy_only");
      expect(verdict.lte.usable).to.deep.equal([]);
      expect(verdict.lte.missing).to.deep.equal([2, 4, 12]);
      expect(messages(verdict)).to.include.members([
        "missing LTE B2",
        "missing LTE B4",
        "missing LTE B12",
        "no LTE on a primary band (B4)",
        "3G/2G on UMTS B2 (1900) until 2022-07-01, GSM 1900",
      ]);
      expect(verdict.voice).to.equal("legacy");
      expect(verdict.legacy).to.deep.equal([
        { technology: "umts", band: 2, until: "2022-07-01" },
        { technology: "gsm", band: 1900, until: null },
      ]);
    });

    it("Redmi Note 3 (kenzo), one spec sheet, is partial: missing B12", () => {
      const verdict = sut(KENZO_SPEC_SHEET, TMOBILE, null, date);
      expect(verdict.level).to.equal("partial");
      expect(verdict.lte.usable).to.deep.equal([2, 4]);
      expect(verdict.lte.missing).to.deep.equal([12]);
      expect(messages(verdict)[0]).to.equal("missing LTE B12");
      expect(verdict.voice).to.equal("legacy");
      expect(verdict.summary).to.equal("Partial on T-Mobile US: LTE on B4, but missing LTE B12.");
    });

    it("Redmi Note 3 (kenzo), another listing, is legacy only", () => {
      const verdict = sut(KENZO_OTHER_LISTING, TMOBILE, null, date);
      expect(verdict.level).to.equal("legacy_only");
      expect(verdict.legacy).to.deep.equal([{ technology: "umts", band: 2, until: "2022-07-01" }]);
    });

    it("Mi 4 3G (MI 4W) is legacy only: it has no LTE at all", () => {
      const verdict = sut(MI4_3G, TMOBILE, null, date);
      expect(verdict.level).to.equal("legacy_only");
      expect(codes(verdict)).to.include("no_lte");
      expect(messages(verdict)).to.include("no LTE");
    });

    it("Meizu MX5 and m2 note are unknown until the distributor's sheet fills them", () => {
      const verdict = sut(MEIZU_MX5, TMOBILE, null, date);
      expect(verdict.level).to.equal("unknown");
      expect(verdict.voice).to.equal("unknown");
      expect(verdict.reasons).to.deep.equal([
        { code: "no_band_data", message: "no band data for this variant" },
      ]);
    });
  });

  describe("the B12 rule (VoLTE and E911 since 2015)", () => {
    it("holds B12 back from a phone not whitelisted for VoLTE: partial, with the reason", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, NOT_WHITELISTED, "2016-06-01");
      expect(verdict.level).to.equal("partial");
      expect(verdict.lte.needsVolte).to.deep.equal([12]);
      expect(verdict.lte.usable).to.deep.equal([2, 4]);
      expect(messages(verdict)).to.include("B12 present but needs VoLTE/E911 certification");
    });

    it("counts no certification at all as not whitelisted", () => {
      expect(sut(TMOBILE_READY, TMOBILE, null, "2016-06-01").lte.needsVolte).to.deep.equal([12]);
    });

    it("gives a whitelisted phone B12 and voice over LTE: full", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, WHITELISTED, "2016-06-01");
      expect(verdict.level).to.equal("full");
      expect(verdict.voice).to.equal("volte");
      expect(verdict.lte.usable).to.deep.equal([2, 4, 12]);
      expect(verdict.certification).to.deep.equal(WHITELISTED);
    });

    it("did not apply before 2015: the same phone was full on 3G voice in 2014", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, null, "2014-12-31");
      expect(verdict.level).to.equal("full");
      expect(verdict.voice).to.equal("legacy");
      expect(sut(TMOBILE_READY, TMOBILE, null, "2015-01-01").level).to.equal("partial");
    });

    it("is not asked of a band before it is live (B12 from late 2013)", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, null, "2013-10-31");
      expect(verdict.lte.carrier).to.deep.equal([2, 4]);
      expect(verdict.level).to.equal("full");
    });
  });

  describe("dates around a sunset", () => {
    it("T-Mobile retires UMTS on 2022-07-01: the kenzo spec sheet loses its voice path", () => {
      const before = sut(KENZO_SPEC_SHEET, TMOBILE, null, "2022-06-30");
      expect(before.level).to.equal("partial");
      expect(before.voice).to.equal("legacy");
      const after = sut(KENZO_SPEC_SHEET, TMOBILE, null, "2022-07-01");
      expect(after.level).to.equal("partial");
      // GSM 1900 stays, but its GSM bands are unknown: the voice path is unknown, not "none".
      expect(after.voice).to.equal("unknown");
      expect(messages(after)).to.include("voice path unknown: 3G/2G bands unknown");
      expect(after.lte.missing).to.deep.equal([12, 66, 71]);
    });

    it("a phone with no GSM has no voice path on T-Mobile from 2022-07-01 without VoLTE", () => {
      const phone = variant({ lte: [2, 4, 12, 66, 71], umts: [2, 4], gsm: [] });
      expect(sut(phone, TMOBILE, null, "2022-06-30").voice).to.equal("legacy");
      const after = sut(phone, TMOBILE, null, "2022-07-01");
      expect(after.level).to.equal("partial");
      expect(after.voice).to.equal("none");
      expect(messages(after)).to.include(
        "no voice path: VoLTE not whitelisted and no 3G/2G band in common",
      );
    });

    it("AT&T turned GSM off on 2017-01-01 and UMTS in February 2022: Mi 4 3G goes dark", () => {
      const onGsm = sut(MI4_3G, ATT, null, "2016-12-31");
      expect(onGsm.level).to.equal("legacy_only");
      expect(onGsm.legacy.map((b) => b.technology)).to.include("gsm");
      const umtsOnly = sut(MI4_3G, ATT, null, "2017-01-01");
      expect(umtsOnly.level).to.equal("legacy_only");
      expect(umtsOnly.legacy).to.deep.equal([
        { technology: "umts", band: 2, until: "2022-02-22" },
        { technology: "umts", band: 5, until: "2022-02-22" },
      ]);
      expect(sut(MI4_3G, ATT, null, "2022-02-21").level).to.equal("legacy_only");
      const dark = sut(MI4_3G, ATT, null, "2022-02-22");
      expect(dark.level).to.equal("none");
      expect(dark.voice).to.equal("none");
      expect(messages(dark)).to.deep.equal(["no LTE", "2G/3G retired"]);
      expect(dark.summary).to.equal(
        "No service on AT&T on 2022-02-22: no LTE, and 2G/3G are retired.",
      );
    });

    it("a full AT&T phone without VoLTE loses voice when 3G goes: no voice path", () => {
      const phone = variant({ lte: [2, 4, 5, 12, 14, 17, 29, 30, 66], umts: [2, 5], gsm: [] });
      expect(sut(phone, ATT, null, "2022-02-21").level).to.equal("full");
      const after = sut(phone, ATT, null, "2022-02-22");
      expect(after.level).to.equal("partial");
      expect(after.voice).to.equal("none");
      expect(messages(after)).to.deep.equal([
        "no voice path: VoLTE not whitelisted and 2G/3G retired",
      ]);
      const whitelisted = sut(phone, ATT, WHITELISTED, "2022-02-22");
      expect(whitelisted.level).to.equal("full");
      expect(whitelisted.voice).to.equal("volte");
    });

    it("Verizon retires CDMA on 2022-12-31: without B13 a phone has nothing left", () => {
      const phone = variant({ lte: [2, 4], umts: [], gsm: [], cdma: [0, 1] });
      const before = sut(phone, VERIZON, null, "2022-12-30");
      expect(before.level).to.equal("legacy_only");
      expect(messages(before)).to.include("no LTE on a primary band (B13)");
      const after = sut(phone, VERIZON, null, "2022-12-31");
      expect(after.level).to.equal("none");
    });
  });

  describe("every branch", () => {
    it("full needs every live LTE band and a voice path", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, WHITELISTED, "2016-06-01");
      expect(verdict.level).to.equal("full");
      expect(verdict.reasons).to.deep.equal([
        { code: "volte_voice", message: "voice over LTE (whitelisted)" },
      ]);
      expect(verdict.summary).to.equal(
        "Works fully on T-Mobile US: LTE on B2, B4, B12 and a voice path.",
      );
    });

    it("partial: a primary band but missing others", () => {
      const verdict = sut(variant({ lte: [4], umts: [2, 4] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("partial");
      expect(verdict.lte.missing).to.deep.equal([2, 12]);
    });

    it("legacy only: coverage bands without the primary one do not count as LTE service", () => {
      const verdict = sut(variant({ lte: [2], umts: [2] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("legacy_only");
      expect(messages(verdict)).to.include("no LTE on a primary band (B4)");
    });

    it("none: no primary LTE band and no 3G/2G band in common", () => {
      const verdict = sut(
        variant({ lte: [1, 3], umts: [1], gsm: [900] }),
        TMOBILE,
        null,
        "2016-06-01",
      );
      expect(verdict.level).to.equal("none");
      expect(messages(verdict)).to.include("no 3G/2G band in common");
      expect(verdict.summary).to.include("no 3G/2G band in common");
    });

    it("unknown: LTE bands unknown, even with a known 3G path", () => {
      const verdict = sut(variant({ umts: [2] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(codes(verdict)).to.deep.equal(["lte_unknown", "legacy_path"]);
      expect(verdict.voice).to.equal("legacy");
    });

    it("unknown: LTE bands unknown and nothing else either (only `cdma: []` known)", () => {
      const verdict = sut(variant({ cdma: [] }), VERIZON, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(verdict.voice).to.equal("unknown");
    });

    it("unknown: no primary LTE band and the 3G/2G bands are not known", () => {
      const verdict = sut(variant({ lte: [1, 3] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(codes(verdict)).to.include("legacy_unknown");
    });

    it("no LTE network at all on the date", () => {
      const verdict = sut(variant({ lte: [4], umts: [2] }), TMOBILE, null, "2016-06-01");
      const early = sut(
        variant({ lte: [4], umts: [2] }),
        { ...TMOBILE, bands: TMOBILE.bands.filter((b) => b.technology !== "lte") },
        null,
        "2016-06-01",
      );
      expect(verdict.level).to.equal("partial");
      expect(early.level).to.equal("legacy_only");
      expect(messages(early)).to.include("no LTE network on this date");
    });

    it("merges overlapping rows of one band: primary and the VoLTE rule win", () => {
      const carrier: VerdictCarrier = {
        ...TMOBILE,
        bands: [
          row("lte", 4, { role: "coverage", until: "2030-01-01" }),
          row("lte", 4, { role: "primary", requiresVolte: true }),
          row("umts", 2),
        ],
      };
      const verdict = sut(variant({ lte: [4], umts: [2] }), carrier, null, "2016-06-01");
      expect(verdict.lte.primary).to.deep.equal([4]);
      expect(verdict.lte.needsVolte).to.deep.equal([4]);
      expect(verdict.level).to.equal("legacy_only");
    });

    it("carries the band data's source and confidence, and the certification", () => {
      const verdict = sut(KENZO_SPEC_SHEET, TMOBILE, NOT_WHITELISTED, "2016-06-01");
      expect(verdict.source).to.deep.equal({ bands: "spec sheet", confidence: "medium" });
      expect(verdict.certification).to.deep.equal(NOT_WHITELISTED);
      expect(verdict.carrier).to.deep.equal({ id: "t", code: "tmobile_us", name: "T-Mobile US" });
      expect(verdict.date).to.equal("2016-06-01");
    });

    it("is plain data: it survives JSON unchanged (a ticket stores it)", () => {
      const verdict = sut(MI5_CHINA, TMOBILE, WHITELISTED, "2016-06-01");
      expect(JSON.parse(JSON.stringify(verdict))).to.deep.equal(verdict);
    });

    it("only ever answers a listed level and listed reason codes", () => {
      const phones = [
        MI5_CHINA,
        KENZO_SPEC_SHEET,
        KENZO_OTHER_LISTING,
        MI4_3G,
        MEIZU_MX5,
        TMOBILE_READY,
      ];
      for (const carrier of [TMOBILE, ATT, VERIZON]) {
        for (const phone of phones) {
          for (const date of ["2012-01-01", "2016-06-01", "2022-07-01", "2025-01-01"]) {
            const verdict = sut(phone, carrier, null, date);
            expect(VERDICT_LEVELS).to.include(verdict.level);
            for (const code of codes(verdict)) {
              expect(VERDICT_REASON_CODES).to.include(code);
            }
          }
        }
      }
    });
  });

  describe("isLiveOn", () => {
    it("includes the first day and excludes the retirement day", () => {
      const band = { from: "2015-01-01", until: "2022-07-01" };
      expect(isLiveOn(band, "2014-12-31")).to.equal(false);
      expect(isLiveOn(band, "2015-01-01")).to.equal(true);
      expect(isLiveOn(band, "2022-06-30")).to.equal(true);
      expect(isLiveOn(band, "2022-07-01")).to.equal(false);
      expect(isLiveOn({ from: null, until: null }, "1990-01-01")).to.equal(true);
    });
  });
});
