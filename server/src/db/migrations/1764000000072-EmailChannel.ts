import { TableCheck } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { oneOf } from "../migration-types";
import { TICKET_SEARCH_TRIGGERS } from "./1764000000034-TicketSearch";

const BEFORE = ["portal", "agent"];
const AFTER = [...BEFORE, "email"];

async function channels(queryRunner: QueryRunner, allowed: string[]): Promise<void> {
  const sqlite = queryRunner.connection.driver.options.type !== "postgres";
  // Load the table afresh: on SQLite, TypeORM rebuilds it from its cached copy, which predates
  // the columns earlier migrations added with raw ALTER TABLE in the same run (contactName...).
  await queryRunner.getTable("tickets");
  await queryRunner.dropCheckConstraint("tickets", "CHK_tickets_channel");
  await queryRunner.createCheckConstraint(
    "tickets",
    new TableCheck({ name: "CHK_tickets_channel", expression: oneOf("channel", allowed) }),
  );
  if (sqlite) {
    // TypeORM changes a CHECK on SQLite by copying the table: the search triggers went with the
    // old one (see 1764000000034-TicketSearch). Create them again and re-read the index.
    for (const name of ["tickets_fts_insert", "tickets_fts_update", "tickets_fts_delete"]) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS "${name}"`);
    }
    for (const trigger of TICKET_SEARCH_TRIGGERS) {
      await queryRunner.query(trigger);
    }
    await queryRunner.query(`INSERT INTO "tickets_fts"("tickets_fts") VALUES ('rebuild')`);
  }
}

/**
 * Email is a channel of its own: a ticket opened by a mail to the support address says so
 * (it was filed as `portal` before, the channel with the same rules: the customer's words, no
 * account, the clocks of a customer's ticket). Tickets opened by email before this migration
 * cannot be told apart and stay `portal`. Down turns `email` tickets back into `portal` ones.
 */
export class EmailChannel1764000000072 implements MigrationInterface {
  name = "EmailChannel1764000000072";

  async up(queryRunner: QueryRunner): Promise<void> {
    await channels(queryRunner, AFTER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "tickets" SET "channel" = 'portal' WHERE "channel" = 'email'`);
    await channels(queryRunner, BEFORE);
  }
}
