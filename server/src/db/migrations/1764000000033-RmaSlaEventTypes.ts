import { TableCheck } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { oneOf } from "../migration-types";

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
];
const EVENT_TYPES_AFTER = [
  ...EVENT_TYPES_BEFORE,
  "rma_opened",
  "rma_state_changed",
  "rma_updated",
  "sla_breached",
];

/** The ticket history's new kinds of entry: RMA moves and changes, and SLA breaches. */
export class RmaSlaEventTypes1764000000033 implements MigrationInterface {
  name = "RmaSlaEventTypes1764000000033";

  async up(queryRunner: QueryRunner): Promise<void> {
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
  }
}
