import { Table } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../migration-types";

/**
 * The customer's emailed sign-in links (docs/SECURITY.md, "Email"): only the SHA-256 of each
 * token is kept, with when it expires (15 minutes) and when it was used (once).
 */
export class SignInLinks1764000000071 implements MigrationInterface {
  name = "SignInLinks1764000000071";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "customer_sign_in_links",
        columns: [
          c.id(),
          c.ref("customerId"),
          c.varchar("tokenHash", 64),
          c.timestamp("expiresAt"),
          c.timestamp("usedAt", true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "UQ_customer_sign_in_links_token", columnNames: ["tokenHash"], isUnique: true },
          { name: "IDX_customer_sign_in_links_customer", columnNames: ["customerId"] },
        ],
        foreignKeys: [
          {
            name: "FK_customer_sign_in_links_customer",
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
    await queryRunner.dropTable("customer_sign_in_links");
  }
}
