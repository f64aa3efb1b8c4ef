import { Table, TableCheck, TableColumn } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes, oneOf } from "../migration-types";

const EVENT_TYPES_BEFORE = [
  "created",
  "message",
  "note",
  "status_changed",
  "priority_changed",
  "category_changed",
  "assignee_changed",
  "warranty_changed",
  "handset_changed",
];
const EVENT_TYPES_AFTER = [...EVENT_TYPES_BEFORE, "rated", "link_revoked"];

/**
 * The customer portal's needs: attachments (rows pointing at blobs in the data folder), the
 * outbox of messages to customers (the ticket link, until email delivery exists), and the
 * satisfaction rating on tickets with its event types.
 */
export class PortalAttachments1764000000020 implements MigrationInterface {
  name = "PortalAttachments1764000000020";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "attachments",
        columns: [
          c.id(),
          c.ref("ticketId"),
          c.ref("eventId"),
          c.integer("position"),
          c.varchar("storageKey", 64),
          c.varchar("filename", 255),
          c.varchar("contentType", 100),
          c.integer("size"),
          c.varchar("sha256", 64),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "IDX_attachments_ticket", columnNames: ["ticketId"] },
          { name: "IDX_attachments_event", columnNames: ["eventId"] },
          { name: "UQ_attachments_storage_key", columnNames: ["storageKey"], isUnique: true },
        ],
        foreignKeys: [
          {
            name: "FK_attachments_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_attachments_event",
            columnNames: ["eventId"],
            referencedTableName: "ticket_events",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "outbox",
        columns: [
          c.id(),
          c.varchar("kind", 32),
          c.ref("ticketId", true),
          c.varchar("recipient", 254),
          c.varchar("subject", 200),
          c.text("body"),
          c.timestamp("createdAt"),
          c.timestamp("sentAt", true),
        ],
        indices: [
          { name: "IDX_outbox_unsent", columnNames: ["sentAt", "createdAt"] },
          { name: "IDX_outbox_ticket", columnNames: ["ticketId"] },
        ],
        foreignKeys: [
          {
            name: "FK_outbox_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );

    await queryRunner.addColumns("tickets", [
      new TableColumn(c.varchar("satisfaction", 8, true)),
      new TableColumn(c.text("satisfactionComment", true)),
      new TableColumn(c.timestamp("ratedAt", true)),
    ]);

    await queryRunner.dropCheckConstraint("ticket_events", "CHK_ticket_events_type");
    await queryRunner.createCheckConstraint(
      "ticket_events",
      new TableCheck({
        name: "CHK_ticket_events_type",
        expression: oneOf("type", EVENT_TYPES_AFTER),
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropCheckConstraint("ticket_events", "CHK_ticket_events_type");
    await queryRunner.createCheckConstraint(
      "ticket_events",
      new TableCheck({
        name: "CHK_ticket_events_type",
        expression: oneOf("type", EVENT_TYPES_BEFORE),
      }),
    );
    await queryRunner.dropColumns("tickets", ["satisfaction", "satisfactionComment", "ratedAt"]);
    await queryRunner.dropTable("outbox");
    await queryRunner.dropTable("attachments");
  }
}
