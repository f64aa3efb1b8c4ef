import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { DatabaseConfig } from "../../server/src/config/config";
import { Database } from "../../server/src/db/database";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import { createTestDatabase, testDatabaseKind } from "../support/databases";
import { startTestServer } from "../support/test-server";
import { openPortalTicket } from "../support/tickets";

const EMAIL_CHANNEL = "EmailChannel1764000000072";

/** Undoes migrations, newest first, until `name` is undone. */
async function undoThrough(config: DatabaseConfig, name: string): Promise<void> {
  const db = new Database(config);
  await db.open();
  try {
    for (;;) {
      const [last] = await db.dataSource.query<{ name: string }[]>(
        `SELECT "name" FROM "migrations" ORDER BY "timestamp" DESC LIMIT 1`,
      );
      await db.dataSource.undoLastMigration({ transaction: "each" });
      if (last.name === name) {
        return;
      }
    }
  } finally {
    await db.close();
  }
}

describe(`migration: email as a ticket channel, on a desk with tickets (${testDatabaseKind()})`, function () {
  this.timeout(60_000);
  let dir: string;
  let config: DatabaseConfig;
  let drop: () => Promise<void> = () => Promise.resolve();

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-channel-"));
    if (testDatabaseKind() === "sqlite") {
      config = { type: "sqlite", path: path.join(dir, "desk.sqlite") };
    } else {
      const test = await createTestDatabase();
      config = test.config;
      drop = () => test.drop();
    }
  });
  after(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every ticket findable by its words across the table rebuild, and down and up again", async () => {
    // A desk with a ticket, taken back to before the migration (down), then up again.
    let t = await startTestServer({ database: config });
    let before: { id: string };
    try {
      before = await openPortalTicket(t, { subject: "Marmalade screen flicker" });
    } finally {
      await t.stop();
    }
    await undoThrough(config, EMAIL_CHANNEL);

    t = await startTestServer({ database: config });
    try {
      const agent = await signedInAs(t);
      const found = await agent.get("/api/tickets").query({ q: "marmalade" }).expect(200);
      expect(found.body.items.map((item: { id: string }) => item.id)).to.deep.equal([before.id]);
      // A ticket written after the rebuild is indexed too (the triggers are back).
      const after = await openPortalTicket(t, { subject: "Quince keyboard lag" });
      const again = await agent.get("/api/tickets").query({ q: "quince" }).expect(200);
      expect(again.body.items.map((item: { id: string }) => item.id)).to.deep.equal([after.id]);
      // The column now takes `email` (the CHECK was widened), and nothing else new.
      const tickets = t.server.db.dataSource.getRepository(Ticket);
      await tickets.update({ id: after.id }, { channel: "email" });
      expect((await tickets.findOneByOrFail({ id: after.id })).channel).to.equal("email");
      let refused: unknown = null;
      await tickets
        .update({ id: after.id }, { channel: "fax" as Ticket["channel"] })
        .catch((error: unknown) => (refused = error));
      expect(String(refused)).to.match(/CHECK|check constraint/i);
      const reread = await agent.get(`/api/tickets/${after.id}`).expect(200);
      expect(reread.body.ticket.channel).to.equal("email");
    } finally {
      await t.stop();
    }
  });
});
