import { expect } from "chai";
import { CORRECTED_CARRIER_BANDS } from "../../../../server/src/db/migrations/1764000000060-CorrectedBandTable";
import { SEEDED_CARRIERS } from "../../../../server/src/db/migrations/1764000000003-DeviceCatalogSeed";
import { GSM_QUAD_BAND } from "../../../../shared/domain/bands";
import type { BandRole } from "../../../../shared/domain/bands";
import {
  VERDICT_LEVELS,
  VERDICT_REASON_CODES,
  decideVerdict,
  isLiveOn,
  plainVerdict,
} from "../../../../shared/domain/verdict";
import type {
  CarrierBand,
  Verdict,
  VerdictCarrier,
  VerdictCertification,
  VerdictVariant,
} from "../../../../shared/domain/verdict";

/** One dated row of a profile (docs/DOMAIN.md, "Network compatibility"). */
function row(
  technology: CarrierBand["technology"],
  band: number,
  role: BandRole,
  extra: Partial<CarrierBand> = {},
): CarrierBand {
  return { technology, band, role, from: null, until: null, requiresVolte: false, ...extra };
}

const SPRINT = { from: "2020-04-01" };

/** The corrected table, as docs/DOMAIN.md gives it. */
const TMOBILE: VerdictCarrier = Object.freeze({
  id: "t",
  code: "tmobile_us",
  name: "T-Mobile US",
  bands: [
    row("lte", 4, "primary"),
    row("lte", 2, "primary"),
    row("lte", 12, "low_band", { from: "2013-11-01", until: "2015-01-01" }),
    row("lte", 12, "low_band", { from: "2015-01-01", requiresVolte: true }),
    row("lte", 66, "primary", { from: "2017-01-01" }),
    row("lte", 71, "low_band", { from: "2017-08-01" }),
    row("umts", 4, "primary", { until: "2022-07-01" }),
    row("umts", 2, "primary", { until: "2022-07-01" }),
    row("gsm", 1900, "primary", { until: "2026-08-03" }),
    row("nr", 71, "low_band", { from: "2019-12-06" }),
    row("nr", 41, "primary", { from: "2020-01-01" }),
    row("nr", 25, "primary", { from: "2021-01-01" }),
    row("cdma", 1, "primary", { ...SPRINT, until: "2022-03-31" }),
    row("cdma", 10, "primary", { ...SPRINT, until: "2022-03-31" }),
    row("lte", 25, "supplementary", { ...SPRINT, until: "2022-06-30" }),
    row("lte", 26, "supplementary", { ...SPRINT, until: "2022-06-30" }),
    row("lte", 41, "supplementary", { ...SPRINT, until: "2022-06-30" }),
  ],
});

const ATT: VerdictCarrier = Object.freeze({
  id: "a",
  code: "att_us",
  name: "AT&T",
  bands: [
    row("lte", 17, "low_band"),
    row("lte", 12, "low_band"),
    row("lte", 2, "primary"),
    row("lte", 4, "primary"),
    row("lte", 5, "supplementary", { from: "2017-01-01" }),
    row("lte", 29, "supplementary"),
    row("lte", 30, "supplementary", { from: "2017-01-01" }),
    row("lte", 14, "low_band", { from: "2018-03-01" }),
    row("lte", 66, "primary", { from: "2017-06-01" }),
    row("umts", 5, "primary", { until: "2022-02-22" }),
    row("umts", 2, "primary", { until: "2022-02-22" }),
    row("gsm", 850, "primary", { until: "2017-01-01" }),
    row("gsm", 1900, "primary", { until: "2017-01-01" }),
    row("nr", 5, "low_band", { from: "2019-12-01" }),
    row("nr", 77, "primary", { from: "2022-01-19" }),
  ],
});

