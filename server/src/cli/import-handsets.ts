import "reflect-metadata";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import type { ImportReportDto } from "../../../shared/contracts/http/batches";
import { systemClock } from "../clock";
import { ConfigError, parseConfig } from "../config/config";
import { Database } from "../db/database";
import { AppError } from "../errors/app-error";
import { BatchesService, ImportRejected } from "../modules/batches/batches.service";
import type { ImportProgress } from "../modules/batches/batches.service";
import { runCommand } from "./run-command";

/**
 * `npm run import:handsets -- FILE --batch REF [--dry-run] [--skip-invalid]`: imports a
 * distributor's CSV of IMEIs (a header naming imei or imei1, optionally imei2, serial, variant,
 * rom region, warranty source/start/end, doa deadline) into an existing batch of the database
 * DATABASE_URL names, through the same BatchesService.importCsv as the API: each IMEI's TAC is
 * checked against the catalogue and the batch's model. All or nothing: a file with invalid rows
 * is refused whole unless --skip-invalid; duplicates are skipped and listed. A progress bar shows on
 * stderr when it is a terminal; the summary goes to stdout.
 *
 * Exit codes: 0 imported (or checked, with --dry-run), 1 refused or failed, 64 bad usage,
 * 78 bad configuration.
 */

const USAGE =
  "usage: npm run import:handsets -- FILE --batch REFERENCE [--dry-run] [--skip-invalid]\n" +
  "  FILE            the distributor's CSV: header imei (or imei1), optionally imei2, serial,\n" +
  "                  variant, rom region, warranty source, warranty start, warranty end,\n" +
  "                  doa deadline (dates YYYY-MM-DD)\n" +
  "  --batch REF     the batch to import into (create it in the console first)\n" +
  "  --dry-run       check the file against the database, write nothing\n" +
  "  --skip-invalid  import the valid rows of a file that has invalid ones\n";

const LIST_LIMIT = 20;

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);
const count = (n: number) => n.toLocaleString("en-US");

/** The closing summary of an import, as lines. */
export function summarise(report: ImportReportDto): string[] {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const lines: string[] = [];
  const units = `${count(report.imported.units)} units (${count(report.imported.identifiers)} identifiers)`;
  if (report.status === "imported") {
    lines.push(`Imported ${units} into batch ${report.reference} in ${seconds} s.`);
  } else if (report.status === "dry_run") {
    lines.push(`Dry run: would import ${units} into batch ${report.reference}; nothing written.`);
  } else {
    lines.push(`Refused: nothing was imported into batch ${report.reference}.`);
  }
  lines.push(`Rows read: ${count(report.rows)}.`);
  const dupes = report.duplicates;
  lines.push(
    `Duplicates skipped: ${count(dupes.inFile + dupes.inDatabase)} units ` +
      `(${count(dupes.inFile)} within the file, ${count(dupes.inDatabase)} already on record).`,
  );
  for (const item of dupes.items.slice(0, LIST_LIMIT)) {
    const what = `${item.kind === "imei" ? "IMEI" : "serial"} ${item.value}`;
    lines.push(
      item.where === "file"
        ? `  line ${item.line}: ${what} repeats line ${item.firstLine}`
        : `  line ${item.line}: ${what} is already on a handset`,
    );
  }
  const moreDupes = dupes.items.length - Math.min(LIST_LIMIT, dupes.items.length);
  if (moreDupes > 0) {
    const cut = dupes.items.length >= report.listLimit ? "+" : "";
    lines.push(`  ... and ${count(moreDupes)}${cut} more`);
  }
  if (report.status !== "rejected") {
    const w = report.warranty;
    lines.push(
      `Warranty: ${count(w.fromFile)} from the file's columns, ${count(w.fromBatch)} from the ` +
        `batch's terms, ${count(w.pending)} pending (no dates).`,
    );
  }
  lines.push(`Invalid rows: ${count(report.invalid.count)}.`);
  for (const item of report.invalid.items.slice(0, LIST_LIMIT)) {
    lines.push(`  line ${item.line}: [${item.code}] ${item.message}`);
  }
  const listedLines = new Set(report.invalid.items.slice(0, LIST_LIMIT).map((item) => item.line));
  const moreInvalid = report.invalid.count - listedLines.size;
  if (moreInvalid > 0) {
    lines.push(`  ... and ${count(moreInvalid)} more lines`);
  }
  if (report.status === "rejected") {
    lines.push("Fix the invalid rows, or run again with --skip-invalid to import the others.");
  }
  return lines;
}

/** A progress bar on stderr (cli-progress draws nothing when stderr is not a terminal). */
function progressBar(): { update(p: ImportProgress): void; stop(): void } {
  const bar = new SingleBar(
    {
      format: "{phase} [{bar}] {percentage}% | {value}/{total}",
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let phase: ImportProgress["phase"] | null = null;
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase !== null) {
          bar.stop();
        }
        phase = p.phase;
        bar.start(p.total, p.done, { phase: p.phase === "checking" ? "checking" : "writing " });
      } else {
        bar.update(p.done);
      }
    },
    stop() {
      if (phase !== null) {
        bar.stop();
      }
    },
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        batch: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        "skip-invalid": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 64;
  }
  if (args.values.help) {
    out(USAGE);
    return 0;
  }
  const file = args.positionals[0];
  const reference = args.values.batch;
  if (file === undefined || args.positionals.length > 1 || reference === undefined) {
    err(USAGE);
    return 64;
  }
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    err(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 78;
    }
    throw error;
  }
  const db = new Database(config.database);
  await db.open();
  const bar = progressBar();
  try {
    const service = new BatchesService(db, systemClock());
    const batch = await service.findByReference(reference.trim());
    if (batch === null) {
      err(`There is no batch ${reference}: create it first (console, or POST /api/batches).`);
      return 1;
    }
    const report = await service.importCsv(batch.id, text, {
      dryRun: args.values["dry-run"],
      invalid: args.values["skip-invalid"] ? "skip" : "reject",
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    summarise(report).forEach(out);
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof ImportRejected) {
      summarise(error.report).forEach(out);
      return 1;
    }
    if (error instanceof AppError) {
      err(`Import failed, nothing was imported: ${error.message}`);
      for (const detail of error.details ?? []) {
        err(`  ${detail.path}: ${detail.message}`);
      }
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

runCommand(module, main, "Import failed, nothing was imported");
