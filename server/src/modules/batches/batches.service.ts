import { randomUUID } from "node:crypto";
import { In, IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  BatchDto,
  CreateBatchInput,
  CreateDistributorInput,
  DistributorDto,
  ImportDuplicateDto,
  ImportIssueDto,
  ImportReportDto,
  UpdateBatchInput,
} from "../../../../shared/contracts/http/batches";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { insertMany } from "../../db/rows";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import { isTestRangeTac } from "../../../../shared/domain/imei";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { TacEntry } from "../catalog/tac-entry.entity";
import { Handset } from "../handsets/handset.entity";
import { countHandsetsOfBatch } from "../handsets/handsets.repository";
import { recordHandsetChanges } from "../handsets/handset-history.repository";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { Distributor } from "./distributor.entity";
import { CsvFileError, identifierKeys, issue, parseHandsetCsv, withoutKnown } from "./handset-csv";
import type { CsvUnit } from "./handset-csv";
import { ImportBatch } from "./import-batch.entity";
import { unitWarranty } from "./warranty-terms";
import type { UnitWarranty } from "./warranty-terms";
import { unitsPerBatch } from "./batch-units";

/** Where an import is; the CLI draws its progress bar from these. */
export interface ImportProgress {
  phase: "checking" | "writing";
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Check the file against the database and write nothing. */
  dryRun?: boolean;
  /** `reject` (default): a file with invalid rows imports nothing. `skip`: import the rest. */
  invalid?: "reject" | "skip";
  onProgress?: (progress: ImportProgress) => void;
  /** How many duplicates and invalid rows the report lists (default 1000). */
  listLimit?: number;
}

/** Rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const HANDSET_CHUNK = 500;
const IDENTIFIER_CHUNK = 1000;
const LOOKUP_CHUNK = 500;
/**
 * An import is one unit of work, and a file of the most rows allowed takes about 20 s on SQLite
 * on a small machine: more than a request's deadline leaves room for.
 */
const IMPORT_DEADLINE_MS = 5 * 60_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * Distributors, import batches (shipments) and the import of a distributor's CSV of IMEIs into a
 * batch, each IMEI checked against the catalogue and the batch's model. (Batch quality, the
 * defect rate, is the quality module's: it reads RMAs, which sit above batches.)
 */
