import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Finding tickets by their handset's declared model (`q=Redmi`): an index on the lower-cased
 * model, for a prefix range (PostgreSQL: text_pattern_ops, so LIKE 'prefix%' uses it whatever
 * the collation) and for the exact names the catalogue's models give. The variant, catalogue
 * model and batch reference are found in their own small tables, then their handsets by the
 * existing variant and batch indexes: nothing is added to the tickets' full-text index, so
 * opening a ticket writes no more than before.
 */
export class HandsetSearch1764000000063 implements MigrationInterface {
  name = "HandsetSearch1764000000063";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    await queryRunner.query(
      `CREATE INDEX "IDX_handsets_model_lower" ON "handsets" ` +
        (postgres ? `(LOWER("model") text_pattern_ops)` : `(LOWER("model"))`),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_handsets_model_lower"`);
  }
}
