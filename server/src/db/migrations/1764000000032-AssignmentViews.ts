import { Table } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../migration-types";

/**
 * Round-robin assignment (each agent's place in the rotation, from a desk-wide counter) and
 * every agent's saved queue views.
 */
export class AssignmentViews1764000000032 implements MigrationInterface {
  name = "AssignmentViews1764000000032";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.query(`INSERT INTO "counters" ("name", "value") VALUES ('round_robin', 0)`);

    await queryRunner.createTable(
      new Table({
        name: "agent_rotation",
        columns: [
          { ...c.ref("agentId"), isPrimary: true },
          c.integer("lastTurn"),
          c.integer("turns"),
          c.timestamp("updatedAt"),
        ],
        foreignKeys: [
          {
            name: "FK_agent_rotation_agent",
            columnNames: ["agentId"],
            referencedTableName: "agents",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "saved_views",
        columns: [
          c.id(),
          c.ref("agentId"),
          c.varchar("name", 60),
          c.text("filters"),
          c.integer("position"),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "IDX_saved_views_agent", columnNames: ["agentId", "position"] }],
        foreignKeys: [
          {
            name: "FK_saved_views_agent",
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
    await queryRunner.dropTable("saved_views");
    await queryRunner.dropTable("agent_rotation");
    await queryRunner.query(`DELETE FROM "counters" WHERE "name" = 'round_robin'`);
  }
}
