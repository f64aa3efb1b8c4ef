import { randomUUID } from "node:crypto";
import { Table, TableIndex } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";
import { columnTypes, oneOf } from "../migration-types";

// The wire values as they were when this migration was written (see Foundation).
const PRIORITIES = ["low", "normal", "high", "urgent"];
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
const CLOCK_STATES = ["running", "paused", "met", "stopped"];

/** The policies a new desk starts with: office hours in New York, tighter targets up the scale. */
const OFFICE = { start: "09:00", end: "17:00" };
const DEFAULT_HOURS = {
  timeZone: "America/New_York",
  week: [OFFICE, OFFICE, OFFICE, OFFICE, OFFICE, null, null],
};
const DEFAULTS: [string, string, number, number][] = [
  ["urgent", "Urgent", 60, 8 * 60],
  ["high", "High", 4 * 60, 3 * 8 * 60],
  ["normal", "Normal", 8 * 60, 5 * 8 * 60],
  ["low", "Low", 2 * 8 * 60, 10 * 8 * 60],
];

/**
 * SLA policies (targets per priority, optionally per category, with business hours and the
 * statuses that pause the clock), each ticket's computed clocks, and an index for the queue's
 * "soonest due" order on tickets.slaDueAt (a column Foundation already has).
 */
export class SlaPolicies1764000000030 implements MigrationInterface {
  name = "SlaPolicies1764000000030";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "sla_policies",
        columns: [
          c.id(),
          c.varchar("name", 80),
          c.varchar("priority", 16),
          c.varchar("category", 32, true),
          c.integer("firstResponseMinutes", true),
          c.integer("resolutionMinutes", true),
          c.text("businessHours"),
          c.text("pauseStatuses"),
          c.ref("updatedById", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        checks: [
          { name: "CHK_sla_policies_priority", expression: oneOf("priority", PRIORITIES) },
          {
            name: "CHK_sla_policies_category",
            expression: oneOf("category", CATEGORIES, true),
          },
          {
            name: "CHK_sla_policies_targets",
            expression:
              `("firstResponseMinutes" IS NOT NULL OR "resolutionMinutes" IS NOT NULL) AND ` +
              `("firstResponseMinutes" IS NULL OR "firstResponseMinutes" > 0) AND ` +
              `("resolutionMinutes" IS NULL OR "resolutionMinutes" > 0)`,
          },
        ],
      }),
    );
    // One policy per priority and category, "any category" included: NULLs are distinct in a
    // plain unique index, so the index is on the category with NULL folded to ''.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sla_policies_scope" ON "sla_policies" ("priority", COALESCE("category", ''))`,
    );

    await queryRunner.createTable(
      new Table({
        name: "ticket_sla",
        columns: [
          { ...c.ref("ticketId"), isPrimary: true },
          c.ref("policyId", true),
          c.varchar("firstResponseState", 16, true),
          c.integer("firstResponseTargetMinutes", true),
          c.timestamp("firstResponseDueAt", true),
          c.timestamp("firstResponseAt", true),
          c.bigint("firstResponseRemainingMs", true),
          c.timestamp("firstResponseBreachedAt", true),
          c.varchar("resolutionState", 16, true),
          c.integer("resolutionTargetMinutes", true),
          c.timestamp("resolutionDueAt", true),
          c.timestamp("resolutionAt", true),
          c.bigint("resolutionRemainingMs", true),
          c.timestamp("resolutionBreachedAt", true),
          c.timestamp("pausedSince", true),
          c.timestamp("computedAt"),
        ],
        indices: [
          {
            name: "IDX_ticket_sla_first_due",
            columnNames: ["firstResponseState", "firstResponseDueAt"],
          },
          {
            name: "IDX_ticket_sla_resolution_due",
            columnNames: ["resolutionState", "resolutionDueAt"],
          },
          { name: "IDX_ticket_sla_policy", columnNames: ["policyId"] },
        ],
        foreignKeys: [
          {
            name: "FK_ticket_sla_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_ticket_sla_policy",
            columnNames: ["policyId"],
            referencedTableName: "sla_policies",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
        checks: [
          {
            name: "CHK_ticket_sla_first_state",
            expression: oneOf("firstResponseState", CLOCK_STATES, true),
          },
          {
            name: "CHK_ticket_sla_resolution_state",
            expression: oneOf("resolutionState", CLOCK_STATES, true),
          },
        ],
      }),
    );

    await queryRunner.createIndex(
      "tickets",
      new TableIndex({ name: "IDX_tickets_sla_due", columnNames: ["slaDueAt", "id"] }),
    );

    const postgres = queryRunner.connection.driver.options.type === "postgres";
    const now = postgres
      ? new Date()
      : (DateUtils.mixedDateToUtcDatetimeString(new Date()) as string);
    const p = (i: number) => (postgres ? `$${i}` : "?");
    for (const [priority, name, firstResponse, resolution] of DEFAULTS) {
      await queryRunner.query(
        `INSERT INTO "sla_policies" ("id", "name", "priority", "category", "firstResponseMinutes", ` +
          `"resolutionMinutes", "businessHours", "pauseStatuses", "updatedById", "createdAt", ` +
          `"updatedAt") VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(p).join(", ")})`,
        [
          randomUUID(),
          name,
          priority,
          null,
          firstResponse,
          resolution,
          JSON.stringify(DEFAULT_HOURS),
          JSON.stringify(["pending_customer", "pending_distributor"]),
          null,
          now,
          now,
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("tickets", "IDX_tickets_sla_due");
    await queryRunner.dropTable("ticket_sla");
    await queryRunner.dropTable("sla_policies");
  }
}
