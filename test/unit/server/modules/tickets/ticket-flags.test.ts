import { expect } from "chai";
import { parseImei } from "../../../../../shared/domain/imei";
import type { ImeiValid } from "../../../../../shared/domain/imei";
import { ticketFlags } from "../../../../../server/src/modules/tickets/ticket-flags";
import type { FlagFacts } from "../../../../../server/src/modules/tickets/ticket-flags";
import { buildImei } from "../../../../support/factories";

function imeiOf(tac: string): ImeiValid {
  const parsed = parseImei(buildImei(tac));
  if (!parsed.valid) {
    throw new Error("test IMEI must be valid");
  }
  return parsed;
}

const known: FlagFacts = {
  imei: imeiOf("86927102"),
  tac: { brand: "Xiaomi" },
  declaredBrand: "xiaomi",
  variantId: "v1",
  onOtherCustomer: false,
  onRegister: false,
};

describe("ticketFlags: the one rule for a ticket's flags", () => {
  it("raises nothing for a known TAC of the declared brand with a known variant", () => {
    expect(ticketFlags(known)).to.deep.equal([]);
  });

  it("raises variant_unknown until the variant is known, and tac_unknown until the TAC is", () => {
    expect(ticketFlags({ ...known, variantId: null })).to.deep.equal(["variant_unknown"]);
    expect(ticketFlags({ ...known, tac: undefined, variantId: null })).to.deep.equal([
      "tac_unknown",
      "variant_unknown",
    ]);
  });

  it("flags a declared brand the TAC contradicts, never a brand left blank", () => {
    expect(ticketFlags({ ...known, declaredBrand: "Samsung" })).to.deep.equal([
      "tac_brand_mismatch",
    ]);
    expect(ticketFlags({ ...known, declaredBrand: null })).to.deep.equal([]);
    expect(ticketFlags({ ...known, declaredBrand: undefined })).to.deep.equal([]);
  });

  it("flags someone else's handset and a test-range IMEI, and nothing without a handset", () => {
    expect(
      ticketFlags({ ...known, imei: imeiOf("00124500"), onOtherCustomer: true }),
    ).to.deep.equal(["identifier_on_other_customer", "test_range_imei"]);
    expect(ticketFlags({ ...known, imei: null, variantId: null, tac: undefined })).to.deep.equal(
      [],
    );
  });
});
