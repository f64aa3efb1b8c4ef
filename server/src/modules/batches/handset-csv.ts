import { parse } from "csv-parse/sync";
import type { CsvError } from "csv-parse/sync";
import type {
  ImportDuplicateDto,
  ImportIssueCode,
  ImportIssueDto,
} from "../../../../shared/contracts/http/batches";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { WARRANTY_SOURCES } from "../../../../shared/domain/enums";
import type { WarrantySource } from "../../../../shared/domain/enums";
import { parseImei } from "../../../../shared/domain/imei";
import { isIsoDate } from "../../../../shared/domain/warranty";

/**
 * One unit of a distributor's sheet: one IMEI per SIM slot, maybe a serial number, and what the
 * optional columns say about it (null: the column is absent or the cell empty).
 */
export interface CsvUnit {
  /** The line of the file the unit is on (1 = the header). */
  line: number;
  imeis: { value: string; slot: 1 | 2; softwareVersion: string | null }[];
  serial: string | null;
  /** A variant of the unit's model, by name or id (checked against the catalogue later). */
  variant: string | null;
  romRegion: string | null;
  warrantySource: WarrantySource | null;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  doaDeadline: string | null;
}

/** One problem of a line. */
export function issue(
  line: number,
  code: ImportIssueCode,
  message: string,
  imei: string | null = null,
): ImportIssueDto {
  return { line, code, imei, message };
}

/** A distributor CSV read and checked on its own (the database is asked later). */
export interface ParsedHandsetCsv {
  /** Data rows read (the header and empty lines not counted). */
  rows: number;
  /** Valid units, none repeating an identifier of an earlier line. */
  units: CsvUnit[];
  /** Each problem of each invalid line, in line order. */
  invalid: ImportIssueDto[];
  /** Each repeated identifier, with the line it was first seen on. */
  duplicates: ImportDuplicateDto[];
  /** Units skipped for repeating an identifier of an earlier line. */
  duplicateUnits: number;
}

/** The file cannot be read as a distributor CSV at all (no IMEI column, broken encoding...). */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = "CsvFileError";
  }
}

type Column =
  | "imei1"
  | "imei2"
  | "serial"
  | "variant"
  | "romRegion"
  | "warrantySource"
  | "warrantyStart"
  | "warrantyEnd"
  | "doaDeadline";

/** Header names distributors use, lower-cased with spaces, dashes and underscores removed. */
const HEADERS: Record<string, Column> = {
  imei: "imei1",
  imei1: "imei1",
  imeislot1: "imei1",
  imeisim1: "imei1",
  imei2: "imei2",
  imeislot2: "imei2",
  imeisim2: "imei2",
  serial: "serial",
  serialnumber: "serial",
  serialno: "serial",
  sn: "serial",
  variant: "variant",
  variantname: "variant",
  variantid: "variant",
  edition: "variant",
  rom: "romRegion",
  romregion: "romRegion",
  romversion: "romRegion",
  warranty: "warrantySource",
  warrantysource: "warrantySource",
  warrantystart: "warrantyStart",
  warrantystarts: "warrantyStart",
  warrantyfrom: "warrantyStart",
  warrantyend: "warrantyEnd",
  warrantyends: "warrantyEnd",
  warrantyuntil: "warrantyEnd",
  warrantyto: "warrantyEnd",
  doadeadline: "doaDeadline",
  doauntil: "doaDeadline",
  doaend: "doaDeadline",
};

const DATE_COLUMNS = [
  ["warrantyStart", "warranty start"],
  ["warrantyEnd", "warranty end"],
  ["doaDeadline", "DOA deadline"],
] as const;

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

