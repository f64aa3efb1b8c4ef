import { Table, TableCheck } from "typeorm";
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
  "rated",
  "link_revoked",
  "rma_opened",
  "rma_state_changed",
  "rma_updated",
  "sla_breached",
];
const EVENT_TYPES_AFTER = [...EVENT_TYPES_BEFORE, "email_failed"];

async function eventTypes(queryRunner: QueryRunner, types: string[]): Promise<void> {
  await queryRunner.dropCheckConstraint("ticket_events", "CHK_ticket_events_type");
  await queryRunner.createCheckConstraint(
    "ticket_events",
    new TableCheck({ name: "CHK_ticket_events_type", expression: oneOf("type", types) }),
  );
}

/**
 * Email delivery (docs/ARCHITECTURE.md, "Email"): the outbox learns its delivery state (queued,
 * sent, failed), its attempts, its lease (which process is sending a row, and until when), the
 * Message-ID it is sent under (fixed at the first attempt, so a retry is the same message) and the
 * ticket link sealed (encrypted) instead of written into the body; a ticket's history records a
 * message that could not be delivered. Customers get a mark for an
 * address that bounced; arrived mail is remembered by its Message-ID so a redelivery is taken once.
 *
 * Plain `ALTER TABLE ... ADD COLUMN` on both engines (TypeORM's addColumn copies a SQLite table).
 * Rows queued before keep their body; the delivery worker seals their link when it starts.
 */
export class EmailDelivery1764000000070 implements MigrationInterface {
  name = "EmailDelivery1764000000070";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    const timestamp = postgres ? "timestamptz" : "datetime";
    const c = columnTypes(queryRunner);
    const add = (column: string) => queryRunner.query(`ALTER TABLE "outbox" ADD COLUMN ${column}`);
    await add(`"state" varchar(16) NOT NULL DEFAULT 'queued'`);
    await add(`"attempts" integer NOT NULL DEFAULT 0`);
    await add(`"nextAttemptAt" ${timestamp}`);
    await add(`"leaseOwner" varchar(64)`);
    await add(`"leaseUntil" ${timestamp}`);
    await add(`"messageId" varchar(255)`);
    await add(`"sealedLink" text`);
    await add(`"lastError" varchar(500)`);
    await add(`"updatedAt" ${timestamp}`);
    await queryRunner.query(`UPDATE "outbox" SET "state" = 'sent' WHERE "sentAt" IS NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_due" ON "outbox" ("state", "nextAttemptAt", "createdAt")`,
    );
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "emailBouncedAt" ${timestamp}`);
    await eventTypes(queryRunner, EVENT_TYPES_AFTER);
    await queryRunner.createTable(
      new Table({
        name: "mail_receipts",
        columns: [
          { ...c.varchar("messageId", 255), isPrimary: true },
          c.varchar("outcome", 32),
          c.ref("ticketId", true),
          c.timestamp("receivedAt"),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "mail_suppressions",
        columns: [c.id("ticketId"), c.timestamp("createdAt")],
        foreignKeys: [
          {
            name: "FK_mail_suppressions_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("mail_suppressions");
    await queryRunner.dropTable("mail_receipts");
    await queryRunner.query(`DELETE FROM "ticket_events" WHERE "type" = 'email_failed'`);
    await eventTypes(queryRunner, EVENT_TYPES_BEFORE);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "emailBouncedAt"`);
    await queryRunner.query(`DROP INDEX "IDX_outbox_due"`);
    for (const column of [
      "updatedAt",
      "lastError",
      "sealedLink",
      "messageId",
      "leaseUntil",
      "leaseOwner",
      "nextAttemptAt",
      "attempts",
      "state",
    ]) {
      await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "${column}"`);
    }
  }
}
