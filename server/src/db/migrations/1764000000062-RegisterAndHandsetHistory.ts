import { Table, TableCheck } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import {
  HANDSET_CHANGE_SOURCES,
  REGISTER_CHECK_RESULTS,
  REGISTER_CHECK_SERVICES,
  REGISTER_ENTRY_KINDS,
  REGISTER_REPORT_STATUSES,
  REGISTER_SOURCES,
} from "../../../../shared/domain/register";
import { columnTypes, oneOf } from "../migration-types";

/**
 * The lost/stolen register (register_entries: customers' reports, agents' entries, logged
 * external checks) and the handset history (handset_changes: every change of a handset's
 * record, whatever the state of its tickets). Both are append-only.
 */
export class RegisterAndHandsetHistory1764000000062 implements MigrationInterface {
  name = "RegisterAndHandsetHistory1764000000062";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "register_entries",
        columns: [
          c.id(),
          c.varchar("imei", 15),
          c.ref("handsetId", true),
          c.varchar("kind", 8),
          c.varchar("reportStatus", 16, true),
          c.varchar("checkService", 32, true),
          c.varchar("checkResult", 16, true),
          c.varchar("reference", 120, true),
          c.text("note", true),
          c.ref("ticketId", true),
          c.integer("ticketNumber", true),
          c.varchar("source", 8),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "IDX_register_entries_imei", columnNames: ["imei", "createdAt"] },
          { name: "IDX_register_entries_handset", columnNames: ["handsetId"] },
        ],
        checks: [
          new TableCheck({
            name: "CHK_register_entries_kind",
            expression: oneOf("kind", REGISTER_ENTRY_KINDS),
          }),
          new TableCheck({
            name: "CHK_register_entries_report",
            expression: oneOf("reportStatus", REGISTER_REPORT_STATUSES, true),
          }),
          new TableCheck({
            name: "CHK_register_entries_service",
            expression: oneOf("checkService", REGISTER_CHECK_SERVICES, true),
          }),
          new TableCheck({
            name: "CHK_register_entries_result",
            expression: oneOf("checkResult", REGISTER_CHECK_RESULTS, true),
          }),
          new TableCheck({
            name: "CHK_register_entries_source",
            expression: oneOf("source", REGISTER_SOURCES),
          }),
          // A report has a status and nothing of a check; a check a service and a result.
          new TableCheck({
            name: "CHK_register_entries_shape",
            expression:
              `("kind" = 'report' AND "reportStatus" IS NOT NULL AND "checkService" IS NULL ` +
              `AND "checkResult" IS NULL) OR ("kind" = 'check' AND "reportStatus" IS NULL ` +
              `AND "checkService" IS NOT NULL AND "checkResult" IS NOT NULL)`,
          }),
        ],
        foreignKeys: [
          {
            name: "FK_register_entries_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
          {
            name: "FK_register_entries_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "handset_changes",
        columns: [
          c.id(),
          c.ref("handsetId"),
          c.varchar("field", 32),
          c.text("fromValue", true),
          c.text("toValue", true),
          c.varchar("source", 8),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.varchar("context", 200, true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "IDX_handset_changes_handset", columnNames: ["handsetId", "createdAt", "id"] },
        ],
        checks: [
          new TableCheck({
            name: "CHK_handset_changes_source",
            expression: oneOf("source", HANDSET_CHANGE_SOURCES),
          }),
        ],
        foreignKeys: [
          {
            name: "FK_handset_changes_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("handset_changes");
    await queryRunner.dropTable("register_entries");
  }
}
