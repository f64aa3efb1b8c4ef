import { expect } from "chai";
import {
  bandLabel,
  formatBandList,
  isValidBand,
  parseBandList,
  umtsBandFromMhz,
} from "../../../../shared/domain/bands";

describe("shared/domain/bands", () => {
  describe("parseBandList", () => {
    const sut = parseBandList;

    it("reads a spec sheet's LTE list with ranges", () => {
      expect(sut("lte", "1, 3, 5, 7, 8, 38-41")).to.deep.equal({
        ok: true,
        bands: [1, 3, 5, 7, 8, 38, 39, 40, 41],
      });
      expect(sut("lte", "B2/B4/B12")).to.deep.equal({ ok: true, bands: [2, 4, 12] });
      expect(sut("lte", "b12 b4 b4")).to.deep.equal({ ok: true, bands: [4, 12] });
    });

    it("turns UMTS frequencies into band numbers (HSDPA 850/900/1700/1900/2100)", () => {
      expect(sut("umts", "850/900/1700/1900/2100")).to.deep.equal({
        ok: true,
        bands: [1, 2, 4, 5, 8],
      });
      expect(umtsBandFromMhz(1900)).to.equal(2);
      expect(umtsBandFromMhz(1234)).to.equal(null);
    });

    it("reads GSM quad band and frequencies", () => {
      expect(sut("gsm", "quad band")).to.deep.equal({ ok: true, bands: [850, 900, 1800, 1900] });
      expect(sut("gsm", "850, 1900")).to.deep.equal({ ok: true, bands: [850, 1900] });
    });

    it("keeps unknown (null) apart from none ([])", () => {
      expect(sut("lte", "unknown")).to.deep.equal({ ok: true, bands: null });
      expect(sut("lte", "?")).to.deep.equal({ ok: true, bands: null });
      expect(sut("lte", "none")).to.deep.equal({ ok: true, bands: [] });
      expect(sut("lte", "")).to.deep.equal({ ok: true, bands: [] });
    });

    it("refuses what is not a band of the technology, naming it", () => {
      expect(sut("lte", "1, x")).to.deep.equal({ ok: false, message: '"x" is not a band' });
      expect(sut("lte", "300")).to.deep.equal({ ok: false, message: "300 is not a LTE band" });
      expect(sut("gsm", "1700")).to.deep.equal({ ok: false, message: "1700 is not a GSM band" });
      expect(sut("umts", "1234")).to.deep.equal({
        ok: false,
        message: "1234 MHz is not a UMTS band",
      });
      expect(sut("lte", "41-38")).to.deep.equal({
        ok: false,
        message: '"41-38" is not a band range',
      });
      expect(sut("gsm", "850-900").ok).to.equal(false);
    });
  });

  describe("formatBandList", () => {
    it("writes lists compactly, ranges of three or more", () => {
      expect(formatBandList([41, 1, 3, 5, 7, 8, 38, 39, 40])).to.equal("1, 3, 5, 7, 8, 38-41");
      expect(formatBandList([2, 4, 12])).to.equal("2, 4, 12");
      expect(formatBandList([1, 2])).to.equal("1, 2");
      expect(formatBandList([])).to.equal("none");
      expect(formatBandList(null)).to.equal("unknown");
    });

    it("round-trips through parseBandList", () => {
      const bands = [1, 2, 3, 4, 5, 7, 8, 38, 39, 40, 41];
      expect(parseBandList("lte", formatBandList(bands))).to.deep.equal({ ok: true, bands });
    });
  });

  describe("bandLabel and isValidBand", () => {
    it("labels bands the way agents read them", () => {
      expect(bandLabel("lte", 12)).to.equal("B12");
      expect(bandLabel("umts", 2)).to.equal("UMTS B2 (1900)");
      expect(bandLabel("umts", 19)).to.equal("UMTS B19");
      expect(bandLabel("gsm", 1900)).to.equal("GSM 1900");
      expect(bandLabel("cdma", 0)).to.equal("CDMA BC0 (800)");
      expect(bandLabel("cdma", 5)).to.equal("CDMA BC5");
    });

    it("knows the valid numbers of each technology", () => {
      expect(isValidBand("lte", 71)).to.equal(true);
      expect(isValidBand("lte", 0)).to.equal(false);
      expect(isValidBand("lte", 2.5)).to.equal(false);
      expect(isValidBand("umts", 33)).to.equal(false);
      expect(isValidBand("gsm", 1800)).to.equal(true);
      expect(isValidBand("gsm", 1801)).to.equal(false);
      expect(isValidBand("cdma", 0)).to.equal(true);
    });
  });
});
