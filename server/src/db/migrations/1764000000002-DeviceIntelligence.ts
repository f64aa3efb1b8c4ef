import { Table, TableIndex } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes, oneOf } from "../migration-types";

// The wire values as they were when this migration was written (a migration never changes).
const TECHNOLOGIES = ["lte", "umts", "gsm", "cdma"];
const BAND_ROLES = ["primary", "coverage"];
const VOLTE_CAPABILITIES = ["yes", "no", "unknown"];
const BAND_CONFIDENCES = ["high", "medium", "low"];
const TAC_SOURCES = ["osmocom", "agent_observed", "distributor_sheet"];
const CERTIFICATION_STATUSES = [
  "not_submitted",
  "in_testing",
  "certified",
  "rejected",
  "withdrawn",
];
const CALLING_STATUSES = ["not_capable", "capable_not_whitelisted", "whitelisted"];
const AUDIT_SUBJECTS = ["model", "variant", "tac", "carrier", "certification", "setting"];
const AUDIT_ACTIONS = ["created", "updated", "deleted"];

/**
 * Device intelligence: the catalogue (models, variants with their bands, TACs), carriers with
 * dated band profiles, certification per variant and carrier, the catalogue's audit trail,
 * settings, distributors and import batches; handsets get their variant and batch, tickets the
 * network verdict as it was when they were opened.
 *
 * Columns are added to existing tables with a plain `ALTER TABLE ... ADD COLUMN` (portable, and
 * on SQLite it does not copy the table as TypeORM's addColumn would).
 */
