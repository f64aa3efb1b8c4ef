import type { MigrationInterface, QueryRunner } from "typeorm";

// An external-content FTS5 index forgets a row by being told the values it indexed: the old ones.
const FORGET = `INSERT INTO "tickets_fts"("tickets_fts", rowid, "subject", "description") VALUES ('delete', old."number", old."subject", old."description");`;
const INDEX = `INSERT INTO "tickets_fts"(rowid, "subject", "description") VALUES (new."number", new."subject", new."description");`;

/** The SQLite triggers that keep "tickets_fts" in step with "tickets". */
export const TICKET_SEARCH_TRIGGERS = [
  `CREATE TRIGGER "tickets_fts_insert" AFTER INSERT ON "tickets" BEGIN ${INDEX} END`,
  // Only when an indexed value really changes: an UPDATE that sets them unchanged costs nothing.
  `CREATE TRIGGER "tickets_fts_update" AFTER UPDATE OF "number", "subject", "description" ON "tickets" ` +
    `WHEN old."number" IS NOT new."number" OR old."subject" IS NOT new."subject" ` +
    `OR old."description" IS NOT new."description" BEGIN ${FORGET} ${INDEX} END`,
  `CREATE TRIGGER "tickets_fts_delete" AFTER DELETE ON "tickets" BEGIN ${FORGET} END`,
];

/**
 * Full-text search over tickets' subject and description, and indexes for finding a customer by
 * the start of their name or email, so the queue's `q` never scans every ticket.
 *
 * SQLite: an FTS5 index with the tickets table as its external content, keyed by the ticket
 * number (unique, never changed). Not by the table's implicit rowid: tickets has a text primary
 * key, so its rowids are not stable (VACUUM, and TypeORM's copy-and-rename when a migration
 * changes a column of tickets, may renumber them). Triggers keep the index in step with every
 * write. A later migration that makes TypeORM rebuild the tickets table on SQLite drops these
 * triggers with the old table, and must create them again (TICKET_SEARCH_TRIGGERS) and then run
 * `INSERT INTO "tickets_fts"("tickets_fts") VALUES ('rebuild')`.
 *
 * PostgreSQL: a GIN index on an expression that the ticket list repeats exactly (searchVector in
 * ticket-list.repository.ts), with the 'simple' configuration: lower-cased words, no stemming, so
 * model names and codes are found as typed.
 */
export class TicketSearch1764000000034 implements MigrationInterface {
  name = "TicketSearch1764000000034";

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === "postgres") {
      await queryRunner.query(
        `CREATE INDEX "IDX_tickets_search" ON "tickets" USING GIN ` +
          `(to_tsvector('simple', COALESCE("subject", '') || ' ' || COALESCE("description", '')))`,
      );
      // LIKE 'prefix%' can use a b-tree whatever the database's collation only with *_pattern_ops.
      await queryRunner.query(
        `CREATE INDEX "IDX_customers_email_prefix" ON "customers" ("email" varchar_pattern_ops)`,
      );
      await queryRunner.query(
        `CREATE INDEX "IDX_customers_name_prefix" ON "customers" (LOWER("name") text_pattern_ops)`,
      );
      return;
    }
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "tickets_fts" USING fts5(` +
        `"subject", "description", content='tickets', content_rowid='number', ` +
        `tokenize='unicode61 remove_diacritics 2')`,
    );
    for (const trigger of TICKET_SEARCH_TRIGGERS) {
      await queryRunner.query(trigger);
    }
    await queryRunner.query(`INSERT INTO "tickets_fts"("tickets_fts") VALUES ('rebuild')`);
    // The email prefix is a range on UQ_customers_email (binary order); the name needs its own.
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_name_prefix" ON "customers" (LOWER("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === "postgres") {
      await queryRunner.query(`DROP INDEX "IDX_customers_name_prefix"`);
      await queryRunner.query(`DROP INDEX "IDX_customers_email_prefix"`);
      await queryRunner.query(`DROP INDEX "IDX_tickets_search"`);
      return;
    }
    await queryRunner.query(`DROP INDEX "IDX_customers_name_prefix"`);
    for (const name of ["tickets_fts_insert", "tickets_fts_update", "tickets_fts_delete"]) {
      await queryRunner.query(`DROP TRIGGER "${name}"`);
    }
    await queryRunner.query(`DROP TABLE "tickets_fts"`);
  }
}
