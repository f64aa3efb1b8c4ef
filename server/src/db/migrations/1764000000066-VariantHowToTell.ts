import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * How an agent tells a variant apart from the model's other variants with the phone or its box
 * in hand (the box label, Settings > About phone): the handset panel shows it beside each
 * variant the TAC could be. A TAC names a model, not a variant, so this is what settles it.
 *
 * A plain `ALTER TABLE ... ADD COLUMN` on both engines (nullable: a variant from before has no
 * such text until an admin writes it). The two seeded Redmi Note 3 variants differ by their
 * chipset, which Settings > About phone names, so they get that text.
 */
export class VariantHowToTell1764000000066 implements MigrationInterface {
  name = "VariantHowToTell1764000000066";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "device_variants" ADD COLUMN "howToTell" text`);
    const seeded: [string, string][] = [
      [
        "de51ce00-0000-4000-8000-000000000201",
        "Settings > About phone > Processor: Qualcomm Snapdragon 650 (hexa-core).",
      ],
      [
        "de51ce00-0000-4000-8000-000000000202",
        "Settings > About phone > Processor: MediaTek Helio X10 (octa-core).",
      ],
    ];
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    for (const [id, text] of seeded) {
      await queryRunner.query(
        postgres
          ? `UPDATE "device_variants" SET "howToTell" = $1 WHERE "id" = $2 AND "howToTell" IS NULL`
          : `UPDATE "device_variants" SET "howToTell" = ? WHERE "id" = ? AND "howToTell" IS NULL`,
        [text, id],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "device_variants" DROP COLUMN "howToTell"`);
  }
}
