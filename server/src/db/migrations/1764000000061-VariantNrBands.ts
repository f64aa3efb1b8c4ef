import type { MigrationInterface, QueryRunner } from "typeorm";

/** The seeded variants whose band lists are known: phones of 2015-2016, none of them has 5G. */
const SEEDED_WITHOUT_5G = [
  "de51ce00-0000-4000-8000-000000000101", // Xiaomi Mi 5, China
  "de51ce00-0000-4000-8000-000000000201", // Redmi Note 3, Snapdragon (kenzo)
  "de51ce00-0000-4000-8000-000000000301", // MI 4W, 3G
];

/**
 * A variant's 5G NR bands (null = unknown, as for the other band lists), so that a verdict can
 * say whether the phone gets 5G. The seeded 2015-2016 phones with known bands get "none"; the
 * rest stay unknown until an admin fills them. A plain `ADD COLUMN` (no table copy on SQLite).
 */
export class VariantNrBands1764000000061 implements MigrationInterface {
  name = "VariantNrBands1764000000061";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "device_variants" ADD COLUMN "nrBands" text`);
    const ids = SEEDED_WITHOUT_5G.map((id) => `'${id}'`).join(", ");
    await queryRunner.query(
      `UPDATE "device_variants" SET "nrBands" = '[]' ` +
        `WHERE "id" IN (${ids}) AND "lteBands" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A plain DROP COLUMN on both (SQLite has it since 3.35): a table copy would drop the old
    // table under the foreign keys of handsets, TACs and certifications, which are on during a
    // migration's transaction, and so cascade.
    await queryRunner.query(`ALTER TABLE "device_variants" DROP COLUMN "nrBands"`);
  }
}
