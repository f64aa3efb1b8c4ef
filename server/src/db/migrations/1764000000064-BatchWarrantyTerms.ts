import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Warranty terms per import batch (months of carrier warranty, days of the DOA window, and when
 * the warranty starts: the import day or a given date), applied to its units on import; and the
 * ROM region of a handset, which a distributor's sheet may give per unit.
 *
 * Plain `ALTER TABLE ... ADD COLUMN` on both engines (TypeORM's addColumn copies the table on
 * SQLite). Every column is nullable: a batch from before has no terms, a handset no ROM region.
 */
export class BatchWarrantyTerms1764000000064 implements MigrationInterface {
  name = "BatchWarrantyTerms1764000000064";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batches" ADD COLUMN "warrantyMonths" integer`);
    await queryRunner.query(`ALTER TABLE "import_batches" ADD COLUMN "doaDays" integer`);
    await queryRunner.query(
      `ALTER TABLE "import_batches" ADD COLUMN "warrantyStartRule" varchar(16)`,
    );
    await queryRunner.query(`ALTER TABLE "import_batches" ADD COLUMN "warrantyStartOn" date`);
    await queryRunner.query(`ALTER TABLE "handsets" ADD COLUMN "romRegion" varchar(32)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "handsets" DROP COLUMN "romRegion"`);
    await queryRunner.query(`ALTER TABLE "import_batches" DROP COLUMN "warrantyStartOn"`);
    await queryRunner.query(`ALTER TABLE "import_batches" DROP COLUMN "warrantyStartRule"`);
    await queryRunner.query(`ALTER TABLE "import_batches" DROP COLUMN "doaDays"`);
    await queryRunner.query(`ALTER TABLE "import_batches" DROP COLUMN "warrantyMonths"`);
  }
}