/** Header cell -> the column it names, if any. */
function columnOf(header: string): Column | undefined {
  return HEADERS[header.toLowerCase().replace(/[\s_\-.#]/g, "")];
}

/**
 * Reads a distributor's CSV of IMEIs: a header naming `imei` (or `imei1`), optionally `imei2`,
 * `serial`, `variant`, `rom region`, `warranty source` (carrier or none), `warranty start`,
 * `warranty end` and `doa deadline` (dates YYYY-MM-DD; other columns are ignored), then one unit
 * per line. Handles a UTF-8 BOM, CRLF
 * line ends and quoted fields. Each row is checked alone (IMEI format and check digit, the two
 * slots differ); an identifier already on an earlier line makes the later row a duplicate.
 * @throws CsvFileError when the file is not UTF-8 text, has no IMEI column, or too many rows.
 */
export function parseHandsetCsv(input: Buffer | string): ParsedHandsetCsv {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  if (text.includes("\u0000")) {
    throw new CsvFileError("The file is not text: it holds NUL bytes");
  }
  const invalid: ImportIssueDto[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        if (error !== undefined) {
          invalid.push(issue(lineOf(error), "unreadable", `cannot be read: ${error.message}`));
        }
      },
    }) as unknown as typeof records;
  } catch (error) {
    const csv = error as CsvError;
    throw new CsvFileError(`The file is not valid CSV: ${csv.message}`, lineOf(csv));
  }
  const header = records[0];
  if (header === undefined) {
    throw new CsvFileError("The file is empty: expected a header line naming the imei column");
  }
  const columns = header.record.map(columnOf);
  const index = (column: Column) => columns.indexOf(column);
  if (index("imei1") < 0) {
    throw new CsvFileError(
      "No IMEI column: the first line must name the columns, with imei (or imei1), " +
        "optionally imei2, serial, variant, rom region and the warranty columns",
      header.info.lines,
    );
  }
  const rows = records.length - 1;
  if (rows > CatalogLimits.importRowsMax) {
    throw new CsvFileError(
      `The file has ${rows} rows; one import takes at most ${CatalogLimits.importRowsMax}`,
    );
  }

  const units: CsvUnit[] = [];
  const duplicates: ImportDuplicateDto[] = [];
  const seen = new Map<string, number>();
  let duplicateUnits = 0;
  const cell = (record: string[], column: Column) => {
    const at = index(column);
    return at < 0 ? "" : (record[at] ?? "");
  };
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const problems: ImportIssueDto[] = [];
    const imeis: CsvUnit["imeis"] = [];
    for (const [column, slot] of [
      ["imei1", 1],
      ["imei2", 2],
    ] as const) {
      const raw = cell(record, column);
      if (raw === "") {
        if (slot === 1) {
          problems.push(issue(line, "imei_missing", "imei1 is missing"));
        }
        continue;
      }
      const parsed = parseImei(raw);
      if (!parsed.valid) {
        problems.push(issue(line, "imei_invalid", `${column}: ${parsed.message}`));
        continue;
      }
      imeis.push({ value: parsed.imei, slot, softwareVersion: parsed.softwareVersion });
    }
    if (imeis.length === 2 && imeis[0].value === imeis[1].value) {
      problems.push(issue(line, "imei_repeated", "imei2 repeats imei1", imeis[1].value));
    }
    const optional = (column: Column) => {
      const value = cell(record, column);
      return value === "" ? null : value;
    };
    const serial = optional("serial");
    if (serial !== null && !SERIAL.test(serial)) {
      problems.push(
        issue(line, "serial_invalid", "serial must be 1-64 letters, digits, . _ / or -"),
      );
    }
    const variant = optional("variant");
    const romRegion = optional("romRegion");
    if (romRegion !== null && romRegion.length > CatalogLimits.romRegionMax) {
      problems.push(
        issue(
          line,
          "rom_region_invalid",
          `rom region must be at most ${CatalogLimits.romRegionMax} characters`,
        ),
      );
    }
    const sourceRaw = optional("warrantySource")?.toLowerCase() ?? null;
    const warrantySource = WARRANTY_SOURCES.find((source) => source === sourceRaw) ?? null;
    if (sourceRaw !== null && warrantySource === null) {
      problems.push(
        issue(
          line,
          "warranty_source_invalid",
          "warranty source must be carrier (the carrier's warranty) or none (sold as-is)",
        ),
      );
    }
    const dates: Record<(typeof DATE_COLUMNS)[number][0], string | null> = {
      warrantyStart: null,
      warrantyEnd: null,
      doaDeadline: null,
    };
    for (const [column, label] of DATE_COLUMNS) {
      const value = optional(column);
      if (value !== null && !isIsoDate(value)) {
        problems.push(issue(line, "date_invalid", `${label} must be a date (YYYY-MM-DD)`));
      } else {
        dates[column] = value;
      }
    }
    if (
      dates.warrantyStart !== null &&
      dates.warrantyEnd !== null &&
      dates.warrantyEnd < dates.warrantyStart
    ) {
      problems.push(issue(line, "warranty_dates", "warranty end must not be before its start"));
    }
    if (
      dates.warrantyStart !== null &&
      dates.doaDeadline !== null &&
      dates.doaDeadline < dates.warrantyStart
    ) {
      problems.push(
        issue(line, "warranty_dates", "DOA deadline must not be before the warranty start"),
      );
    }
    if (problems.length > 0) {
      invalid.push(...problems);
      continue;
    }
    const keys = [
      ...imeis.map((imei) => ({ kind: "imei" as const, value: imei.value })),
      ...(serial === null ? [] : [{ kind: "serial" as const, value: serial }]),
    ];
    const repeats = keys.filter((key) => seen.has(`${key.kind}:${key.value}`));
    if (repeats.length > 0) {
      duplicateUnits += 1;
      for (const key of repeats) {
        duplicates.push({
          line,
          kind: key.kind,
          value: key.value,
          firstLine: seen.get(`${key.kind}:${key.value}`)!,
          where: "file",
        });
      }
      continue;
    }
    for (const key of keys) {
      seen.set(`${key.kind}:${key.value}`, line);
    }
    units.push({ line, imeis, serial, variant, romRegion, warrantySource, ...dates });
  }
  invalid.sort((a, b) => a.line - b.line);
  return { rows, units, invalid, duplicates, duplicateUnits };
}

/**
 * Splits units into those whose identifiers are all new and those with one already in the
 * database (`known` holds `kind:value` keys of identifiers on record).
 */
export function withoutKnown(
  units: readonly CsvUnit[],
  known: ReadonlySet<string>,
): { fresh: CsvUnit[]; duplicates: ImportDuplicateDto[] } {
  const fresh: CsvUnit[] = [];
  const duplicates: ImportDuplicateDto[] = [];
  for (const unit of units) {
    const keys = identifierKeys(unit);
    const clashes = keys.filter((key) => known.has(`${key.kind}:${key.value}`));
    if (clashes.length === 0) {
      fresh.push(unit);
      continue;
    }
    for (const key of clashes) {
      duplicates.push({ line: unit.line, ...key, firstLine: null, where: "database" });
    }
  }
  return { fresh, duplicates };
}

/** The identifiers of a unit, IMEIs first. */
export function identifierKeys(unit: CsvUnit): { kind: "imei" | "serial"; value: string }[] {
  return [
    ...unit.imeis.map((imei) => ({ kind: "imei" as const, value: imei.value })),
    ...(unit.serial === null ? [] : [{ kind: "serial" as const, value: unit.serial }]),
  ];
}

function decodeUtf8(buffer: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    throw new CsvFileError("The file is not UTF-8 text");
  }
}

function lineOf(error: CsvError | undefined): number {
  const lines = (error as { lines?: unknown } | undefined)?.lines;
  return typeof lines === "number" ? lines : 0;
}