export class BatchesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async listDistributors(): Promise<DistributorDto[]> {
    const rows = await this.db.read((em) =>
      em.getRepository(Distributor).find({ order: { name: "ASC" } }),
    );
    return rows.map(presentDistributor);
  }

  async createDistributor(input: CreateDistributorInput): Promise<DistributorDto> {
    const row: Distributor = {
      id: randomUUID(),
      name: input.name,
      country: input.country ?? null,
      notes: input.notes ?? null,
      createdAt: this.clock.now(),
    };
    await this.db.transaction(async (em) => {
      if (await em.getRepository(Distributor).existsBy({ name: input.name })) {
        throw new ConflictError(`The distributor ${input.name} exists`);
      }
      await em.getRepository(Distributor).insert(row);
    });
    return presentDistributor(row);
  }

  /** Batches, newest first, with how many units each holds. */
  async list(): Promise<BatchDto[]> {
    return this.db.read(async (em) => {
      const batches = await em.getRepository(ImportBatch).find({
        relations: { distributor: true, variant: { model: true } },
        order: { createdAt: "DESC", id: "ASC" },
      });
      const units = await unitsPerBatch(em);
      return batches.map((batch) => presentBatch(batch, units.get(batch.id) ?? 0));
    });
  }

  async get(id: string): Promise<BatchDto> {
    return this.db.read(async (em) => {
      const batch = await findBatch(em, { id });
      if (batch === null) {
        throw new NotFoundError("Batch");
      }
      const units = await countHandsetsOfBatch(em, id);
      return presentBatch(batch, units);
    });
  }

  /** The batch with this reference, or null. */
  async findByReference(reference: string): Promise<BatchDto | null> {
    return this.db.read(async (em) => {
      const batch = await findBatch(em, { reference });
      return batch === null ? null : presentBatch(batch, await countHandsetsOfBatch(em, batch.id));
    });
  }

  async create(input: CreateBatchInput): Promise<BatchDto> {
    const now = this.clock.now();
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      if (await em.getRepository(ImportBatch).existsBy({ reference: input.reference })) {
        throw new ConflictError(`A batch with the reference ${input.reference} exists`);
      }
      const row: ImportBatch = {
        id,
        reference: input.reference,
        distributorId: input.distributorId ?? null,
        variantId: input.variantId ?? null,
        romRegion: input.romRegion ?? null,
        quantity: input.quantity ?? null,
        customsReference: input.customsReference ?? null,
        orderedOn: input.orderedOn ?? null,
        shippedOn: input.shippedOn ?? null,
        receivedOn: input.receivedOn ?? null,
        notes: input.notes ?? null,
        warrantyMonths: input.warrantyMonths ?? null,
        doaDays: input.doaDays ?? null,
        warrantyStartRule: input.warrantyStartRule ?? null,
        warrantyStartOn: input.warrantyStartOn ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await checkBatch(em, row);
      await em.getRepository(ImportBatch).insert(row);
    });
    return this.get(id);
  }

  /**
   * Changes a batch. A new variant is also given to the batch's handsets that had the batch's
   * old variant (the units of a shipment are one variant).
   */
  async update(id: string, input: UpdateBatchInput): Promise<BatchDto> {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const repo = em.getRepository(ImportBatch);
      const current = await repo.findOne({ where: { id }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("Batch");
      }
      const patch = Object.fromEntries(
        Object.entries(input).filter(([, value]) => value !== undefined),
      ) as Partial<ImportBatch>;
      const next = { ...current, ...patch };
      if (patch.reference !== undefined && patch.reference !== current.reference) {
        if (await repo.existsBy({ reference: patch.reference })) {
          throw new ConflictError(`A batch with the reference ${patch.reference} exists`);
        }
      }
      await checkBatch(em, next);
      await repo.update({ id }, { ...patch, updatedAt: now });
      if (patch.variantId !== undefined && patch.variantId !== current.variantId) {
        const moved = await em.getRepository(Handset).find({
          where: {
            batchId: id,
            variantId: current.variantId === null ? IsNull() : current.variantId,
          },
          select: { id: true },
        });
        await recordHandsetChanges(
          em,
          moved.map((handset) => ({
            handsetId: handset.id,
            field: "variantId",
            from: current.variantId,
            to: patch.variantId,
            context: `batch ${next.reference}: its variant changed`,
          })),
          { source: "import", actorId: null, actorName: null },
          now,
        );
        await em
          .createQueryBuilder()
          .update(Handset)
          .set({ variantId: patch.variantId, updatedAt: now })
          .where('"batchId" = :id', { id })
          .andWhere(current.variantId === null ? '"variantId" IS NULL' : '"variantId" = :old', {
            old: current.variantId,
          })
          .execute();
      }
    });
    return this.get(id);
  }

  /**
   * Imports a distributor's CSV into a batch: every valid unit not yet known becomes an owner-less
   * handset of the batch (its variant, its model's brand and name) with one IMEI per slot
   * (source `distributor`). Duplicates (in the file, or already on record) are skipped and
   * reported; invalid rows reject the whole file unless `invalid: "skip"`. All of it runs in one
   * transaction, in chunks: a failure at any point leaves nothing behind.
   * @throws ValidationError when the file cannot be read, or has invalid rows (reject mode).
   */
  async importCsv(
    batchId: string,
    file: Buffer | string,
    options: ImportOptions = {},
  ): Promise<ImportReportDto> {
    const started = Date.now();
    const listLimit = options.listLimit ?? 1000;
    const dryRun = options.dryRun ?? false;
    let parsed;
    try {
      parsed = parseHandsetCsv(file);
    } catch (error) {
      if (error instanceof CsvFileError) {
        throw new ValidationError(error.message, [
          { path: error.line === null ? "file" : `line ${error.line}`, message: error.message },
        ]);
      }
      throw error;
    }
    const progress = options.onProgress ?? (() => undefined);
    const now = this.clock.now();

    const importAll = async (em: EntityManager): Promise<ImportReportDto> => {
      // Locked (PostgreSQL) so two imports into one batch take turns; the relations are read
      // apart, since PostgreSQL does not lock the nullable side of an outer join.
      const locked = await em
        .getRepository(ImportBatch)
        .findOne({ where: { id: batchId }, ...this.db.forUpdate });
      const batch = locked === null ? null : await findBatch(em, { id: batchId });
      if (batch === null) {
        throw new NotFoundError("Batch");
      }
      const today = this.clock.today();
      const checked = await checkUnits(em, batch, parsed.units, today);
      const issues = [...parsed.invalid, ...checked.issues].sort((a, b) => a.line - b.line);
      const invalidLines = new Set(issues.map((item) => item.line)).size;
      const known = await knownIdentifiers(em, checked.units, (done, total) =>
        progress({ phase: "checking", done, total }),
      );
      const { fresh, duplicates: inDatabase } = withoutKnown(checked.units, known);
      const duplicates: ImportDuplicateDto[] = [...parsed.duplicates, ...inDatabase].sort(
        (a, b) => a.line - b.line,
      );
      const rejected = invalidLines > 0 && (options.invalid ?? "reject") === "reject";
      const resolved = fresh.map((unit) => checked.resolved.get(unit.line)!);
      const warranty = { fromFile: 0, fromBatch: 0, pending: 0 };
      for (const unit of resolved) {
        if (unit.warranty.warrantySource === "carrier" && unit.warranty.warrantyEnd === null) {
          warranty.pending += 1;
        } else if (unit.warranty.from === "file") {
          warranty.fromFile += 1;
        } else {
          warranty.fromBatch += 1;
        }
      }
      const report = (status: ImportReportDto["status"], units: number, identifiers: number) => ({
        batchId: batch.id,
        reference: batch.reference,
        status,
        dryRun,
        rows: parsed.rows,
        imported: { units, identifiers },
        duplicates: {
          inFile: parsed.duplicateUnits,
          inDatabase: checked.units.length - fresh.length,
          items: duplicates.slice(0, listLimit),
        },
        invalid: { count: invalidLines, items: issues.slice(0, listLimit) },
        warranty: status === "rejected" ? { fromFile: 0, fromBatch: 0, pending: 0 } : warranty,
        listLimit,
        durationMs: Date.now() - started,
      });
      if (rejected) {
        throw new ImportRejected(report("rejected", 0, 0));
      }
      if (dryRun) {
        const identifiers = fresh.reduce((n, unit) => n + identifierKeys(unit).length, 0);
        return report("dry_run", fresh.length, identifiers);
      }
      const identifiers = await writeUnits(em, batch, fresh, checked.resolved, now, (done) =>
        progress({ phase: "writing", done, total: fresh.length }),
      );
      return report("imported", fresh.length, identifiers);
    };
    return this.db.transaction(importAll, { deadlineMs: IMPORT_DEADLINE_MS });
  }
}

