import { randomUUID } from "node:crypto";
import { In, IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  BatchDto,
  BatchHealthDto,
  CreateBatchInput,
  CreateDistributorInput,
  DistributorDto,
  HealthCell,
  ImportDuplicateDto,
  ImportReportDto,
  UpdateBatchInput,
} from "../../../../shared/contracts/http/batches";
import { CATEGORIES } from "../../../../shared/domain/enums";
import type { Category } from "../../../../shared/domain/enums";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { insertMany } from "../../db/rows";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { Handset } from "../handsets/handset.entity";
import { countHandsetsOfBatch } from "../handsets/handsets.repository";
import { recordHandsetChanges } from "../handsets/handset-history.repository";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { Distributor } from "./distributor.entity";
import { CsvFileError, identifierKeys, parseHandsetCsv, withoutKnown } from "./handset-csv";
import type { CsvUnit } from "./handset-csv";
import { ImportBatch } from "./import-batch.entity";

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

function per100(tickets: number, units: number): number {
  return units === 0 ? 0 : Math.round((tickets * 10_000) / units) / 100;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * Distributors, import batches (shipments) and the import of a distributor's CSV of IMEIs into a
 * batch, plus batch health: tickets per 100 units, so a bad shipment stands out.
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
      const known = await knownIdentifiers(em, parsed.units, (done, total) =>
        progress({ phase: "checking", done, total }),
      );
      const { fresh, duplicates: inDatabase } = withoutKnown(parsed.units, known);
      const duplicates: ImportDuplicateDto[] = [...parsed.duplicates, ...inDatabase].sort(
        (a, b) => a.line - b.line,
      );
      const rejected = parsed.invalid.length > 0 && (options.invalid ?? "reject") === "reject";
      const report = (status: ImportReportDto["status"], units: number, identifiers: number) => ({
        batchId: batch.id,
        reference: batch.reference,
        status,
        dryRun,
        rows: parsed.rows,
        imported: { units, identifiers },
        duplicates: {
          inFile: parsed.duplicateUnits,
          inDatabase: parsed.units.length - fresh.length,
          items: duplicates.slice(0, listLimit),
        },
        invalid: { count: parsed.invalid.length, items: parsed.invalid.slice(0, listLimit) },
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
      const identifiers = await writeUnits(em, batch, fresh, now, (done) =>
        progress({ phase: "writing", done, total: fresh.length }),
      );
      return report("imported", fresh.length, identifiers);
    };
    return this.db.transaction(importAll, { deadlineMs: IMPORT_DEADLINE_MS });
  }

  /**
   * Tickets per 100 units by batch and by category (tickets opened since `since`, when given):
   * a shipment with far more tickets per unit than the others stands out.
   */
  async health(since?: string): Promise<BatchHealthDto> {
    return this.db.read(async (em) => {
      const batches = await em.getRepository(ImportBatch).find({
        relations: { distributor: true, variant: { model: true } },
      });
      const units = await unitsPerBatch(em);
      const query = em
        .createQueryBuilder()
        .select('h."batchId"', "batchId")
        .addSelect("t.category", "category")
        .addSelect("COUNT(*)", "n")
        .from("tickets", "t")
        .innerJoin("handsets", "h", 'h.id = t."handsetId"')
        .where('h."batchId" IS NOT NULL')
        .groupBy('h."batchId"')
        .addGroupBy("t.category");
      if (since !== undefined) {
        query.andWhere('t."createdAt" >= :since', {
          since: this.db.dateParam(new Date(`${since}T00:00:00.000Z`)),
        });
      }
      const rows = await query.getRawMany<{
        batchId: string;
        category: Category;
        n: string | number;
      }>();
      const cells = new Map<string, Map<Category, number>>();
      for (const row of rows) {
        const byCategory = cells.get(row.batchId) ?? new Map<Category, number>();
        byCategory.set(row.category, Number(row.n));
        cells.set(row.batchId, byCategory);
      }
      const totalUnits = batches.reduce((n, batch) => n + (units.get(batch.id) ?? 0), 0);
      const overallByCategory = new Map<Category, number>();
      const presented = batches.map((batch) => {
        const batchUnits = units.get(batch.id) ?? 0;
        const byCategory = cells.get(batch.id) ?? new Map<Category, number>();
        let tickets = 0;
        const list: HealthCell[] = [];
        for (const category of CATEGORIES) {
          const n = byCategory.get(category) ?? 0;
          if (n > 0) {
            list.push({ category, tickets: n, per100: per100(n, batchUnits) });
            overallByCategory.set(category, (overallByCategory.get(category) ?? 0) + n);
            tickets += n;
          }
        }
        return {
          id: batch.id,
          reference: batch.reference,
          distributor: batch.distributor?.name ?? null,
          variant: batch.variant
            ? `${batch.variant.model?.brand ?? ""} ${batch.variant.model?.name ?? ""} ${batch.variant.name}`.trim()
            : null,
          receivedOn: batch.receivedOn,
          units: batchUnits,
          tickets,
          per100: per100(tickets, batchUnits),
          byCategory: list,
        };
      });
      presented.sort((a, b) => b.per100 - a.per100 || a.reference.localeCompare(b.reference));
      const totalTickets = presented.reduce((n, batch) => n + batch.tickets, 0);
      return {
        since: since ?? null,
        overall: {
          units: totalUnits,
          tickets: totalTickets,
          per100: per100(totalTickets, totalUnits),
        },
        byCategory: CATEGORIES.flatMap((category) => {
          const n = overallByCategory.get(category) ?? 0;
          return n > 0 ? [{ category, tickets: n, per100: per100(n, totalUnits) }] : [];
        }),
        batches: presented,
      };
    });
  }
}

