import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { EntityManager } from "typeorm";
import { Database } from "../../server/src/db/database";
import { insertStatement, runInOrder } from "../../server/src/db/rows";
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

    it("writes rows in order in one go, and a failing row undoes its unit's rows alone", async () => {
      const insert = (em: EntityManager, i: number, email = customer(i).email) =>
        insertStatement(em, Customer, Object.assign(new Customer(), customer(i), { email }));
      const [good, bad, neighbour] = await Promise.allSettled([
        db.transaction((em) => runInOrder(em, [insert(em, 2000), insert(em, 2001)])),
        // The middle row clashes with the first: the rows before and after it must not stay.
        db.transaction((em) =>
          runInOrder(em, [
            insert(em, 2002),
            insert(em, 2003, "uow-2002@example.com"),
            insert(em, 2004),
          ]),
        ),
        db.transaction((em) => runInOrder(em, [insert(em, 2005)])),
      ]);
      expect([good.status, bad.status, neighbour.status]).to.deep.equal([
        "fulfilled",
        "rejected",
        "fulfilled",
      ]);
      const kept = await db.read((em) =>
        em
          .getRepository(Customer)
          .createQueryBuilder("c")
          .where("c.email LIKE 'uow-200%'")
          .orderBy("c.email")
          .getMany(),
      );
      expect(kept.map((row) => row.email)).to.deep.equal([
        "uow-2000@example.com",
        "uow-2001@example.com",
        "uow-2005@example.com",
      ]);
    });

    it("runs a unit once more after a unique clash when asked to, and only once", async () => {
      let runs = 0;
      const found = await db.transaction(
        async (em) => {
          runs += 1;
          const existing = await em
            .getRepository(Customer)
            .findOneBy({ email: "uow-3000@example.com" });
          if (existing !== null) {
            return existing.id;
          }
          await em.getRepository(Customer).insert(customer(3000));
          // The first run clashes, as if a concurrent writer had created the row it then inserts.
          if (runs === 1) {
            await em
              .getRepository(Customer)
              .insert({ ...customer(3001), email: "uow-3000@example.com" });
          }
          return "inserted";
        },
        { retryOnClash: true },
      );
      expect(runs).to.equal(2);
      expect(found).to.equal("inserted");
      let attempts = 0;
      const error = await db
        .transaction(
          async (em) => {
            attempts += 1;
            await em
              .getRepository(Customer)
              .insert({ ...customer(3002), email: "uow-3000@example.com" });
          },
          { retryOnClash: true },
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(attempts).to.equal(2);
      expect(error).to.have.property("status", 409);
    });
  });
});
