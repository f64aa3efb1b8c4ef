import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";

/** One model named by a type allocation code (the first 8 digits of an IMEI). */
export interface TacEntry {
  tac: string;
  brand: string;
  model: string;
  /** Other names of the same model; a TAC names a model, never its variant. */
  aka: string[];
  source: "osmocom";
}

type CsvRow = Record<string, string | undefined>;

interface CsvRecordWithInfo {
  record: CsvRow;
  info: { lines: number };
}

const TAC_PATTERN = /^[0-9]{8}$/;
const COMMENT_LINE = /^\s*#/;

/**
 * The bundled subset of the Osmocom TAC database (CC-BY-SA 3.0): read once at boot, then looked up
 * in memory. Agent-added TACs live in the database, not here; this file stays a separate data file
 * that keeps its attribution.
 */
export class TacCatalog {
  /** The file's comment lines (licence and attribution), without the leading "# ", one per line. */
  readonly attribution: string;

  private readonly entries: ReadonlyMap<string, TacEntry>;

  private constructor(entries: ReadonlyMap<string, TacEntry>, attribution: string) {
    this.entries = entries;
    this.attribution = attribution;
  }

  /**
   * Parses the CSV text (`tac,brand,model,aka`, `#` comment lines, aka separated by `|`).
   * @throws Error naming the line of a TAC that is not exactly 8 ASCII digits, of a row without a
   *   brand or model, or of a TAC listed twice.
   */
  static fromCsv(text: string): TacCatalog {
    // comment_no_infix: only whole lines are comments, so a "#" inside a model name survives.
    const records: CsvRecordWithInfo[] = parse(text, {
      columns: true,
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    });

    const entries = new Map<string, TacEntry>();
    const lineOf = new Map<string, number>();
    for (const { record, info } of records) {
      const line = info.lines;
      const tac = record.tac ?? "";
      if (!TAC_PATTERN.test(tac)) {
        throw new Error(`TAC catalog line ${line}: TAC must be exactly 8 digits 0-9`);
      }
      const brand = record.brand ?? "";
      const model = record.model ?? "";
      if (brand === "" || model === "") {
        throw new Error(`TAC catalog line ${line}: brand and model are required`);
      }
      const previous = lineOf.get(tac);
      if (previous !== undefined) {
        throw new Error(
          `TAC catalog line ${line}: TAC ${tac} is already listed on line ${previous}`,
        );
      }
      const aka = (record.aka ?? "")
        .split("|")
        .map((name) => name.trim())
        .filter((name) => name !== "");
      lineOf.set(tac, line);
      entries.set(
        tac,
        Object.freeze({
          tac,
          brand,
          model,
          aka: Object.freeze(aka) as string[],
          source: "osmocom",
        }),
      );
    }

    const attribution = text
      .split(/\r?\n/)
      .filter((line) => COMMENT_LINE.test(line))
      .map((line) => line.replace(/^\s*# ?/, "").trimEnd())
      .join("\n");
    return new TacCatalog(entries, attribution);
  }

  /**
   * Reads and parses a catalog file (synchronously: it is read once at boot).
   * @throws Error naming the file and line of an invalid row.
   */
  static load(filePath: string): TacCatalog {
    const text = readFileSync(filePath, "utf8");
    try {
      return TacCatalog.fromCsv(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`${filePath}: ${detail}`, { cause: error });
    }
  }

  /** The entry for an 8-digit TAC; entries are frozen. */
  lookup(tac: string): TacEntry | undefined {
    return this.entries.get(tac);
  }

  /** Every entry, in file order (to bring the bundled TACs into the database). */
  all(): TacEntry[] {
    return [...this.entries.values()];
  }

  /** Number of TACs in the catalog. */
  get size(): number {
    return this.entries.size;
  }
}

function isGreydeskPackage(packageJsonPath: string): boolean {
  const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, "utf8"));
  return (
    typeof parsed === "object" && parsed !== null && "name" in parsed && parsed.name === "greydesk"
  );
}

/**
 * Path of the bundled `server/data/tac-osmocom.csv`, found by walking up from this file to the
 * directory whose `package.json` is named "greydesk" and that holds the data file. Works from
 * `server/src/...` (ts-node) and from `dist/server/src/...` (compiled).
 * @param from directory to start from; defaults to this module's directory.
 * @throws Error if no such directory exists above `from`.
 */
export function defaultTacCsvPath(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const packageJson = join(dir, "package.json");
    const csv = join(dir, "server", "data", "tac-osmocom.csv");
    if (existsSync(packageJson) && isGreydeskPackage(packageJson) && existsSync(csv)) {
      return csv;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`server/data/tac-osmocom.csv not found above ${from}`);
    }
    dir = parent;
  }
}
