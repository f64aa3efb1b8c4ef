import type { EntityManager } from "typeorm";
import type {
  BatchHealthDto,
  DefectRateRow,
  DefectTrendPoint,
} from "../../../../shared/contracts/http/batches";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ImportBatch } from "../batches/import-batch.entity";
import { Handset } from "../handsets/handset.entity";
import { Rma } from "../rma/rma.entity";
import { RmaTransition } from "../rma/rma-transition.entity";
import { unitsPerBatch } from "../batches/batch-units";

/** The two kinds of defect a unit can show (docs/DOMAIN.md, "Batch quality"). */
type DefectKind = "doa" | "coveredDefect";

/** A unit's first defect of one kind: which batch it is of, and the day (UTC) it was recorded. */
interface Defect {
  handsetId: string;
  batchId: string;
  day: string;
}

/** x per 100 of `units`, two decimals; 0 for no units. */
export function per100(count: number, units: number): number {
  return units === 0 ? 0 : Math.round((count * 10_000) / units) / 100;
}

/** The `n` calendar months (`YYYY-MM`) that end with the month of `today`, oldest first. */
export function lastMonths(today: string, n: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.UTC(year, month - (n - 1 - i), 1));
    return at.toISOString().slice(0, 7);
  });
}

/**
 * Batch quality as a defect rate: for each batch, each distributor and all batches together, the
 * units with a DOA RMA and the units with an RMA that reached covered defect, per 100 units of
 * the batch (its handsets), and the same month by month. Every figure is counted here from plain
 * rows, so SQLite and PostgreSQL give the same numbers.
 */
export class DefectRatesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * @param since only defects recorded on or after this day (YYYY-MM-DD) count
   * @param months how many calendar months the trend spans, ending with the current one
   */
  async report(options: { since?: string; months?: number } = {}): Promise<BatchHealthDto> {
    const since = options.since ?? null;
    const months = lastMonths(this.clock.today(), options.months ?? 12);
    return this.db.read(async (em) => {
      const batches = await em.getRepository(ImportBatch).find({
        relations: { distributor: true, variant: { model: true } },
      });
      const units = await unitsPerBatch(em);
      const defects = {
        doa: firstPerUnit(await doaDefects(em), since),
        coveredDefect: firstPerUnit(await coveredDefects(em), since),
      };

      const rowOf = (batchIds: ReadonlySet<string>): DefectRateRow => {
        const unitCount = [...batchIds].reduce((n, id) => n + (units.get(id) ?? 0), 0);
        const mine = (kind: DefectKind) => defects[kind].filter((d) => batchIds.has(d.batchId));
        const doa = mine("doa");
        const covered = mine("coveredDefect");
        const defective = new Set([...doa, ...covered].map((d) => d.handsetId)).size;
        const inMonth = (list: Defect[], month: string) =>
          list.filter((d) => d.day.startsWith(month)).length;
        const trend = months.map((month): DefectTrendPoint => {
          const doaN = inMonth(doa, month);
          const coveredN = inMonth(covered, month);
          return {
            month,
            doa: doaN,
            coveredDefect: coveredN,
            doaPer100: per100(doaN, unitCount),
            coveredDefectPer100: per100(coveredN, unitCount),
          };
        });
        return {
          units: unitCount,
          doa: doa.length,
          coveredDefect: covered.length,
          defective,
          doaPer100: per100(doa.length, unitCount),
          coveredDefectPer100: per100(covered.length, unitCount),
          defectivePer100: per100(defective, unitCount),
          trend,
        };
      };

      const worstFirst = (a: DefectRateRow, b: DefectRateRow) =>
        b.defectivePer100 - a.defectivePer100 || b.defective - a.defective;
      const batchRows = batches
        .map((batch) => ({
          id: batch.id,
          reference: batch.reference,
          distributor: batch.distributor
            ? { id: batch.distributor.id, name: batch.distributor.name }
            : null,
          variant: batch.variant
            ? [batch.variant.model?.brand, batch.variant.model?.name, batch.variant.name]
                .filter((part) => part !== undefined && part !== "")
                .join(" ")
            : null,
          receivedOn: batch.receivedOn,
          ...rowOf(new Set([batch.id])),
        }))
        .sort((a, b) => worstFirst(a, b) || a.reference.localeCompare(b.reference));

      const byDistributor = new Map<string | null, { name: string; ids: Set<string> }>();
      for (const batch of batches) {
        const key = batch.distributorId;
        const entry = byDistributor.get(key) ?? {
          name: batch.distributor?.name ?? "No distributor",
          ids: new Set<string>(),
        };
        entry.ids.add(batch.id);
        byDistributor.set(key, entry);
      }
      const distributorRows = [...byDistributor.entries()]
        .map(([id, { name, ids }]) => ({ id, name, batches: ids.size, ...rowOf(ids) }))
        .sort((a, b) => worstFirst(a, b) || a.name.localeCompare(b.name));

      return {
        since,
        months,
        overall: rowOf(new Set(batches.map((batch) => batch.id))),
        batches: batchRows,
        distributors: distributorRows,
      };
    });
  }
}

type DefectRow = { handsetId: string; batchId: string; at: Date | string };

function toDefects(rows: DefectRow[]): Defect[] {
  return rows.map((row) => ({
    handsetId: row.handsetId,
    batchId: row.batchId,
    day: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString().slice(0, 10),
  }));
}

/** Every DOA RMA (type doa_advance_replacement) on a unit of a batch, when it was opened. */
async function doaDefects(em: EntityManager): Promise<Defect[]> {
  const rows = await em
    .getRepository(Rma)
    .createQueryBuilder("r")
    .innerJoin(Handset, "h", 'h.id = r."handsetId"')
    .select('r."handsetId"', "handsetId")
    .addSelect('h."batchId"', "batchId")
    .addSelect('r."createdAt"', "at")
    .where('h."batchId" IS NOT NULL')
    .andWhere("r.type = :type", { type: "doa_advance_replacement" })
    .getRawMany<DefectRow>();
  return toDefects(rows);
}

/** Every move of an RMA on a unit of a batch into covered_defect, when it was made. */
async function coveredDefects(em: EntityManager): Promise<Defect[]> {
  const rows = await em
    .getRepository(RmaTransition)
    .createQueryBuilder("t")
    .innerJoin(Rma, "r", 'r.id = t."rmaId"')
    .innerJoin(Handset, "h", 'h.id = r."handsetId"')
    .select('r."handsetId"', "handsetId")
    .addSelect('h."batchId"', "batchId")
    .addSelect('t."createdAt"', "at")
    .where('h."batchId" IS NOT NULL')
    .andWhere('t."toState" = :state', { state: "covered_defect" })
    .getRawMany<DefectRow>();
  return toDefects(rows);
}

/** Each unit once: its first defect on or after `since` (all of them without). */
function firstPerUnit(defects: Defect[], since: string | null): Defect[] {
  const first = new Map<string, Defect>();
  for (const defect of defects) {
    if (since !== null && defect.day < since) {
      continue;
    }
    const seen = first.get(defect.handsetId);
    if (seen === undefined || defect.day < seen.day) {
      first.set(defect.handsetId, defect);
    }
  }
  return [...first.values()];
}