/** An import refused as a whole (invalid rows, reject mode); it carries the full report. */
export class ImportRejected extends ValidationError {
  constructor(readonly report: ImportReportDto) {
    super(
      `${report.invalid.count} of ${report.rows} rows are invalid; nothing was imported ` +
        "(fix the file, or import with skipInvalid=true)",
      report.invalid.items.map((item) => ({ path: `line ${item.line}`, message: item.message })),
    );
  }
}

/** `kind:value` of every identifier of `units` that some handset already carries. */
async function knownIdentifiers(
  em: EntityManager,
  units: readonly CsvUnit[],
  progress: (done: number, total: number) => void,
): Promise<Set<string>> {
  const byKind = new Map<"imei" | "serial", string[]>([
    ["imei", []],
    ["serial", []],
  ]);
  for (const unit of units) {
    for (const key of identifierKeys(unit)) {
      byKind.get(key.kind)!.push(key.value);
    }
  }
  const total = byKind.get("imei")!.length + byKind.get("serial")!.length;
  const known = new Set<string>();
  let done = 0;
  for (const [kind, values] of byKind) {
    for (const chunk of chunks(values, LOOKUP_CHUNK)) {
      const rows = await em
        .getRepository(HandsetIdentifier)
        .find({ where: { kind, value: In(chunk) }, select: { value: true } });
      for (const row of rows) {
        known.add(`${kind}:${row.value}`);
      }
      done += chunk.length;
      progress(done, total);
    }
  }
  return known;
}

