import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type { RegisterEntryDto, RegisterImeiDto } from "../../../../shared/contracts/http/register";
import {
  REGISTER_REPORT_LABELS,
  REGISTER_RESULT_LABELS,
  REGISTER_SERVICE_LABELS,
} from "../../../../shared/domain/register";
import { maskImei } from "../../../../shared/domain/imei";
import type { RegisterEntry } from "./register-entry.entity";
import { statusOf } from "./register.repository";

export function presentEntry(entry: RegisterEntry): RegisterEntryDto {
  return {
    id: entry.id,
    imei: entry.imei,
    handsetId: entry.handsetId,
    kind: entry.kind,
    reportStatus: entry.reportStatus,
    checkService: entry.checkService,
    checkResult: entry.checkResult,
    reference: entry.reference,
    note: entry.note,
    ticket:
      entry.ticketId === null || entry.ticketNumber === null
        ? null
        : { id: entry.ticketId, number: ticketNumberLabel(entry.ticketNumber) },
    source: entry.source,
    actor: { id: entry.actorId, name: entry.actorName },
    createdAt: entry.createdAt.toISOString(),
  };
}

/** An IMEI's register record: its entries (given oldest first) shown newest first. */
export function presentImei(
  imei: string,
  entries: readonly RegisterEntry[],
  handsetIds: readonly string[],
): RegisterImeiDto {
  const { status, decidedBy } = statusOf(entries);
  return {
    imei,
    status,
    decidedBy: decidedBy?.id ?? null,
    handsetIds: [...handsetIds],
    entries: [...entries].reverse().map(presentEntry),
  };
}

/** An entry in words: "Reported stolen by Ana Agent on 2026-12-07 (entry 1a2b...)". */
export function describeEntry(entry: RegisterEntry): string {
  const what =
    entry.kind === "report"
      ? REGISTER_REPORT_LABELS[entry.reportStatus ?? "lost_stolen"]
      : `checked with ${REGISTER_SERVICE_LABELS[entry.checkService ?? "other"]}: ` +
        REGISTER_RESULT_LABELS[entry.checkResult ?? "inconclusive"].toLowerCase();
  const who =
    entry.source === "customer"
      ? entry.ticketNumber === null
        ? "the customer"
        : `the customer (ticket ${ticketNumberLabel(entry.ticketNumber)})`
      : (entry.actorName ?? "an agent");
  const reference = entry.reference ? `, reference ${entry.reference}` : "";
  return (
    `IMEI ${maskImei(entry.imei)}: ${what}${entry.kind === "report" ? " by" : ", logged by"} ` +
    `${who} on ${entry.createdAt.toISOString().slice(0, 10)}${reference}`
  );
}
