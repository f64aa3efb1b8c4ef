/**
 * The desk's lost/stolen register (docs/DOMAIN.md, "Lost and stolen"): per IMEI, customers'
 * reports, agents' entries and the manual external checks agents log. Pure and isomorphic: the
 * server decides an RMA and a new ticket's flag with it, the console shows the same status.
 */

/** What an entry is: a report (lost, stolen, recovered) or a logged external check. */
export const REGISTER_ENTRY_KINDS = ["report", "check"] as const;
export type RegisterEntryKind = (typeof REGISTER_ENTRY_KINDS)[number];

/**
 * A report's status. `lost_stolen` is a customer's own report (a portal ticket in category
 * lost/stolen: the customer did not say which); agents say `lost` or `stolen`, and `recovered`
 * when the phone is back with its owner or the report was a mistake (it clears the IMEI).
 */
export const REGISTER_REPORT_STATUSES = ["lost", "stolen", "lost_stolen", "recovered"] as const;
export type RegisterReportStatus = (typeof REGISTER_REPORT_STATUSES)[number];

/** What an agent may record by hand (a customer's report comes from their ticket). */
export const AGENT_REPORT_STATUSES = ["lost", "stolen", "recovered"] as const;
export type AgentReportStatus = (typeof AGENT_REPORT_STATUSES)[number];

/** The external services an agent checks an IMEI with (restricted online services). */
export const REGISTER_CHECK_SERVICES = [
  "ctia_stolen_phone_checker",
  "gsma_device_check",
  "other",
] as const;
export type RegisterCheckService = (typeof REGISTER_CHECK_SERVICES)[number];

/** What an external check answered. */
export const REGISTER_CHECK_RESULTS = ["clear", "flagged", "inconclusive"] as const;
export type RegisterCheckResult = (typeof REGISTER_CHECK_RESULTS)[number];

/** Who wrote an entry. */
export const REGISTER_SOURCES = ["customer", "agent"] as const;
export type RegisterSource = (typeof REGISTER_SOURCES)[number];

/** An IMEI's standing on the register. */
export const REGISTER_STATUSES = ["none", "flagged", "clear"] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

export const REGISTER_REPORT_LABELS: Record<RegisterReportStatus, string> = {
  lost: "Reported lost",
  stolen: "Reported stolen",
  lost_stolen: "Reported lost or stolen by the customer",
  recovered: "Recovered / cleared",
};

export const REGISTER_SERVICE_LABELS: Record<RegisterCheckService, string> = {
  ctia_stolen_phone_checker: "CTIA Stolen Phone Checker",
  gsma_device_check: "GSMA Device Check",
  other: "Other service",
};

export const REGISTER_RESULT_LABELS: Record<RegisterCheckResult, string> = {
  clear: "Clear",
  flagged: "Flagged (blocked or reported)",
  inconclusive: "Inconclusive",
};

/** The fields of an entry the status is decided from. */
export interface RegisterEntryFacts {
  kind: RegisterEntryKind;
  reportStatus: RegisterReportStatus | null;
  checkResult: RegisterCheckResult | null;
  /** ISO instant; entries are compared by it (then by their order in the list). */
  createdAt: string;
}

/**
 * What one entry says of the IMEI: `flagged` (lost, stolen, or a check that found it flagged),
 * `clear` (recovered, or a clear check), or null for an inconclusive check, which says nothing
 * either way and so never clears a report (nor flags a phone).
 */
export function entryVerdict(entry: RegisterEntryFacts): Exclude<RegisterStatus, "none"> | null {
  if (entry.kind === "report") {
    return entry.reportStatus === "recovered" ? "clear" : "flagged";
  }
  switch (entry.checkResult) {
    case "flagged":
      return "flagged";
    case "clear":
      return "clear";
    case "inconclusive":
    case null:
      return null;
  }
}

/**
 * An IMEI's status: what its latest report or check says (an inconclusive check is passed
 * over), `none` when nothing decisive was ever recorded. Returns the deciding entry too.
 */
export function registerStatus<T extends RegisterEntryFacts>(
  entries: readonly T[],
): { status: RegisterStatus; decidedBy: T | null } {
  let latest: T | null = null;
  for (const entry of entries) {
    if (entryVerdict(entry) === null) {
      continue;
    }
    if (latest === null || entry.createdAt >= latest.createdAt) {
      latest = entry;
    }
  }
  return latest === null
    ? { status: "none", decidedBy: null }
    : { status: entryVerdict(latest) ?? "none", decidedBy: latest };
}

/** Where a handset change came from (the handset history's `source`). */
export const HANDSET_CHANGE_SOURCES = ["agent", "customer", "import", "system"] as const;
export type HandsetChangeSource = (typeof HANDSET_CHANGE_SOURCES)[number];
