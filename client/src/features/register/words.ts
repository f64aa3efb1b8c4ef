import type { RegisterEntryDto } from "../../../../shared/contracts/http/register";
import type { HandsetChangeSource, RegisterStatus } from "../../../../shared/domain/register";
import {
  REGISTER_REPORT_LABELS,
  REGISTER_RESULT_LABELS,
  REGISTER_SERVICE_LABELS,
} from "../../../../shared/domain/register";

/** An IMEI's standing, for its badge. */
export const REGISTER_STATUS_LABELS: Record<RegisterStatus, string> = {
  none: "Not on the register",
  flagged: "Flagged: lost or stolen",
  clear: "Cleared",
};

/** What an entry says, in a few words. */
export function entryTitle(entry: RegisterEntryDto): string {
  if (entry.kind === "report") {
    return REGISTER_REPORT_LABELS[entry.reportStatus ?? "lost_stolen"];
  }
  const service = REGISTER_SERVICE_LABELS[entry.checkService ?? "other"];
  return `${service}: ${REGISTER_RESULT_LABELS[entry.checkResult ?? "inconclusive"].toLowerCase()}`;
}

/** Who wrote an entry. */
export function entryAuthor(entry: RegisterEntryDto): string {
  if (entry.source === "customer") {
    return entry.ticket === null ? "The customer" : `The customer, on ${entry.ticket.number}`;
  }
  return entry.actor.name ?? "An agent";
}

/** Whether an entry flags, clears or says nothing (an inconclusive check). */
export function entryTone(entry: RegisterEntryDto): "flagged" | "clear" | "neutral" {
  if (entry.kind === "report") {
    return entry.reportStatus === "recovered" ? "clear" : "flagged";
  }
  return entry.checkResult === "flagged"
    ? "flagged"
    : entry.checkResult === "clear"
      ? "clear"
      : "neutral";
}

/** How the handset history names the fields it records. */
export const HISTORY_FIELD_LABELS: Record<string, string> = {
  warrantySource: "Warranty source",
  warrantyStart: "Warranty start",
  warrantyEnd: "Warranty end",
  doaDeadline: "DOA deadline",
  voidReason: "Void reason",
  brand: "Brand",
  model: "Model",
  purchaseDate: "Purchase date",
  variantId: "Variant",
  batchId: "Import batch",
  customerId: "Owner",
  identifier: "Identifier",
  register: "Lost/stolen register",
  replacedBy: "Replaced by",
  replaces: "Replaces",
};

export const CHANGE_SOURCE_LABELS: Record<HandsetChangeSource, string> = {
  agent: "Agent",
  customer: "Customer",
  import: "Import",
  system: "Greydesk",
};
