import type { EntityManager } from "typeorm";
import { Handset } from "../handsets/handset.entity";

/** How many handsets each import batch holds, by batch id (batches with none are absent). */
export async function unitsPerBatch(em: EntityManager): Promise<Map<string, number>> {
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