/** An import refused as a whole (invalid rows, reject mode); it carries the full report. */
export class ImportRejected extends ValidationError {
  constructor(readonly report: ImportReportDto) {
    super(
      `${report.invalid.count} of ${report.rows} rows are invalid; nothing was imported ` +
        "(fix the file, or import with invalid=skip)",
      report.invalid.items.map((issue) => ({ path: `line ${issue.line}`, message: issue.message })),
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
  now: Date,
  progress: (done: number) => void,
): Promise<number> {
  const brand = batch.variant?.model?.brand ?? null;
  const model = batch.variant?.model?.name ?? null;
  let written = 0;
  let identifiers = 0;
  for (const chunk of chunks(units, HANDSET_CHUNK)) {
    const handsets = chunk.map((unit): { unit: CsvUnit; row: Handset } => ({
      unit,
      row: Object.assign(new Handset(), {
        id: randomUUID(),
        customerId: null,
        brand,
        model,
        purchaseDate: null,
        warrantySource: "carrier",
        warrantyStart: null,
        warrantyEnd: null,
        doaDeadline: null,
        voidReason: null,
        variantId: batch.variantId,
        batchId: batch.id,
        createdAt: now,
        updatedAt: now,
      } satisfies Omit<Handset, "customer" | "variant" | "batch" | "identifiers">),
    }));
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

async function unitsPerBatch(em: EntityManager): Promise<Map<string, number>> {
  const rows = await em
    .getRepository(Handset)
    .createQueryBuilder("h")
    .select('h."batchId"', "batchId")
    .addSelect("COUNT(*)", "n")
    .where('h."batchId" IS NOT NULL')
    .groupBy('h."batchId"')
    .getRawMany<{ batchId: string; n: string | number }>();
  return new Map(rows.map((row) => [row.batchId, Number(row.n)]));
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
  if (problems.length > 0) {
    throw new ValidationError("The request is not valid", problems);
  }
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
    units,
    createdAt: batch.createdAt.toISOString(),
    updatedAt: batch.updatedAt.toISOString(),
  };
}
