import {
  IMEI_INPUT_MAX_LENGTH,
  isTestRangeTac,
  normaliseImeiInput,
  parseImei,
  reportingBody,
} from "../../../../shared/domain/imei";
import type { DeviceLookupDto } from "../../../../shared/contracts/http/catalog";
import type { TacEntry } from "./tac-catalog";

/** Where a lookup finds the model of a TAC (the bundled file, or the catalogue's entries). */
export interface TacLookup {
  lookup(tac: string): Pick<TacEntry, "brand" | "model" | "aka"> | undefined;
}

/** Body of `GET /api/devices/lookup` (declared in shared/contracts/http/catalog.ts). */
export type DeviceLookupResult = DeviceLookupDto;

const LEADING_TAC = /^[0-9]{8}/;

/**
 * Validates an IMEI as typed and names the model from its TAC. An invalid input still reports
 * its TAC (and the model, when known) so the form can say "this looks like a Xiaomi Redmi Note 3"
 * next to the reason.
 */
export function lookupDevice(raw: string, catalog: TacLookup): DeviceLookupResult {
  const parsed = parseImei(raw);
  let result: DeviceLookupResult;
  if (parsed.valid) {
    result = {
      valid: true,
      imei: parsed.imei,
      tac: parsed.tac,
      testRange: parsed.testRange,
      wiped: parsed.wiped,
      warnings: [...parsed.warnings],
      softwareVersion: parsed.softwareVersion,
    };
  } else {
    const digits = raw.length > IMEI_INPUT_MAX_LENGTH ? "" : normaliseImeiInput(raw);
    const tac = LEADING_TAC.exec(digits)?.[0] ?? null;
    result = {
      valid: false,
      imei: null,
      reason: parsed.reason,
      message: parsed.message,
      tac,
      testRange: tac !== null && isTestRangeTac(tac),
      warnings: [],
    };
  }

  if (result.tac !== null) {
    result.reportingBody = reportingBody(result.tac);
    const entry = catalog.lookup(result.tac);
    if (entry !== undefined) {
      result.brand = entry.brand;
      result.model = entry.model;
      result.aka = [...entry.aka];
    }
  } else {
    result.reportingBody = null;
  }
  return result;
}
