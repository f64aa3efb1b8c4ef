import type { WarrantySource } from "../../../../shared/domain/enums";
import type { CsvUnit } from "./handset-csv";
import type { ImportBatch } from "./import-batch.entity";

/** What a unit's handset records about its warranty once imported. */
export interface UnitWarranty {
  warrantySource: WarrantySource;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  doaDeadline: string | null;
  /** Where the terms came from: the line's own columns, the batch's terms, or nowhere. */
  from: "file" | "batch" | "none";
}

function parts(day: string): [number, number, number] {
  const [year, month, date] = day.split("-").map(Number);
  return [year, month, date];
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `day` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = parts(day);
  return format(new Date(Date.UTC(year, month - 1, date + days)));
}

/**
 * The last covered day of a warranty of `months` months starting on `start`: the day before the
 * same date `months` later (a start on the 31st ends before the last day of the shorter month).
 */
export function lastDayOfWarranty(start: string, months: number): string {
  const [year, month, date] = parts(start);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const monthLength = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(date, monthLength));
  return addDays(format(target), -1);
}

/** The day a batch's warranty starts for units imported on `today`, or null without terms. */
export function batchWarrantyStart(batch: ImportBatch, today: string): string | null {
  if (batch.warrantyMonths === null && (batch.doaDays ?? 0) === 0) {
    return null;
  }
  return batch.warrantyStartRule === "date" ? batch.warrantyStartOn : today;
}

/**
 * A unit's warranty: the line's own columns first (source, start, end, DOA deadline), each
 * missing one filled from the batch's terms; with no warranty column on the line, the batch's
 * terms (months from the start, a DOA window of `doaDays` days including the start day); with
 * neither, the carrier's warranty with no dates (pending until an agent records them).
 */
export function unitWarranty(unit: CsvUnit, batch: ImportBatch, today: string): UnitWarranty {
  const fromLine =
    unit.warrantySource !== null ||
    unit.warrantyStart !== null ||
    unit.warrantyEnd !== null ||
    unit.doaDeadline !== null;
  const batchStart = batchWarrantyStart(batch, today);
  const start = unit.warrantyStart ?? batchStart;
  const months = batch.warrantyMonths;
  const doaDays = batch.doaDays ?? 0;
  const source = unit.warrantySource ?? "carrier";
  if (source === "none") {
    return {
      warrantySource: "none",
      warrantyStart: null,
      warrantyEnd: null,
      doaDeadline: null,
      from: "file",
    };
  }
  const end =
    unit.warrantyEnd ??
    (start !== null && months !== null ? lastDayOfWarranty(start, months) : null);
  const doa =
    unit.doaDeadline ?? (start !== null && doaDays > 0 ? addDays(start, doaDays - 1) : null);
  const from = fromLine ? "file" : batchStart !== null ? "batch" : "none";
  return { warrantySource: source, warrantyStart: start, warrantyEnd: end, doaDeadline: doa, from };
}
