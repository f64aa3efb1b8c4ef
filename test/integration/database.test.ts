import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import { Database } from "../../server/src/db/database";
import { insertStatement, runInOrder } from "../../server/src/db/rows";
import { NestedUnitOfWorkError, UnitClosedError } from "../../server/src/db/unit-of-work";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { createTestDatabase, testDatabaseKind } from "../support/databases";

/** A promise and the function that resolves it, for holding a unit of work open. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const failure = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => null,
    (error: unknown) => error,
  );

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

    describe("re-entry", () => {
      it("refuses db.transaction() and db.read() inside a unit at once, and keeps nothing", async () => {
        const inner: unknown[] = [];
        const outer = await failure(
          db.transaction(async (em) => {
            await em.getRepository(Customer).insert(customer(4000));
            inner.push(await failure(db.read((e) => e.getRepository(Customer).count())));
            await db.transaction((e) => e.getRepository(Customer).insert(customer(4001)));
          }),
        );
        const fromRead = await failure(
          db.read(async () => {
            await db.read((e) => e.getRepository(Customer).count());
          }),
        );
        const writeFromRead = await failure(
          db.read(() => db.transaction((e) => e.getRepository(Customer).insert(customer(4002)))),
        );
        expect(inner[0]).to.be.instanceOf(NestedUnitOfWorkError);
        expect((inner[0] as Error).message).to.equal(
          "db.read() called inside a unit of work; pass the EntityManager down instead",
        );
        expect(outer).to.be.instanceOf(NestedUnitOfWorkError);
        expect((outer as Error).message).to.match(/^db\.transaction\(\) called inside a unit/);
        expect(fromRead).to.be.instanceOf(NestedUnitOfWorkError);
        expect(writeFromRead).to.be.instanceOf(NestedUnitOfWorkError);
        const kept = await db.read((em) =>
          em
            .getRepository(Customer)
            .countBy({ id: In([4000, 4001, 4002].map((i) => customer(i).id)) }),
        );
        expect(kept).to.equal(0);
      });

      it("lets work a unit scheduled run after it returned open units of its own", async () => {
        // As a listener that publishes after commit: set up inside the unit, run after it.
        const committed = deferred();
        let afterwards: Promise<number> | undefined;
        await db.transaction(async (em) => {
          await em.getRepository(Customer).insert(customer(4100));
          afterwards = committed.promise
            .then(() => db.transaction((e) => e.getRepository(Customer).insert(customer(4101))))
            .then(() =>
              db.read((e) => e.getRepository(Customer).countBy({ id: customer(4101).id })),
            );
        });
        committed.resolve();
        expect(await afterwards).to.equal(1);
      });
    });

    describe("deadline", () => {
      const ids = (rows: Customer[]) => rows.map((row) => Number(row.id.slice(-12))).sort();
      const stored = (from: number, to: number) =>
        db.read(async (em) =>
          ids(
            await em
              .getRepository(Customer)
              .createQueryBuilder("c")
              .where("c.email >= :from AND c.email < :to", {
                from: `uow-${from}@`,
                to: `uow-${to}@`,
              })
              .getMany(),
          ),
        );

      it("rolls back a unit stuck past its deadline alone, and refuses its late queries", async () => {
        const stuck = deferred();
        const late = deferred<unknown>();
        const insert = (em: EntityManager, i: number) =>
          em.getRepository(Customer).insert(customer(i));
        // On SQLite the read holds the queue while the three writes queue up as one batch.
        const first = db.read((em) => em.getRepository(Customer).count());
        const before = db.transaction((em) => insert(em, 5000));
        const expired = db.transaction(
          async (em) => {
            await insert(em, 5001);
            // Cut off inside a savepoint of its own: the rollback must undo all of the unit.
            await em.transaction(async (nested) => {
              await insert(nested, 5002);
              await stuck.promise;
              late.resolve(await failure(insert(nested, 5003)));
            });
          },
          { deadlineMs: 200 },
        );
        const after = db.transaction((em) => insert(em, 5004));
        const [, beforeDone, error, afterDone] = await Promise.allSettled([
          first,
          before,
          failure(expired),
          after,
        ]);
        expect(beforeDone.status).to.equal("fulfilled");
        expect(afterDone.status).to.equal("fulfilled");
        const deadline = (error as PromiseFulfilledResult<unknown>).value;
        expect(deadline).to.have.property("status", 503);
        expect(deadline).to.have.property("code", "service_unavailable");

        // The late unit wakes while another unit is mid-way: its query must not land in it.
        const holding = deferred();
        const held = deferred();
        const holder = db.transaction(async (em) => {
          await insert(em, 5005);
          holding.resolve();
          await held.promise;
          await insert(em, 5006);
        });
        await holding.promise;
        stuck.resolve();
        const lateError = await late.promise;
        held.resolve();
        await holder;
        expect(lateError).to.be.instanceOf(UnitClosedError);
        expect(await stored(5000, 5010)).to.deep.equal([5000, 5004, 5005, 5006]);
      });

      it("gives up a read stuck past its deadline and serves the units queued behind it", async () => {
        const stuck = deferred();
        const late = deferred<unknown>();
        const read = db.read(
          async (em) => {
            await em.getRepository(Customer).count();
            await stuck.promise;
            late.resolve(await failure(em.getRepository(Customer).count()));
          },
          { deadlineMs: 200 },
        );
        const write = db.transaction((em) => em.getRepository(Customer).insert(customer(5100)));
        const error = await failure(read);
        await write;
        stuck.resolve();
        expect(error).to.have.property("status", 503);
        expect(await late.promise).to.be.instanceOf(UnitClosedError);
        expect(await stored(5100, 5101)).to.deep.equal([5100]);
      });

      if (testDatabaseKind() !== "postgres") {
        return;
      }
      it("has PostgreSQL cancel a statement still running at the deadline", async () => {
        // Without the server-side timeout the unit would hold its connection for the whole
        // minute, and the test time out.
        const error = await failure(
          db.transaction(
            async (em) => {
              await em.getRepository(Customer).insert(customer(5200));
              await em.query("SELECT pg_sleep(60)");
            },
            { deadlineMs: 300 },
          ),
        );
        expect(error).to.have.property("status", 503);
        const sleeping = await db.read((em): Promise<unknown[]> =>
          em.query(
            "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'",
          ),
        );
        expect(sleeping).to.deep.equal([]);
        expect(await stored(5200, 5201)).to.deep.equal([]);
      });
    });
  });
});
