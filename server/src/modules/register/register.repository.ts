import { randomUUID } from "node:crypto";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import { registerStatus } from "../../../../shared/domain/register";
import type { RegisterStatus } from "../../../../shared/domain/register";
import { insertStatement } from "../../db/rows";
import type { Statement } from "../../db/rows";
import { RegisterEntry } from "./register-entry.entity";

/** An entry as the status rule reads it (createdAt as an ISO instant). */
function facts(entry: RegisterEntry) {
  return {
    kind: entry.kind,
    reportStatus: entry.reportStatus,
    checkResult: entry.checkResult,
    createdAt: entry.createdAt.toISOString(),
    entry,
  };
}

/** Every entry of some IMEIs, oldest first. */
export function entriesOfImeis(
  em: EntityManager,
  imeis: readonly string[],
): Promise<RegisterEntry[]> {
  if (imeis.length === 0) {
    return Promise.resolve([]);
  }
  return em
    .getRepository(RegisterEntry)
    .find({ where: { imei: In([...imeis]) }, order: { createdAt: "ASC", id: "ASC" } });
}

/** An IMEI's status from its entries, and the entry that decides it. */
export function statusOf(entries: readonly RegisterEntry[]): {
  status: RegisterStatus;
  decidedBy: RegisterEntry | null;
} {
  const decided = registerStatus(entries.map(facts));
  return { status: decided.status, decidedBy: decided.decidedBy?.entry ?? null };
}

/**
 * The entry that decides an IMEI's status (its latest report or decisive check), or null: one
 * look-up on the (imei, createdAt) index, for opening a ticket and opening an RMA.
 */
export async function decidingEntry(
  em: EntityManager,
  imei: string,
): Promise<RegisterEntry | null> {
  return em
    .getRepository(RegisterEntry)
    .createQueryBuilder("r")
    .where("r.imei = :imei", { imei })
    .andWhere(`NOT (r.kind = 'check' AND r."checkResult" = 'inconclusive')`)
    .orderBy("r.createdAt", "DESC")
    .addOrderBy("r.id", "DESC")
    .limit(1)
    .getOne();
}

/** Whether an entry deciding an IMEI's status says it is lost, stolen or flagged. */
export function isFlagging(entry: RegisterEntry | null): entry is RegisterEntry {
  return entry !== null && statusOf([entry]).status === "flagged";
}

/** A customer's report from the ticket they opened in category lost/stolen, as a statement. */
export function customerReportStatement(
  em: EntityManager,
  report: {
    imei: string;
    handsetId: string;
    ticketId: string;
    ticketNumber: number;
    customerId: string;
  },
  now: Date,
): Statement {
  return insertStatement(
    em,
    RegisterEntry,
    Object.assign(new RegisterEntry(), {
      id: randomUUID(),
      imei: report.imei,
      handsetId: report.handsetId,
      kind: "report",
      reportStatus: "lost_stolen",
      checkService: null,
      checkResult: null,
      reference: null,
      note: null,
      ticketId: report.ticketId,
      ticketNumber: report.ticketNumber,
      source: "customer",
      actorId: report.customerId,
      actorName: null,
      createdAt: now,
    } satisfies RegisterEntry),
  );
}
