import type { TicketFlag } from "../../../../shared/domain/enums";
import type { ImeiValid } from "../../../../shared/domain/imei";

/**
 * What a ticket's flags are decided from: its handset as the desk knows it now. The same facts
 * at opening (the IMEI typed, the brand declared on the form) and later, when an agent sets the
 * variant, a TAC is added or corrected, or the handset's declared brand changes (the IMEI
 * recorded on the handset, the brand on its record).
 */
export interface FlagFacts {
  /** The handset's IMEI, as parsed; null when the ticket has no handset (an email without one). */
  imei: ImeiValid | null;
  /** What the catalogue (or the bundled TAC file) says the TAC is; undefined when unknown. */
  tac: { brand: string } | undefined;
  /** The brand declared for the handset (the form at opening, the record later), if any. */
  declaredBrand: string | null | undefined;
  /** The handset's exact variant, once known. */
  variantId: string | null;
  /** The handset record belongs to another customer than the ticket's. */
  onOtherCustomer: boolean;
  /**
   * The IMEI's latest report or check on the lost/stolen register says lost, stolen or flagged
   * (looked up at opening; a recheck keeps what the ticket had).
   */
  onRegister: boolean;
}

/**
 * The one rule for a ticket's flags (shared/domain/enums.ts TICKET_FLAGS), used when a ticket is
 * opened (open-ticket.ts) and whenever what they depend on changes (ticket-history.ts,
 * `recheckFlags`). A flag is for an agent to look at: a customer is never refused over one.
 */
export function ticketFlags(facts: FlagFacts): TicketFlag[] {
  const flags: TicketFlag[] = [];
  if (facts.imei === null) {
    return flags;
  }
  if (facts.onOtherCustomer) {
    flags.push("identifier_on_other_customer");
  }
  // A wiped or reset IMEI is its own flag; it is not a test phone, whatever its TAC says.
  if (facts.imei.wiped) {
    flags.push("imei_wiped");
  } else if (facts.imei.testRange) {
    flags.push("test_range_imei");
  }
  // Accepted and flagged, never refused: the agent sees it; an RMA on it is refused.
  if (facts.onRegister) {
    flags.push("imei_reported_stolen");
  }
  const declared = facts.declaredBrand;
  if (facts.tac === undefined) {
    flags.push("tac_unknown");
  } else if (declared && declared.toLowerCase() !== facts.tac.brand.toLowerCase()) {
    flags.push("tac_brand_mismatch");
  }
  if (facts.variantId === null) {
    flags.push("variant_unknown");
  }
  return flags;
}

/** Whether two flag lists say the same (order aside). */
export function sameFlags(a: readonly TicketFlag[], b: readonly TicketFlag[]): boolean {
  return a.length === b.length && a.every((flag) => b.includes(flag));
}
