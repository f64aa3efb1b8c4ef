import { Table } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../migration-types";

/**
 * The audit of customer erasures: who erased which customer record, when and why, and how much
 * went. It names the customer by id only (the record is kept, anonymised, so its tickets still
 * count), never by anything erased.
 */
export class CustomerErasures1764000000120 implements MigrationInterface {
  name = "CustomerErasures1764000000120";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "customer_erasures",
        columns: [
          c.id(),
          c.ref("customerId"),
          c.ref("actorId", true),
          c.varchar("actorName", 120),
          c.text("reason"),
          c.text("counts"),
          c.timestamp("erasedAt"),
        ],
        indices: [
          { name: "UQ_customer_erasures_customer", columnNames: ["customerId"], isUnique: true },
        ],
        foreignKeys: [
          {
            name: "FK_customer_erasures_customer",
            columnNames: ["customerId"],
            referencedTableName: "customers",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("customer_erasures");
  }
}