/** Writes the units as handsets of the batch, chunked; returns how many identifiers it wrote. */
async function writeUnits(
  em: EntityManager,
  batch: ImportBatch,
  units: readonly CsvUnit[],
  resolved: ReadonlyMap<number, ResolvedUnit>,
  now: Date,
  progress: (done: number) => void,
): Promise<number> {
  let written = 0;
  let identifiers = 0;
  for (const chunk of chunks(units, HANDSET_CHUNK)) {
    const handsets = chunk.map((unit): { unit: CsvUnit; row: Handset } => {
      const facts = resolved.get(unit.line)!;
      return {
        unit,
        row: Object.assign(new Handset(), {
          id: randomUUID(),
          customerId: null,
          brand: facts.brand,
          model: facts.model,
          purchaseDate: null,
          romRegion: unit.romRegion ?? batch.romRegion,
          warrantySource: facts.warranty.warrantySource,
          warrantyStart: facts.warranty.warrantyStart,
          warrantyEnd: facts.warranty.warrantyEnd,
          doaDeadline: facts.warranty.doaDeadline,
          voidReason: null,
          variantId: facts.variantId,
          batchId: batch.id,
          createdAt: now,
          updatedAt: now,
        } satisfies Omit<Handset, "customer" | "variant" | "batch" | "identifiers">),
      };
    });
    await insertMany(
      em,
      Handset,
      handsets.map(({ row }) => row),
    );
    const identifier = (
      handsetId: string,
      kind: "imei" | "serial",
      value: string,
      slot: number | null,
      softwareVersion: string | null,
    ): HandsetIdentifier =>
      Object.assign(new HandsetIdentifier(), {
        id: randomUUID(),
        handsetId,
        kind,
        value,
        slot,
        source: "distributor",
        softwareVersion,
        createdAt: now,
      } satisfies Omit<HandsetIdentifier, "handset">);
    const rows = handsets.flatMap(({ unit, row }) => [
      ...unit.imeis.map((imei) =>
        identifier(row.id, "imei", imei.value, imei.slot, imei.softwareVersion),
      ),
      ...(unit.serial === null ? [] : [identifier(row.id, "serial", unit.serial, null, null)]),
    ]);
    for (const part of chunks(rows, IDENTIFIER_CHUNK)) {
      await insertMany(em, HandsetIdentifier, part);
    }
    identifiers += rows.length;
    written += chunk.length;
    progress(written);
  }
  return identifiers;
}

function findBatch(
  em: EntityManager,
  where: { id: string } | { reference: string },
): Promise<ImportBatch | null> {
  return em.getRepository(ImportBatch).findOne({
    where,
    relations: { distributor: true, variant: { model: true } },
  });
}

async function checkBatch(em: EntityManager, batch: ImportBatch): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  if (
    batch.distributorId !== null &&
    !(await em.getRepository(Distributor).existsBy({ id: batch.distributorId }))
  ) {
    problems.push({ path: "distributorId", message: "is not a distributor" });
  }
  if (
    batch.variantId !== null &&
    !(await em.getRepository(DeviceVariant).existsBy({ id: batch.variantId }))
  ) {
    problems.push({ path: "variantId", message: "is not a variant" });
  }
  const order = [
    ["orderedOn", batch.orderedOn],
    ["shippedOn", batch.shippedOn],
    ["receivedOn", batch.receivedOn],
  ] as const;
  for (let i = 1; i < order.length; i++) {
    const [field, date] = order[i];
    const [earlierField, earlier] = order[i - 1];
    if (date !== null && earlier !== null && date < earlier) {
      problems.push({ path: field, message: `must not be before ${earlierField}` });
    }
  }
  if (batch.warrantyStartRule === "date" && batch.warrantyStartOn === null) {
    problems.push({
      path: "warrantyStartOn",
      message: "is required when the warranty starts on a given date",
    });
  }
  if (batch.warrantyStartRule !== "date" && batch.warrantyStartOn !== null) {
    problems.push({
      path: "warrantyStartOn",
      message: "goes with warrantyStartRule date (import_date starts on the import day)",
    });
  }
  if (problems.length > 0) {
    throw new ValidationError("The request is not valid", problems);
  }
}

/** What the catalogue and the batch make of a unit that passed every check. */
interface ResolvedUnit {
  brand: string | null;
  model: string | null;
  variantId: string | null;
  warranty: UnitWarranty;
}

const WIPED_IMEI = /^0{15}$/;

/**
 * Checks each unit's IMEIs against the catalogue and the batch's model, one problem per IMEI
 * (the most telling first): all zeros (`imei_wiped`), a test-range TAC (`imei_test_range`), a TAC
 * the catalogue does not know (`tac_unknown`), a TAC of another model (`tac_other_model`; a batch
 * without a variant takes its model from the first IMEI, and the second must agree). Then the
 * line's variant, by id or name among the model's variants, and its warranty.
 */
