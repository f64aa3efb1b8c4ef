import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Who a ticket is from, as given on it, apart from the customer record its email found: anyone
 * can type anyone's address, so the record's name is not the writer's. And whether a customer's
 * email address is verified (nothing verifies one yet: every address is unverified).
 *
 * Plain `ALTER TABLE ... ADD/DROP COLUMN` on both engines: on SQLite TypeORM's addColumn and
 * dropColumn copy the table, which would drop the tickets search triggers with it. The new
 * columns are nullable: a ticket from before keeps null (the customer's name and phone then).
 */
export class TicketContact1764000000041 implements MigrationInterface {
  name = "TicketContact1764000000041";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp =
      queryRunner.connection.driver.options.type === "postgres" ? "timestamptz" : "datetime";
    await queryRunner.query(`ALTER TABLE "tickets" ADD COLUMN "contactName" varchar(120)`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD COLUMN "contactPhone" varchar(32)`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "emailVerifiedAt" ${timestamp}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "emailVerifiedAt"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "contactPhone"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "contactName"`);
  }
}
