import { randomUUID } from "node:crypto";
import type { Database } from "../../db/database";
import { HandsetIdentifier } from "../../modules/handsets/handset-identifier.entity";

/**
 * Writes a dual-SIM handset's second IMEI (slot 2) straight into the database: the one thing
 * the demo cannot do through the HTTP API, which has no endpoint for adding an identifier yet.
 * Recorded as an agent's, the way a desk would after reading *#06# off the phone.
 */
export function secondImeiWriter(
  db: Database,
  clock: { now(): Date },
): (handsetId: string, imei: string) => Promise<void> {
  return (handsetId, imei) =>
    db.transaction(async (em) => {
      await em.getRepository(HandsetIdentifier).insert({
        id: randomUUID(),
        handsetId,
        kind: "imei",
        value: imei,
        slot: 2,
        source: "agent",
        softwareVersion: null,
        createdAt: clock.now(),
      });
    });
}