async function checkUnits(
  em: EntityManager,
  batch: ImportBatch,
  units: readonly CsvUnit[],
  today: string,
): Promise<{ units: CsvUnit[]; issues: ImportIssueDto[]; resolved: Map<number, ResolvedUnit> }> {
  const tacs = [
    ...new Set(units.flatMap((unit) => unit.imeis.map((imei) => imei.value.slice(0, 8)))),
  ];
  const entries = new Map<string, TacEntry>();
  for (const chunk of chunks(tacs, LOOKUP_CHUNK)) {
    const rows = await em
      .getRepository(TacEntry)
      .find({ where: { tac: In(chunk) }, relations: { model: true } });
    for (const row of rows) {
      entries.set(row.tac, row);
    }
  }
  const batchModel = batch.variant?.model ?? null;
  const modelIds = batchModel
    ? [batchModel.id]
    : [...new Set([...entries.values()].map((entry) => entry.modelId))];
  const variants = new Map<string, DeviceVariant[]>();
  if (units.some((unit) => unit.variant !== null)) {
    for (const chunk of chunks(modelIds, LOOKUP_CHUNK)) {
      const rows = await em
        .getRepository(DeviceVariant)
        .find({ where: { modelId: In(chunk) }, order: { name: "ASC" } });
      for (const row of rows) {
        variants.set(row.modelId, [...(variants.get(row.modelId) ?? []), row]);
      }
    }
  }
  const name = (model: { brand: string; name: string }) => `${model.brand} ${model.name}`;

  const good: CsvUnit[] = [];
  const issues: ImportIssueDto[] = [];
  const resolved = new Map<number, ResolvedUnit>();
  for (const unit of units) {
    const problems: ImportIssueDto[] = [];
    let model = batchModel;
    for (const imei of unit.imeis) {
      const column = `imei${imei.slot}`;
      const tac = imei.value.slice(0, 8);
      const entry = entries.get(tac);
      if (WIPED_IMEI.test(imei.value)) {
        problems.push(
          issue(unit.line, "imei_wiped", `${column} is all zeros: the IMEI was wiped`, imei.value),
        );
      } else if (isTestRangeTac(tac)) {
        problems.push(
          issue(
            unit.line,
            "imei_test_range",
            `${column} ${imei.value} is in a test range (TAC ${tac}): not a sold unit`,
            imei.value,
          ),
        );
      } else if (entry === undefined || entry.model === undefined) {
        problems.push(
          issue(
            unit.line,
            "tac_unknown",
            `${column} ${imei.value}: the TAC ${tac} is not in the catalogue (add it first)`,
            imei.value,
          ),
        );
      } else if (model !== null && entry.modelId !== model.id) {
        problems.push(
          issue(
            unit.line,
            "tac_other_model",
            `${column} ${imei.value}: the TAC ${tac} is a ${name(entry.model)}, ` +
              `not a ${name(model)}${batchModel ? " (the batch's model)" : " (as imei1 says)"}`,
            imei.value,
          ),
        );
      } else {
        model = entry.model;
      }
    }
    let variantId = batch.variantId;
    if (unit.variant !== null && problems.length === 0 && model !== null) {
      const wanted = unit.variant.toLowerCase();
      const candidates = variants.get(model.id) ?? [];
      const match = candidates.find(
        (variant) => variant.id === unit.variant || variant.name.toLowerCase() === wanted,
      );
      if (match === undefined) {
        problems.push(
          issue(
            unit.line,
            "variant_unknown",
            `variant "${unit.variant}" is not a variant of the ${name(model)}` +
              (candidates.length > 0
                ? ` (its variants: ${candidates.map((variant) => variant.name).join(", ")})`
                : ""),
          ),
        );
      } else {
        variantId = match.id;
      }
    }
    const warranty = unitWarranty(unit, batch, today);
    if (
      warranty.warrantyStart !== null &&
      warranty.warrantyEnd !== null &&
      warranty.warrantyEnd < warranty.warrantyStart
    ) {
      problems.push(
        issue(unit.line, "warranty_dates", "warranty end is before the batch's warranty start"),
      );
    }
    if (problems.length > 0) {
      issues.push(...problems);
      continue;
    }
    good.push(unit);
    resolved.set(unit.line, {
      brand: model?.brand ?? null,
      model: model?.name ?? null,
      variantId,
      warranty,
    });
  }
  return { units: good, issues, resolved };
}

function presentDistributor(row: Distributor): DistributorDto {
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
  };
}

function presentBatch(batch: ImportBatch, units: number): BatchDto {
  return {
    id: batch.id,
    reference: batch.reference,
    distributor: batch.distributor
      ? { id: batch.distributor.id, name: batch.distributor.name }
      : null,
    variant: batch.variant
      ? {
          id: batch.variant.id,
          name: batch.variant.name,
          brand: batch.variant.model?.brand ?? "",
          model: batch.variant.model?.name ?? "",
        }
      : null,
    romRegion: batch.romRegion,
    quantity: batch.quantity,
    customsReference: batch.customsReference,
    orderedOn: batch.orderedOn,
    shippedOn: batch.shippedOn,
    receivedOn: batch.receivedOn,
    notes: batch.notes,
    warrantyMonths: batch.warrantyMonths,
    doaDays: batch.doaDays,
    warrantyStartRule: batch.warrantyStartRule,
    warrantyStartOn: batch.warrantyStartOn,
    units,
    createdAt: batch.createdAt.toISOString(),
    updatedAt: batch.updatedAt.toISOString(),
  };
}
