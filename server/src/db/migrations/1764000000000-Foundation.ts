import { Table, TableForeignKey, TableIndex } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes, oneOf } from "../migration-types";

// The wire values as they were when this migration was written. A migration never changes: a
// later addition to a list ships with its own migration that replaces the CHECK.
const ACTOR_TYPES = ["customer", "agent", "system"];
const CATEGORIES = [
  "network",
  "no_service",
  "volte_wifi_calling",
  "sms_mms_data",
  "google_services_rom",
  "software_update",
  "hardware_defect",
  "doa",
  "warranty_claim",
  "rma_status",
  "shipping_customs",
  "accessories",
  "billing",
  "lost_stolen",
  "authenticity",
  "other",
];
const IDENTIFIER_KINDS = ["imei", "serial"];
const IDENTIFIER_SOURCES = ["customer", "agent", "distributor", "device"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const ROLES = ["admin", "agent"];
const TICKET_EVENT_TYPES = [
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
const TICKET_STATUSES = [
  "new",
  "open",
  "pending_customer",
  "pending_internal",
  "pending_distributor",
  "resolved",
  "closed",
];
const VOID_REASONS = [
  "physical_damage",
  "liquid_damage",
  "tampering",
  "unofficial_rom",
  "bootloader_unlocked",
  "imei_mismatch",
  "counterfeit",
  "no_proof_of_purchase",
];
const WARRANTY_SOURCES = ["carrier", "none"];

/**
 * Customers, handsets with their identifiers and warranty, agents, tickets and their history.
 * Enum lists are copied into CHECK constraints as they were then (above).
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = "Foundation1764000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: "counters",
        columns: [
          { name: "name", type: "varchar", length: "32", isPrimary: true },
          c.integer("value"),
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO "counters" ("name", "value") VALUES ('ticket_number', 1000)`,
    );

    await queryRunner.createTable(
      new Table({
        name: "customers",
        columns: [
          c.id(),
          c.varchar("email", 254),
          c.varchar("name", 120),
          c.varchar("phone", 32, true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "UQ_customers_email", columnNames: ["email"], isUnique: true }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "agents",
        columns: [
          c.id(),
          c.varchar("email", 254),
          c.varchar("name", 120),
          c.varchar("role", 16),
          c.varchar("passwordHash", 255),
          c.boolean("disabled", false),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "UQ_agents_email", columnNames: ["email"], isUnique: true }],
        checks: [{ name: "CHK_agents_role", expression: oneOf("role", ROLES) }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "handsets",
        columns: [
          c.id(),
          c.ref("customerId", true),
          c.varchar("brand", 60, true),
          c.varchar("model", 120, true),
          c.date("purchaseDate"),
          c.varchar("warrantySource", 16),
          c.date("warrantyStart"),
          c.date("warrantyEnd"),
          c.date("doaDeadline"),
          c.varchar("voidReason", 32, true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "IDX_handsets_customer", columnNames: ["customerId"] }],
        foreignKeys: [
          {
            name: "FK_handsets_customer",
            columnNames: ["customerId"],
            referencedTableName: "customers",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
        checks: [
          {
            name: "CHK_handsets_warranty_source",
            expression: oneOf("warrantySource", WARRANTY_SOURCES),
          },
          { name: "CHK_handsets_void_reason", expression: oneOf("voidReason", VOID_REASONS, true) },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "handset_identifiers",
        columns: [
          c.id(),
          c.ref("handsetId"),
          c.varchar("kind", 16),
          c.varchar("value", 64),
          c.integer("slot", true),
          c.varchar("source", 16),
          c.varchar("softwareVersion", 2, true),
          c.timestamp("createdAt"),
        ],
        indices: [
          {
            name: "UQ_handset_identifiers_kind_value",
            columnNames: ["kind", "value"],
            isUnique: true,
          },
          { name: "IDX_handset_identifiers_handset", columnNames: ["handsetId"] },
        ],
        foreignKeys: [
          {
            name: "FK_handset_identifiers_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [
          { name: "CHK_handset_identifiers_kind", expression: oneOf("kind", IDENTIFIER_KINDS) },
          {
            name: "CHK_handset_identifiers_source",
            expression: oneOf("source", IDENTIFIER_SOURCES),
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "tickets",
        columns: [
          c.id(),
          c.integer("number"),
          c.varchar("subject", 200),
          c.text("description"),
          c.varchar("category", 32),
          c.varchar("priority", 16),
          c.varchar("status", 32),
          c.varchar("channel", 16),
          c.ref("customerId"),
          c.ref("handsetId", true),
          c.ref("assigneeId", true),
          c.varchar("accessTokenHash", 64, true),
          c.text("flags"),
          c.integer("lastEventSeq"),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
          c.timestamp("slaDueAt", true),
          c.timestamp("resolvedAt", true),
        ],
        indices: [
          { name: "UQ_tickets_number", columnNames: ["number"], isUnique: true },
          { name: "UQ_tickets_access_token", columnNames: ["accessTokenHash"], isUnique: true },
          { name: "IDX_tickets_status_updated", columnNames: ["status", "updatedAt", "id"] },
          { name: "IDX_tickets_updated", columnNames: ["updatedAt", "id"] },
          { name: "IDX_tickets_assignee_updated", columnNames: ["assigneeId", "updatedAt", "id"] },
          { name: "IDX_tickets_customer", columnNames: ["customerId"] },
          { name: "IDX_tickets_handset", columnNames: ["handsetId"] },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "FK_tickets_customer",
            columnNames: ["customerId"],
            referencedTableName: "customers",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
          new TableForeignKey({
            name: "FK_tickets_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
          new TableForeignKey({
            name: "FK_tickets_assignee",
            columnNames: ["assigneeId"],
            referencedTableName: "agents",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          }),
        ],
        checks: [
          { name: "CHK_tickets_status", expression: oneOf("status", TICKET_STATUSES) },
          { name: "CHK_tickets_priority", expression: oneOf("priority", PRIORITIES) },
          { name: "CHK_tickets_category", expression: oneOf("category", CATEGORIES) },
          { name: "CHK_tickets_channel", expression: oneOf("channel", ["portal", "agent"]) },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "ticket_events",
        columns: [
          c.id(),
          c.ref("ticketId"),
          c.integer("seq"),
          c.varchar("type", 32),
          c.boolean("public"),
          c.varchar("actorType", 16),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.text("body", true),
          c.text("changes", true),
          c.timestamp("createdAt"),
        ],
        indices: [
          new TableIndex({
            name: "UQ_ticket_events_ticket_seq",
            columnNames: ["ticketId", "seq"],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          {
            name: "FK_ticket_events_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [
          { name: "CHK_ticket_events_type", expression: oneOf("type", TICKET_EVENT_TYPES) },
          { name: "CHK_ticket_events_actor_type", expression: oneOf("actorType", ACTOR_TYPES) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "ticket_events",
      "tickets",
      "handset_identifiers",
      "handsets",
      "agents",
      "customers",
      "counters",
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
