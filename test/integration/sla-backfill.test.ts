import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { TicketSla } from "../../server/src/modules/sla/ticket-sla.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";
import { openPortalTicket } from "../support/tickets";

describe("SLA backfill of tickets without clocks", () => {
  let t: TestServer;

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  it("gives clocks to every open ticket without them, past the first page, announcing none", async function () {
    this.timeout(120_000);
    const tickets = t.server.db.dataSource.getRepository(Ticket);
    const clocks = t.server.db.dataSource.getRepository(TicketSla);
    const opened = await tickets.findOneByOrFail({ id: (await openPortalTicket(t)).id });
    // More tickets than one page of the walk, a tenth of them resolved.
    const copies: Ticket[] = Array.from({ length: 1100 }, (_, i) => ({
      ...opened,
      id: randomUUID(),
      number: opened.number + 1 + i,
      accessTokenHash: null,
      status: i % 10 === 0 ? "resolved" : "open",
    }));
    for (let i = 0; i < copies.length; i += 100) {
      await tickets.insert(copies.slice(i, i + 100));
    }
    // A database from before SLAs: no clocks, no due dates.
    await clocks.createQueryBuilder().delete().execute();
    await tickets.createQueryBuilder().update().set({ slaDueAt: null }).execute();
    const active = [opened, ...copies].filter((ticket) => ticket.status !== "resolved");

    const announced: string[] = [];
    const listen = (id: string) => announced.push(id);
    t.server.notifier.on("ticket.updated", listen);
    try {
      expect(await t.server.sla.backfill()).to.equal(active.length);
    } finally {
      t.server.notifier.off("ticket.updated", listen);
    }

    expect(announced).to.deep.equal([]);
    const clocked = new Set(
      (await clocks.find({ select: { ticketId: true } })).map((c) => c.ticketId),
    );
    expect(clocked.size).to.equal(active.length);
    expect(active.every((ticket) => clocked.has(ticket.id))).to.equal(true);
    // Their running clocks put them back in the queue's due-date order.
    const due = await tickets
      .createQueryBuilder("t")
      .where("t.slaDueAt IS NOT NULL")
      .andWhere("t.status <> :resolved", { resolved: "resolved" })
      .getCount();
    expect(due).to.equal(active.length);
    // Nothing left to do (the resolved tickets keep having none).
    expect(await t.server.sla.backfill()).to.equal(0);
  });
});
