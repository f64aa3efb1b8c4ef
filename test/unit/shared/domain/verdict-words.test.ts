import { expect } from "chai";
import { customerNetworkWords } from "../../../../shared/domain/verdict-words";
import type { VerdictForWords } from "../../../../shared/domain/verdict-words";
import type { VerdictReasonCode } from "../../../../shared/domain/verdict";

function verdict(
  level: VerdictForWords["level"],
  codes: VerdictReasonCode[],
  extra: Partial<Pick<VerdictForWords, "lte" | "legacy">> = {},
): VerdictForWords {
  return {
    level,
    carrier: { id: "c", code: "tmobile_us", name: "T-Mobile" },
    reasons: codes.map((code) => ({ code, message: `agents' words for ${code}` })),
    lte: { carrier: [], primary: [], usable: [], missing: [], needsVolte: [], ...extra.lte },
    legacy: extra.legacy ?? [],
  };
}

describe("customerNetworkWords: a verdict in the customer's words", () => {
  it("says a phone that lacks the low bands works, with weak signal indoors and outside towns", () => {
    const words = customerNetworkWords(
      verdict("partial", ["missing_lte_band", "missing_lte_band", "volte_voice"], {
        lte: {
          carrier: [2, 4, 12, 71],
          primary: [2, 4],
          usable: [2, 4],
          missing: [12, 71],
          needsVolte: [],
        },
      }),
    );
    expect(words).to.equal(
      "Your phone works on T-Mobile's network, but it lacks the 600/700 MHz bands: expect weak " +
        "signal indoors and outside towns.",
    );
  });

  it("tells missing capacity bands apart from missing coverage bands", () => {
    const words = customerNetworkWords(
      verdict("partial", ["missing_lte_band", "volte_voice"], {
        lte: {
          carrier: [2, 4, 66],
          primary: [2, 4],
          usable: [2, 4],
          missing: [66],
          needsVolte: [],
        },
      }),
    );
    expect(words).to.equal(
      "Your phone works on T-Mobile's network, but it lacks the 1700 MHz band: expect slower " +
        "data where many people are connected.",
    );
  });

  it("explains a band locked behind VoLTE approval, and a 3G voice path with its closing date", () => {
    const words = customerNetworkWords(
      verdict("partial", ["needs_volte", "legacy_path"], {
        lte: { carrier: [4, 12], primary: [4], usable: [4], missing: [], needsVolte: [12] },
        legacy: [
          { technology: "umts", band: 4, until: "2022-07-01" },
          { technology: "gsm", band: 1900, until: "2022-05-01" },
        ],
      }),
    );
    expect(words).to.equal(
      "Your phone works on T-Mobile's network, but T-Mobile's 700 MHz band is open only to " +
        "phones it has approved for calls over 4G, and yours is not approved yet: expect weak " +
        "signal indoors and outside towns. Its calls use the older 3G/2G service, which closes " +
        "on 1 July 2022.",
    );
  });

  it("says a 3G/2G-only phone will lose service when that network closes", () => {
    expect(
      customerNetworkWords(
        verdict("legacy_only", ["no_primary_band", "legacy_path"], {
          legacy: [{ technology: "gsm", band: 1900, until: "2026-08-03" }],
        }),
      ),
    ).to.equal(
      "Your phone gets only the older 3G/2G service on T-Mobile's network: calls and texts " +
        "work, but mobile data is slow, and that service closes on 3 August 2026; after that " +
        "the phone will have no service.",
    );
  });

  it("says no service plainly once 3G/2G are retired", () => {
    expect(customerNetworkWords(verdict("none", ["no_lte", "legacy_retired"]))).to.equal(
      "Your phone does not work on T-Mobile's network: it cannot use the network's 4G, and the " +
        "older 3G/2G service it would need has been switched off.",
    );
  });

  it("works fully; unknown stays unknown; no sentence names a band number", () => {
    expect(customerNetworkWords(verdict("full", ["volte_voice"]))).to.equal(
      "Your phone works on T-Mobile's network, for calls and mobile data.",
    );
    expect(customerNetworkWords(verdict("unknown", ["no_band_data"]))).to.match(
      /^We do not know yet whether your phone works on T-Mobile's network/,
    );
    for (const level of ["full", "partial", "legacy_only", "none", "unknown"] as const) {
      expect(
        customerNetworkWords(
          verdict(level, ["missing_lte_band"], {
            lte: { carrier: [12], primary: [], usable: [], missing: [12], needsVolte: [] },
          }),
        ),
      ).to.not.match(/\bB\d+|\bband \d/);
    }
  });
});
