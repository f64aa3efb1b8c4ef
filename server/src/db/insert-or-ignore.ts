import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";

/**
 * Inserts a row unless it clashes with a unique key, and says whether it was inserted, in one
 * round trip on PostgreSQL (ON CONFLICT DO NOTHING RETURNING) and two cheap ones on SQLite
 * (INSERT OR IGNORE, then changes()). Lets find-or-create skip re-reading what it just wrote.
 */
export async function insertOrIgnore<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  values: QueryDeepPartialEntity<T>,
): Promise<boolean> {
  const insert = em.createQueryBuilder().insert().into(target).values(values).orIgnore();
  if (em.connection.driver.options.type === "postgres") {
    const result = await insert.returning(`"id"`).execute();
    return Array.isArray(result.raw) && result.raw.length > 0;
  }
  await insert.execute();
  const rows: { changed: number }[] = await em.query("SELECT changes() AS changed");
  return Number(rows[0]?.changed) > 0;
}
