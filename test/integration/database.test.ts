import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Database } from "../../server/src/db/database";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { createTestDatabase, testDatabaseKind } from "../support/databases";

describe("database", () => {
  describe("SQLite file settings", function () {
    if (testDatabaseKind() !== "sqlite") {
      return;
    }
    let dir: string;
    let db: Database;
    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-db-"));
      db = new Database({ type: "sqlite", path: path.join(dir, "desk.sqlite") });
      await db.open();
    });
    after(async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs WAL, synchronous=FULL, a busy timeout and foreign keys", async () => {
      const q = (sql: string) => db.read((em): Promise<Record<string, unknown>[]> => em.query(sql));
      expect((await q("PRAGMA journal_mode"))[0]).to.deep.equal({ journal_mode: "wal" });
      expect((await q("PRAGMA synchronous"))[0]).to.deep.equal({ synchronous: 2 });
      expect((await q("PRAGMA busy_timeout"))[0]).to.deep.equal({ timeout: 5000 });
      expect((await q("PRAGMA foreign_keys"))[0]).to.deep.equal({ foreign_keys: 1 });
    });

    it("applies the migrations once, and again finds nothing to do", async () => {
      const ran = await db.read((em): Promise<unknown[]> =>
        em.query(`SELECT name FROM migrations`),
      );
      expect(ran).to.have.length.greaterThan(0);
      await db.close();
      db = new Database({ type: "sqlite", path: path.join(dir, "desk.sqlite") });
      await db.open();
      const again = await db.read((em): Promise<unknown[]> =>
        em.query(`SELECT name FROM migrations`),
      );
      expect(again).to.have.length(ran.length);
    });
  });

  describe(`units of work (${testDatabaseKind()})`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    before(async () => {
      const test = await createTestDatabase();
      drop = () => test.drop();
      db = new Database(test.config);
      await db.open();
    });
    after(async () => {
      await db.close();
      await drop();
    });

    const customer = (i: number) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      email: `uow-${i}@example.com`,
      name: `Customer ${i}`,
      phone: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });

    it("keeps 50 overlapping transactions apart, each committing or rolling back alone", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          db.transaction(async (em) => {
            await em.getRepository(Customer).insert(customer(i));
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (i % 5 === 0) {
              throw new Error(`rollback ${i}`);
            }
            await em.getRepository(Customer).update({ id: customer(i).id }, { name: `Saved ${i}` });
          }),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).to.have.length(10);
      const rows = await db.read((em) => em.getRepository(Customer).find());
      expect(rows).to.have.length(40);
      expect(rows.every((row) => row.name.startsWith("Saved "))).to.equal(true);
      expect(rows.some((row) => Number(row.id.slice(-12)) % 5 === 0)).to.equal(false);
    });

    it("turns a unique clash into a 409 conflict", async () => {
      await db.transaction((em) => em.getRepository(Customer).insert(customer(1000)));
      const error = await db
        .transaction((em) =>
          em.getRepository(Customer).insert({ ...customer(1001), email: "uow-1000@example.com" }),
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.have.property("code", "conflict");
      expect(error).to.have.property("status", 409);
    });
  });
});
