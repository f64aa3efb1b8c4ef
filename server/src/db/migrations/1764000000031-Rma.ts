import { Table } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes, oneOf } from "../migration-types";

// The wire values as they were when this migration was written (see Foundation).
const RMA_TYPES = ["doa_advance_replacement", "warranty_repair", "paid_repair", "return_refund"];
const RMA_STATES = [
  "requested",
  "approved",
  "rejected",
  "awaiting_device",
  "received",
  "diagnosed",
  "no_fault_found",
  "customer_damage",
  "quote_sent",
  "quote_accepted",
  "covered_defect",
  "sent_to_distributor",
  "customs_hold",
  "at_distributor",
  "repaired",
  "replaced",
  "denied",
  "return_shipped_to_desk",
  "qa_passed",
  "return_to_customer",
  "delivered",
  "closed",
  "refunded",
  "doa_reported",
  "advance_replacement_shipped",
  "defective_received",
  "credit_claimed",
];
const LEG_KINDS = [
  "customer_to_desk",
  "desk_to_distributor",
  "distributor_to_desk",
  "desk_to_customer",
];
const WARRANTY_STATUSES = ["doa", "covered", "not_covered", "pending"];
const ACTOR_TYPES = ["customer", "agent", "system"];

/**
 * Returns to the distributor: the RMA case of a ticket, its legs (each with courier and tracking
 * number), its moves (who, when, from, to), and the link from a replacement unit to the handset
 * it replaces. RMA numbers come from their own counter.
 */
export class Rma1764000000031 implements MigrationInterface {
  name = "Rma1764000000031";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.query(`INSERT INTO "counters" ("name", "value") VALUES ('rma_number', 5000)`);

    await queryRunner.createTable(
      new Table({
        name: "rmas",
        columns: [
          c.id(),
          c.ref("ticketId"),
          c.ref("handsetId"),
          c.ref("replacementHandsetId", true),
          c.ref("distributorId", true),
          c.integer("number", true),
          c.varchar("type", 32),
          c.varchar("state", 32),
          c.varchar("warrantyAtOpen", 16),
          c.varchar("distributorRef", 64, true),
          c.text("diagnosis", true),
          c.text("outcome", true),
          c.integer("quoteAmountMinor", true),
          c.varchar("quoteCurrency", 3, true),
          c.text("quoteDescription", true),
          c.timestamp("quoteSentAt", true),
          c.varchar("quoteDecision", 8, true),
          c.timestamp("quoteDecidedAt", true),
          c.varchar("costCurrency", 3, true),
          c.integer("distributorCostMinor", true),
          c.integer("shippingCostMinor", true),
          c.timestamp("distributorSince", true),
          c.integer("lastSeq"),
          c.ref("openedById", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [
          { name: "UQ_rmas_number", columnNames: ["number"], isUnique: true },
          { name: "IDX_rmas_ticket", columnNames: ["ticketId", "createdAt"] },
          { name: "IDX_rmas_handset", columnNames: ["handsetId"] },
          { name: "IDX_rmas_state_distributor", columnNames: ["state", "distributorSince"] },
        ],
        foreignKeys: [
          {
            name: "FK_rmas_ticket",
            columnNames: ["ticketId"],
            referencedTableName: "tickets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_rmas_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          },
          {
            name: "FK_rmas_replacement",
            columnNames: ["replacementHandsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
          {
            name: "FK_rmas_distributor",
            columnNames: ["distributorId"],
            referencedTableName: "distributors",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
        checks: [
          { name: "CHK_rmas_type", expression: oneOf("type", RMA_TYPES) },
          { name: "CHK_rmas_state", expression: oneOf("state", RMA_STATES) },
          { name: "CHK_rmas_warranty", expression: oneOf("warrantyAtOpen", WARRANTY_STATUSES) },
          {
            name: "CHK_rmas_quote_decision",
            expression: oneOf("quoteDecision", ["accepted", "declined"], true),
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "rma_legs",
        columns: [
          c.id(),
          c.ref("rmaId"),
          c.varchar("kind", 32),
          c.varchar("courier", 60, true),
          c.varchar("trackingNumber", 40, true),
          c.timestamp("shippedAt", true),
          c.timestamp("receivedAt", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "UQ_rma_legs_rma_kind", columnNames: ["rmaId", "kind"], isUnique: true }],
        foreignKeys: [
          {
            name: "FK_rma_legs_rma",
            columnNames: ["rmaId"],
            referencedTableName: "rmas",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [{ name: "CHK_rma_legs_kind", expression: oneOf("kind", LEG_KINDS) }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "rma_transitions",
        columns: [
          c.id(),
          c.ref("rmaId"),
          c.integer("seq"),
          c.varchar("fromState", 32, true),
          c.varchar("toState", 32),
          c.varchar("actorType", 16),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.text("note", true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "UQ_rma_transitions_rma_seq", columnNames: ["rmaId", "seq"], isUnique: true },
        ],
        foreignKeys: [
          {
            name: "FK_rma_transitions_rma",
            columnNames: ["rmaId"],
            referencedTableName: "rmas",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [
          { name: "CHK_rma_transitions_from", expression: oneOf("fromState", RMA_STATES, true) },
          { name: "CHK_rma_transitions_to", expression: oneOf("toState", RMA_STATES) },
          { name: "CHK_rma_transitions_actor", expression: oneOf("actorType", ACTOR_TYPES) },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "handset_replacements",
        columns: [
          c.id(),
          c.ref("handsetId"),
          c.ref("replacesHandsetId"),
          c.ref("rmaId", true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "UQ_handset_replacements_handset", columnNames: ["handsetId"], isUnique: true },
          { name: "IDX_handset_replacements_replaces", columnNames: ["replacesHandsetId"] },
        ],
        foreignKeys: [
          {
            name: "FK_handset_replacements_handset",
            columnNames: ["handsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_handset_replacements_replaces",
            columnNames: ["replacesHandsetId"],
            referencedTableName: "handsets",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_handset_replacements_rma",
            columnNames: ["rmaId"],
            referencedTableName: "rmas",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["handset_replacements", "rma_transitions", "rma_legs", "rmas"]) {
      await queryRunner.dropTable(table);
    }
    await queryRunner.query(`DELETE FROM "counters" WHERE "name" = 'rma_number'`);
  }
}