export class DeviceIntelligence1764000000002 implements MigrationInterface {
  name = "DeviceIntelligence1764000000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: "settings",
        columns: [
          { name: "key", type: "varchar", length: "64", isPrimary: true },
          c.text("value"),
          c.ref("updatedById", true),
          c.timestamp("updatedAt"),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "device_models",
        columns: [
          c.id(),
          c.varchar("brand", 60),
          c.varchar("name", 120),
          c.text("aka"),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [
          { name: "UQ_device_models_brand_name", columnNames: ["brand", "name"], isUnique: true },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "device_variants",
        columns: [
          c.id(),
          c.ref("modelId"),
          c.varchar("name", 120),
          c.varchar("region", 60, true),
          c.varchar("operatorSku", 60, true),
          c.text("lteBands", true),
          c.text("umtsBands", true),
          c.text("gsmBands", true),
          c.text("cdmaBands", true),
          c.varchar("volteCapable", 8),
          c.varchar("bandSource", 200, true),
          c.varchar("bandConfidence", 8, true),
          c.text("notes", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [
          {
            name: "UQ_device_variants_model_name",
            columnNames: ["modelId", "name"],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: "FK_device_variants_model",
            columnNames: ["modelId"],
            referencedTableName: "device_models",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          },
        ],
        checks: [
          {
            name: "CHK_device_variants_volte",
            expression: oneOf("volteCapable", VOLTE_CAPABILITIES),
          },
          {
            name: "CHK_device_variants_confidence",
            expression: oneOf("bandConfidence", BAND_CONFIDENCES, true),
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "tac_entries",
        columns: [
          { name: "tac", type: "varchar", length: "8", isPrimary: true },
          c.ref("modelId"),
          c.ref("variantId", true),
          c.varchar("source", 24),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "IDX_tac_entries_model", columnNames: ["modelId"] }],
        foreignKeys: [
          {
            name: "FK_tac_entries_model",
            columnNames: ["modelId"],
            referencedTableName: "device_models",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          },
          {
            name: "FK_tac_entries_variant",
            columnNames: ["variantId"],
            referencedTableName: "device_variants",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          },
        ],
        checks: [{ name: "CHK_tac_entries_source", expression: oneOf("source", TAC_SOURCES) }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "carriers",
        columns: [
          c.id(),
          c.varchar("code", 32),
          c.varchar("name", 120),
          c.varchar("country", 2),
          c.text("notes", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [{ name: "UQ_carriers_code", columnNames: ["code"], isUnique: true }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "carrier_bands",
        columns: [
          c.id(),
          c.ref("carrierId"),
          c.varchar("technology", 8),
          c.integer("band"),
          c.varchar("role", 16),
          c.date("fromDate"),
          c.date("untilDate"),
          c.boolean("requiresVolte", false),
          c.varchar("note", 200, true),
        ],
        indices: [
          {
            name: "IDX_carrier_bands_carrier",
            columnNames: ["carrierId", "technology", "band"],
          },
        ],
        foreignKeys: [
          {
            name: "FK_carrier_bands_carrier",
            columnNames: ["carrierId"],
            referencedTableName: "carriers",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [
          {
            name: "CHK_carrier_bands_technology",
            expression: oneOf("technology", TECHNOLOGIES),
          },
          { name: "CHK_carrier_bands_role", expression: oneOf("role", BAND_ROLES) },
          {
            name: "CHK_carrier_bands_dates",
            expression: `"fromDate" IS NULL OR "untilDate" IS NULL OR "fromDate" < "untilDate"`,
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "certifications",
        columns: [
          c.id(),
          c.ref("variantId"),
          c.ref("carrierId"),
          c.varchar("status", 16),
          c.varchar("volte", 32),
          c.varchar("wifiCalling", 32),
          c.varchar("reference", 120, true),
          c.date("statusDate"),
          c.ref("updatedById", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [
          {
            name: "UQ_certifications_variant_carrier",
            columnNames: ["variantId", "carrierId"],
            isUnique: true,
          },
          { name: "IDX_certifications_carrier", columnNames: ["carrierId"] },
        ],
        foreignKeys: [
          {
            name: "FK_certifications_variant",
            columnNames: ["variantId"],
            referencedTableName: "device_variants",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
          {
            name: "FK_certifications_carrier",
            columnNames: ["carrierId"],
            referencedTableName: "carriers",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
        checks: [
          {
            name: "CHK_certifications_status",
            expression: oneOf("status", CERTIFICATION_STATUSES),
          },
          { name: "CHK_certifications_volte", expression: oneOf("volte", CALLING_STATUSES) },
          {
            name: "CHK_certifications_wifi_calling",
            expression: oneOf("wifiCalling", CALLING_STATUSES),
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "catalog_audit",
        columns: [
          c.id(),
          c.varchar("subjectType", 16),
          c.varchar("subjectId", 64),
          c.ref("variantId", true),
          c.varchar("action", 16),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.text("changes"),
          c.timestamp("createdAt"),
        ],
        indices: [
          {
            name: "IDX_catalog_audit_subject",
            columnNames: ["subjectType", "subjectId", "createdAt"],
          },
          { name: "IDX_catalog_audit_variant", columnNames: ["variantId", "createdAt"] },
        ],
        checks: [
          {
            name: "CHK_catalog_audit_subject",
            expression: oneOf("subjectType", AUDIT_SUBJECTS),
          },
          { name: "CHK_catalog_audit_action", expression: oneOf("action", AUDIT_ACTIONS) },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "variant_bulk_messages",
        columns: [
          c.id(),
          c.ref("variantId"),
          c.ref("requestKey", true),
          c.text("body"),
          c.text("ticketIds"),
          c.ref("actorId", true),
          c.varchar("actorName", 120, true),
          c.timestamp("createdAt"),
        ],
        indices: [
          { name: "IDX_variant_bulk_messages_variant", columnNames: ["variantId", "createdAt"] },
          { name: "UQ_variant_bulk_messages_key", columnNames: ["requestKey"], isUnique: true },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "distributors",
        columns: [
          c.id(),
          c.varchar("name", 120),
          c.varchar("country", 2, true),
          c.text("notes", true),
          c.timestamp("createdAt"),
        ],
        indices: [{ name: "UQ_distributors_name", columnNames: ["name"], isUnique: true }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "import_batches",
        columns: [
          c.id(),
          c.varchar("reference", 64),
          c.ref("distributorId", true),
          c.ref("variantId", true),
          c.varchar("romRegion", 32, true),
          c.integer("quantity", true),
          c.varchar("customsReference", 64, true),
          c.date("orderedOn"),
          c.date("shippedOn"),
          c.date("receivedOn"),
          c.text("notes", true),
          c.timestamp("createdAt"),
          c.timestamp("updatedAt"),
        ],
        indices: [
          { name: "UQ_import_batches_reference", columnNames: ["reference"], isUnique: true },
          { name: "IDX_import_batches_distributor", columnNames: ["distributorId"] },
          { name: "IDX_import_batches_variant", columnNames: ["variantId"] },
        ],
        foreignKeys: [
          {
            name: "FK_import_batches_distributor",
            columnNames: ["distributorId"],
            referencedTableName: "distributors",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          },
          {
            name: "FK_import_batches_variant",
            columnNames: ["variantId"],
            referencedTableName: "device_variants",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          },
        ],
        checks: [
          {
            name: "CHK_import_batches_quantity",
            expression: `"quantity" IS NULL OR "quantity" >= 0`,
          },
        ],
      }),
    );

    // Handsets: their variant (when known) and the shipment they came in.
    await queryRunner.query(
      `ALTER TABLE "handsets" ADD COLUMN "variantId" varchar(36) ` +
        `CONSTRAINT "FK_handsets_variant" REFERENCES "device_variants" ("id") ON DELETE SET NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "handsets" ADD COLUMN "batchId" varchar(36) ` +
        `CONSTRAINT "FK_handsets_batch" REFERENCES "import_batches" ("id") ON DELETE SET NULL`,
    );
    await queryRunner.createIndex(
      "handsets",
      new TableIndex({ name: "IDX_handsets_variant", columnNames: ["variantId"] }),
    );
    await queryRunner.createIndex(
      "handsets",
      new TableIndex({ name: "IDX_handsets_batch", columnNames: ["batchId"] }),
    );

    // Tickets: the network verdict when the ticket was opened (JSON), kept as it was.
    await queryRunner.query(`ALTER TABLE "tickets" ADD COLUMN "verdictAtOpen" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("tickets", "verdictAtOpen");
    await queryRunner.dropIndex("handsets", "IDX_handsets_batch");
    await queryRunner.dropIndex("handsets", "IDX_handsets_variant");
    await queryRunner.dropColumn("handsets", "batchId");
    await queryRunner.dropColumn("handsets", "variantId");
    for (const table of [
      "import_batches",
      "distributors",
      "variant_bulk_messages",
      "catalog_audit",
      "certifications",
      "carrier_bands",
      "carriers",
      "tac_entries",
      "device_variants",
      "device_models",
      "settings",
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
