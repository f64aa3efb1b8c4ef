import { Table } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../migration-types";

/** Server-side sessions of agents (express-session through our own TypeORM store). */
export class Sessions1764000000001 implements MigrationInterface {
  name = "Sessions1764000000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "sessions",
        columns: [
          { name: "id", type: "varchar", length: "64", isPrimary: true },
          c.ref("agentId", true),
          c.text("data"),
          c.timestamp("expiresAt"),
        ],
        indices: [
          { name: "IDX_sessions_agent", columnNames: ["agentId"] },
          { name: "IDX_sessions_expires", columnNames: ["expiresAt"] },
        ],
        foreignKeys: [
          {
            name: "FK_sessions_agent",
            columnNames: ["agentId"],
            referencedTableName: "agents",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("sessions");
  }
}