const VERIZON: VerdictCarrier = Object.freeze({
  id: "v",
  code: "verizon_us",
  name: "Verizon",
  bands: [
    row("lte", 13, "primary"),
    row("lte", 4, "primary"),
    row("lte", 2, "supplementary"),
    row("lte", 5, "supplementary", { from: "2017-01-01" }),
    row("lte", 66, "primary", { from: "2017-06-01" }),
    row("cdma", 0, "primary", { until: "2022-12-31" }),
    row("cdma", 1, "primary", { until: "2022-12-31" }),
    row("nr", 5, "low_band", { from: "2020-10-13" }),
    row("nr", 66, "primary", { from: "2020-10-13" }),
    row("nr", 77, "primary", { from: "2022-01-19" }),
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

// The seeded variants (docs/DOMAIN.md, "Variants of the 2015-2016 phones").
const MI5_CHINA = variant({
  lte: [1, 3, 7, 38, 39, 40, 41],
  umts: [1, 2, 5, 8],
  gsm: GSM_QUAD_BAND,
  nr: [],
});
const KENZO_SPEC_SHEET = variant({
  lte: [1, 2, 3, 4, 5, 7, 8, 38, 39, 40, 41],
  // HSDPA 850/900/1700/1900/2100
  umts: [1, 2, 4, 5, 8],
  nr: [],
});
const KENZO_OTHER_LISTING = variant({
  lte: [1, 3, 5, 7, 8, 38, 39, 40, 41],
  umts: [1, 2, 5, 8],
});
const MI4_3G = variant({
  lte: [],
  umts: [1, 2, 5, 8],
  gsm: GSM_QUAD_BAND,
  volteCapable: "no",
  nr: [],
});
const MEIZU_MX5 = variant({ bandSource: null, bandConfidence: null });

/** A US phone with every LTE band T-Mobile needs, VoLTE-capable. */
const TMOBILE_READY = variant({
  lte: [2, 4, 12, 66, 71],
  umts: [2, 4],
  gsm: GSM_QUAD_BAND,
  volteCapable: "yes",
});
/** LTE on AT&T's primaries B2/B4 only. */
const B2_B4 = variant({ lte: [2, 4], umts: [2, 5], gsm: [] });

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

const TODAY = "2026-12-07";
const messages = (verdict: Verdict) => verdict.reasons.map((r) => r.message);
const codes = (verdict: Verdict) => verdict.reasons.map((r) => r.code);

describe("shared/domain/verdict", () => {
  const sut = decideVerdict;

  describe("the examples of issue 14", () => {
    it("a 2016 Mi 5 China on T-Mobile: legacy only then (no LTE in practice), none today", () => {
      const then = sut(MI5_CHINA, TMOBILE, null, "2016-06-01");
      expect(then.level).to.equal("legacy_only");
      expect(then.lte.usable).to.deep.equal([]);
      expect(then.lte.missing).to.deep.equal([2, 4, 12]);
      expect(messages(then)).to.include.members([
        "no LTE on B2 or B4, the bands that carry T-Mobile US's LTE: no LTE in practice",
        "calls over 3G/2G on UMTS B2 (1900) until 2022-07-01, GSM 1900 until 2026-08-03: " +
          "they stop on 2026-08-03 unless VoLTE is whitelisted",
      ]);
      expect(then.voice).to.equal("legacy");

      const today = sut(MI5_CHINA, TMOBILE, null, TODAY);
      expect(today.level).to.equal("none");
      expect(today.voice).to.equal("none");
      expect(today.legacy).to.deep.equal([]);
      expect(messages(today)).to.include(
        "2G/3G retired on 2026-08-03: no calls, no 911 without LTE",
      );
      expect(today.summary).to.equal(
        "No service on T-Mobile US on 2026-12-07: no LTE, and 2G/3G retired on 2026-08-03.",
      );
      expect(plainVerdict(today)).to.equal(
        "Your phone does not work on T-Mobile US: it lacks the frequencies the network uses, " +
          "so no calls (including 911) and no data.",
      );
    });

    it("a B2/B4 phone on AT&T is partial, never 'no LTE'", () => {
      for (const date of ["2016-06-01", "2019-06-01", TODAY]) {
        const verdict = sut(B2_B4, ATT, null, date);
        expect(verdict.level, date).to.equal("partial");
        expect(verdict.lte.usable, date).to.deep.equal([2, 4]);
        expect(codes(verdict), date).to.not.include.members(["no_lte", "no_primary_band"]);
        expect(verdict.summary, date).to.match(/^Partial on AT&T: LTE on B2, B4, but /);
      }
      const today = sut(B2_B4, ATT, null, TODAY);
      expect(today.lte.missing).to.deep.equal([12, 14, 17, 66]);
      expect(messages(today)).to.deep.equal([
        "no LTE B66 (1700/2100 MHz): slower data, and no 4G where AT&T runs only that band",
        "no LTE B12, B14 or B17 (700 MHz): weak signal indoors and outside towns",
        "no voice path: VoLTE not whitelisted and 2G/3G retired on 2022-02-22: no calls, no 911",
        "5G bands unknown: whether it gets 5G is not known",
      ]);
    });

    it("Redmi Note 3 kenzo (B2/B4/B5, no B12) on T-Mobile is partial: no B12/B71, weak indoors", () => {
      const verdict = sut(KENZO_SPEC_SHEET, TMOBILE, null, "2018-06-01");
      expect(verdict.level).to.equal("partial");
      expect(verdict.lte.usable).to.deep.equal([2, 4]);
      expect(verdict.lte.missing).to.deep.equal([12, 66, 71]);
      expect(messages(verdict)).to.include(
        "no LTE B12 or B71 (600/700 MHz): weak signal indoors and outside towns",
      );
      expect(plainVerdict(verdict)).to.include("a weak signal indoors and outside towns");
      // Before B71 and B66 were live: only B12 is missing.
      const in2016 = sut(KENZO_SPEC_SHEET, TMOBILE, null, "2016-06-01");
      expect(in2016.level).to.equal("partial");
      expect(in2016.summary).to.equal(
        "Partial on T-Mobile US: LTE on B2, B4, but no LTE B12 (700 MHz): weak signal " +
          "indoors and outside towns.",
      );
    });

    it("the other kenzo listing (no B2/B4) is legacy only on T-Mobile in 2016", () => {
      const verdict = sut(KENZO_OTHER_LISTING, TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("legacy_only");
      expect(verdict.legacy).to.deep.equal([{ technology: "umts", band: 2, until: "2022-07-01" }]);
    });

    it("GSM imports on Verizon are none at any date, never unknown (CDMA list unknown)", () => {
      for (const phone of [MI5_CHINA, MI4_3G, KENZO_OTHER_LISTING]) {
        expect(phone.cdma).to.equal(null);
        for (const date of ["2012-01-01", "2016-06-01", "2022-12-30", "2022-12-31", TODAY]) {
          const verdict = sut(phone, VERIZON, null, date);
          expect(verdict.level, date).to.equal("none");
          expect(verdict.voice, date).to.equal("none");
        }
      }
      expect(messages(sut(MI5_CHINA, VERIZON, null, "2016-06-01"))).to.deep.equal([
        "no LTE on B4 or B13, the bands that carry Verizon's LTE: no LTE in practice",
        "Verizon's 2G/3G is CDMA, which a GSM phone never used: no calls, no 911 without LTE",
      ]);
      // The other kenzo listing has B5, which Verizon runs only as a supplementary band.
      expect(messages(sut(KENZO_OTHER_LISTING, VERIZON, null, "2018-01-01"))).to.include(
        "LTE only on supplementary bands (B5): no LTE in practice",
      );
    });

    it("a phone with LTE only on AT&T's B29 has no LTE in practice", () => {
      const b29 = variant({ lte: [29], umts: [2], gsm: [] });
      const in2020 = sut(b29, ATT, null, "2020-06-01");
      expect(in2020.level).to.equal("legacy_only");
      expect(in2020.lte.usable).to.deep.equal([29]);
      expect(messages(in2020)).to.include(
        "LTE only on supplementary bands (B29): no LTE in practice",
      );
      expect(sut(b29, ATT, null, TODAY).level).to.equal("none");
    });

    it("B29, B5 and B30 are never required on AT&T, nor a reason", () => {
      const phone = variant({ lte: [2, 4, 12, 14, 17, 66], umts: [2, 5], gsm: [] });
      const verdict = sut(phone, ATT, WHITELISTED, TODAY);
      expect(verdict.level).to.equal("full");
      expect(verdict.lte.supplementary).to.deep.equal([5, 29, 30]);
      expect(verdict.lte.missing).to.deep.equal([]);
      expect(messages(verdict).join(" ")).to.not.match(/B29|B5\b|B30/);
    });
  });

  describe("certification caps the verdict", () => {
    for (const status of ["rejected", "withdrawn"] as const) {
      it(`a ${status} certification makes a full phone partial, with its own reason`, () => {
        expect(sut(TMOBILE_READY, TMOBILE, WHITELISTED, "2018-06-01").level).to.equal("full");
        const verdict = sut(TMOBILE_READY, TMOBILE, { ...WHITELISTED, status }, "2018-06-01");
        expect(verdict.level).to.equal("partial");
        expect(verdict.reasons).to.deep.include({
          code: "certification_refused",
          message: `certification ${status} by T-Mobile US: the network may refuse the phone, whatever its bands`,
        });
        expect(verdict.summary).to.include(`Capped at partial: certification ${status}`);
        expect(plainVerdict(verdict)).to.include("has not approved this phone");
      });
    }

    it("never raises a verdict: legacy only and none stay, with the reason added", () => {
      const rejected = { ...NOT_WHITELISTED, status: "rejected" as const };
      const legacy = sut(MI5_CHINA, TMOBILE, rejected, "2016-06-01");
      expect(legacy.level).to.equal("legacy_only");
      expect(codes(legacy)).to.include("certification_refused");
      expect(sut(MI5_CHINA, TMOBILE, rejected, TODAY).level).to.equal("none");
      expect(sut(MEIZU_MX5, TMOBILE, rejected, TODAY).level).to.equal("unknown");
    });

    it("other statuses do not cap", () => {
      for (const status of ["not_submitted", "in_testing", "certified"] as const) {
        const verdict = sut(TMOBILE_READY, TMOBILE, { ...WHITELISTED, status }, "2018-06-01");
        expect(verdict.level, status).to.equal("full");
        expect(codes(verdict), status).to.not.include("certification_refused");
      }
    });
  });

  describe("the B12 rule (VoLTE and E911 since 2015)", () => {
    it("holds B12 back from a phone not whitelisted for VoLTE: partial, with the consequence", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, NOT_WHITELISTED, "2018-06-01");
      expect(verdict.level).to.equal("partial");
      expect(verdict.lte.needsVolte).to.deep.equal([12]);
      expect(verdict.lte.usable).to.deep.equal([2, 4, 66, 71]);
      expect(messages(verdict)).to.include(
        "B12 (700 MHz) present but needs VoLTE/E911 certification: not used until T-Mobile US " +
          "whitelists the phone, so weak signal indoors and outside towns",
      );
    });

    it("counts no certification at all as not whitelisted", () => {
      expect(sut(TMOBILE_READY, TMOBILE, null, "2018-06-01").lte.needsVolte).to.deep.equal([12]);
    });

    it("gives a whitelisted phone B12 and voice over LTE: full", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, WHITELISTED, "2018-06-01");
      expect(verdict.level).to.equal("full");
      expect(verdict.voice).to.equal("volte");
      expect(verdict.lte.usable).to.deep.equal([2, 4, 12, 66, 71]);
      expect(plainVerdict(verdict)).to.equal(
        "Your phone works fully on T-Mobile US: 4G data and calls.",
      );
    });

    it("did not apply before 2015: full on 3G voice in 2014, partial from 2015-01-01", () => {
      const verdict = sut(TMOBILE_READY, TMOBILE, null, "2014-12-31");
      expect(verdict.level).to.equal("full");
      expect(verdict.voice).to.equal("legacy");
      expect(sut(TMOBILE_READY, TMOBILE, null, "2015-01-01").level).to.equal("partial");
    });

    it("is not asked of a band before it is live (B12 from late 2013)", () => {
      const verdict = sut(variant({ lte: [2, 4], umts: [2] }), TMOBILE, null, "2013-10-31");
      expect(verdict.lte.carrier).to.deep.equal([2, 4]);
      expect(verdict.level).to.equal("full");
    });
  });

  describe("the day before and the day of each sunset", () => {
    const pair = (phone: VerdictVariant, carrier: VerdictCarrier, before: string, on: string) => [
      sut(phone, carrier, null, before),
      sut(phone, carrier, null, on),
    ];

    it("T-Mobile GSM 1900, shut down 2026-08-03", () => {
      const [before, on] = pair(MI4_3G, TMOBILE, "2026-08-02", "2026-08-03");
      expect(before.level).to.equal("legacy_only");
      expect(before.legacy).to.deep.equal([{ technology: "gsm", band: 1900, until: "2026-08-03" }]);
      expect(plainVerdict(before)).to.include("which closes on 2026-08-03");
      expect(on.level).to.equal("none");
      expect(messages(on)).to.include("2G/3G retired on 2026-08-03: no calls, no 911 without LTE");
    });

    it("T-Mobile UMTS, retired 2022-07-01", () => {
      const umtsOnly = variant({ lte: [], umts: [2, 4], gsm: [] });
      const [before, on] = pair(umtsOnly, TMOBILE, "2022-06-30", "2022-07-01");
      expect(before.level).to.equal("legacy_only");
      expect(on.level).to.equal("none");
      // A phone with LTE but unknown GSM: the voice path becomes unknown, not "none".
      const [kBefore, kOn] = pair(KENZO_SPEC_SHEET, TMOBILE, "2022-06-30", "2022-07-01");
      expect(kBefore.voice).to.equal("legacy");
      expect(kOn.voice).to.equal("unknown");
      expect(kOn.level).to.equal("partial");
    });

    it("a phone without GSM loses its voice path on T-Mobile on 2022-07-01 without VoLTE", () => {
      const phone = variant({ lte: [2, 4, 12, 66, 71], umts: [2, 4], gsm: [] });
      const [before, on] = pair(phone, TMOBILE, "2022-06-30", "2022-07-01");
      expect(before.voice).to.equal("legacy");
      expect(on.voice).to.equal("none");
      expect(messages(on)).to.include(
        "no voice path: VoLTE not whitelisted and no 3G/2G band in common: no calls, no 911",
      );
    });

    it("AT&T GSM, off 2017-01-01", () => {
      const gsmOnly = variant({ lte: [], umts: [], gsm: GSM_QUAD_BAND });
      const [before, on] = pair(gsmOnly, ATT, "2016-12-31", "2017-01-01");
      expect(before.level).to.equal("legacy_only");
      expect(on.level).to.equal("none");
      // UMTS is still live, on bands this phone lacks.
      expect(messages(on)).to.include("no 3G/2G band in common: no calls, no 911 without LTE");
      // Mi 4 3G still had UMTS then.
      expect(sut(MI4_3G, ATT, null, "2017-01-01").legacy).to.deep.equal([
        { technology: "umts", band: 2, until: "2022-02-22" },
        { technology: "umts", band: 5, until: "2022-02-22" },
      ]);
    });

    it("AT&T UMTS, retired 2022-02-22", () => {
      const [before, on] = pair(MI4_3G, ATT, "2022-02-21", "2022-02-22");
      expect(before.level).to.equal("legacy_only");
      expect(on.level).to.equal("none");
      expect(messages(on)).to.deep.equal([
        "no LTE: no 4G data",
        "2G/3G retired on 2022-02-22: no calls, no 911 without LTE",
        "no 5G (n5, n77): 4G speeds at best",
      ]);
      const phone = variant({ lte: [2, 4, 12, 14, 17, 66], umts: [2, 5], gsm: [] });
      expect(sut(phone, ATT, null, "2022-02-21").level).to.equal("full");
      expect(sut(phone, ATT, null, "2022-02-22").level).to.equal("partial");
      expect(sut(phone, ATT, WHITELISTED, "2022-02-22").level).to.equal("full");
    });

    it("Verizon CDMA, retired 2022-12-31", () => {
      const cdmaPhone = variant({ lte: [2], umts: [], gsm: [], cdma: [0, 1] });
      const [before, on] = pair(cdmaPhone, VERIZON, "2022-12-30", "2022-12-31");
      expect(before.level).to.equal("legacy_only");
      expect(messages(before)).to.include(
        "LTE only on supplementary bands (B2): no LTE in practice",
      );
      expect(on.level).to.equal("none");
      expect(messages(on)).to.include("2G/3G retired on 2022-12-31: no calls, no 911 without LTE");
    });

    it("Sprint CDMA on T-Mobile: from the merger (2020-04-01) until 2022-03-31", () => {
      const sprintPhone = variant({ lte: [], umts: [], gsm: [], cdma: [1, 10] });
      expect(sut(sprintPhone, TMOBILE, null, "2020-03-31").level).to.equal("none");
      const [before, on] = pair(sprintPhone, TMOBILE, "2022-03-30", "2022-03-31");
      expect(before.level).to.equal("legacy_only");
      expect(before.legacy).to.deep.equal([
        { technology: "cdma", band: 1, until: "2022-03-31" },
        { technology: "cdma", band: 10, until: "2022-03-31" },
      ]);
      expect(on.level).to.equal("none");
    });

    it("Sprint LTE on T-Mobile, off 2022-06-30: supplementary, never LTE in practice", () => {
      const sprintLte = variant({ lte: [25, 26, 41], umts: [], gsm: [], cdma: [1, 10] });
      const [before, on] = pair(sprintLte, TMOBILE, "2022-06-29", "2022-06-30");
      expect(before.lte.usable).to.deep.equal([25, 26, 41]);
      expect(codes(before)).to.include("supplementary_only");
      expect(before.level).to.equal("none");
      expect(on.lte.usable).to.deep.equal([]);
      expect(on.lte.carrier).to.not.include.members([25, 26, 41]);
      expect(codes(on)).to.include("no_primary_band");
      // The Mi 5 has B41: Sprint's LTE gave it no LTE in practice either.
      expect(messages(sut(MI5_CHINA, TMOBILE, null, "2021-06-01"))).to.include(
        "LTE only on supplementary bands (B41): no LTE in practice",
      );
    });
  });

  describe("5G NR", () => {
    const phone5g = variant({ ...TMOBILE_READY, nr: [41, 71] });

    it("is shown, usable or missing, and does not change the level", () => {
      const verdict = sut(phone5g, TMOBILE, WHITELISTED, TODAY);
      expect(verdict.nr).to.deep.equal({
        carrier: [25, 41, 71],
        usable: [41, 71],
        missing: [25],
        known: true,
      });
      expect(messages(verdict)).to.include("5G on n41, n71");
      expect(verdict.level).to.equal(sut(TMOBILE_READY, TMOBILE, WHITELISTED, TODAY).level);
      expect(messages(sut(MI5_CHINA, TMOBILE, null, TODAY))).to.include(
        "no 5G (n25, n41, n71): 4G speeds at best",
      );
      expect(codes(sut(TMOBILE_READY, TMOBILE, WHITELISTED, TODAY))).to.include("nr_unknown");
    });

    it("says nothing of 5G before the carrier ran it", () => {
      const verdict = sut(phone5g, TMOBILE, WHITELISTED, "2019-12-05");
      expect(verdict.nr?.carrier).to.deep.equal([]);
      expect(codes(verdict).filter((c) => c.startsWith("nr_"))).to.deep.equal([]);
      expect(sut(phone5g, TMOBILE, WHITELISTED, "2019-12-06").nr?.usable).to.deep.equal([71]);
    });
  });

  describe("every branch", () => {
    it("unknown with no band data at all", () => {
      const verdict = sut(MEIZU_MX5, TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(verdict.voice).to.equal("unknown");
      expect(verdict.reasons).to.deep.equal([
        {
          code: "no_band_data",
          message: "no band data for this variant: whether it works is not known",
        },
      ]);
    });

    it("unknown: LTE bands unknown, even with a known 3G path", () => {
      const verdict = sut(variant({ umts: [2] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(codes(verdict)).to.deep.equal(["lte_unknown", "legacy_path"]);
      expect(verdict.voice).to.equal("legacy");
    });

    it("unknown: no primary LTE band and the 3G/2G bands are not known", () => {
      const verdict = sut(variant({ lte: [1, 3] }), TMOBILE, null, "2016-06-01");
      expect(verdict.level).to.equal("unknown");
      expect(codes(verdict)).to.include("legacy_unknown");
    });

    it("a phone with a CDMA list keeps it (it is no GSM import)", () => {
      const cdmaUnknownNoGsm = variant({ lte: [2] });
      expect(sut(cdmaUnknownNoGsm, VERIZON, null, "2016-06-01").level).to.equal("unknown");
    });

    it("none: no primary LTE band and no 3G/2G band in common", () => {
      const verdict = sut(
        variant({ lte: [1, 3], umts: [1], gsm: [900] }),
        TMOBILE,
        null,
        "2016-06-01",
      );
      expect(verdict.level).to.equal("none");
      expect(messages(verdict)).to.include("no 3G/2G band in common: no calls, no 911 without LTE");
    });

    it("no LTE network at all on the date", () => {
      const early = sut(
        variant({ lte: [4], umts: [2] }),
        { ...TMOBILE, bands: TMOBILE.bands.filter((b) => b.technology !== "lte") },
        null,
        "2016-06-01",
      );
      expect(early.level).to.equal("legacy_only");
      expect(messages(early)).to.include("no LTE network of T-Mobile US on this date: no 4G data");
    });

    it("merges overlapping rows of one band: the stronger role and the VoLTE rule win", () => {
      const carrier: VerdictCarrier = {
        ...TMOBILE,
        bands: [
          row("lte", 4, "supplementary", { until: "2030-01-01" }),
          row("lte", 4, "primary", { requiresVolte: true }),
          row("umts", 2, "primary"),
        ],
      };
      const verdict = sut(variant({ lte: [4], umts: [2] }), carrier, null, "2016-06-01");
      expect(verdict.lte.primary).to.deep.equal([4]);
      expect(verdict.lte.needsVolte).to.deep.equal([4]);
      expect(verdict.level).to.equal("legacy_only");
    });

    it("reads a row still saying the old `coverage` role as a low band", () => {
      const carrier: VerdictCarrier = {
        ...TMOBILE,
        bands: [
          row("lte", 4, "primary"),
          row("lte", 12, "coverage" as BandRole),
          row("umts", 2, "primary"),
        ],
      };
      const verdict = sut(variant({ lte: [4], umts: [2] }), carrier, null, "2016-06-01");
      expect(verdict.lte.lowBand).to.deep.equal([12]);
      expect(codes(verdict)).to.include("missing_low_band");
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

    it("only ever answers listed levels and codes, and customer words without band jargon", () => {
      const phones = [
        MI5_CHINA,
        KENZO_SPEC_SHEET,
        KENZO_OTHER_LISTING,
        MI4_3G,
        MEIZU_MX5,
        TMOBILE_READY,
        B2_B4,
      ];
      const certs = [null, WHITELISTED, { ...WHITELISTED, status: "rejected" as const }];
      for (const carrier of [TMOBILE, ATT, VERIZON]) {
        for (const phone of phones) {
          for (const cert of certs) {
            for (const date of ["2012-01-01", "2016-06-01", "2022-07-01", TODAY]) {
              const verdict = sut(phone, carrier, cert, date);
              expect(VERDICT_LEVELS).to.include(verdict.level);
              for (const code of codes(verdict)) {
                expect(VERDICT_REASON_CODES).to.include(code);
              }
              const plain = plainVerdict(verdict);
              expect(plain).to.match(/^(Your phone|We do not know)/);
              expect(plain).to.not.match(/\bB\d|\bn\d|LTE|UMTS|GSM|CDMA|MHz|VoLTE/);
            }
          }
        }
      }
    });
  });

  describe("plainVerdict on a verdict kept from before it had customer words", () => {
    it("falls back to a sentence from the level", () => {
      const { customerSummary: _dropped, ...old } = sut(MI4_3G, ATT, null, TODAY);
      expect(plainVerdict(old)).to.equal(
        "Your phone does not work on AT&T: no calls, no 911 and no data.",
      );
    });
  });

  describe("the migration's corrected table", () => {
    it("is exactly the table these tests pin", () => {
      const ids: Record<string, VerdictCarrier> = {
        [SEEDED_CARRIERS.tmobile]: TMOBILE,
        [SEEDED_CARRIERS.att]: ATT,
        [SEEDED_CARRIERS.verizon]: VERIZON,
      };
      const key = (r: CarrierBand) =>
        `${r.technology}:${r.band}:${r.role}:${r.from}:${r.until}:${r.requiresVolte}`;
      for (const [id, carrier] of Object.entries(ids)) {
        const migrated = CORRECTED_CARRIER_BANDS.filter((r) => r.carrierId === id).map((r) =>
          key({
            technology: r.technology,
            band: r.band,
            role: r.role,
            from: r.fromDate,
            until: r.untilDate,
            requiresVolte: r.requiresVolte,
          }),
        );
        expect(migrated.sort(), carrier.name).to.deep.equal(carrier.bands.map(key).sort());
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
