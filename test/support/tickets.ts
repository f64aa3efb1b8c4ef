import request from "supertest";
import { expect } from "chai";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import type { SignedIn } from "./agents";
import { buildPortalTicket, tokenOf } from "./factories";
import type { PortalTicketBody } from "./factories";
import type { TestServer } from "./test-server";

export interface OpenedTicket {
  id: string;
  number: string;
  token: string;
  handsetId: string;
}

/** Opens a ticket on the portal, as a customer, and finds its id and handset. */
export async function openPortalTicket(
  t: TestServer,
  overrides: Partial<PortalTicketBody> = {},
): Promise<OpenedTicket> {
  const res = await request(t.url)
    .post("/api/portal/tickets")
    .send(buildPortalTicket(overrides))
    .expect(201);
  const number = res.body.ticket.number as string;
  const ticket = await t.server.db.dataSource
    .getRepository(Ticket)
    .findOneByOrFail({ number: Number(number.slice(3)) });
  expect(ticket.handsetId).to.be.a("string");
  return {
    id: ticket.id,
    number,
    token: tokenOf(res.body.accessUrl as string),
    handsetId: ticket.handsetId!,
  };
}

/** `YYYY-MM-DD` `days` after (or before) `today`. */
export function dayOffset(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Records the handset's warranty: covered, dead on arrival, or sold as-is (`none`). */
export async function setWarranty(
  agent: SignedIn,
  handsetId: string,
  kind: "covered" | "doa" | "none" | "expired",
  today: string,
): Promise<void> {
  const body =
    kind === "none"
      ? { warrantySource: "none" }
      : kind === "expired"
        ? {
            warrantySource: "carrier",
            warrantyStart: dayOffset(today, -800),
            warrantyEnd: dayOffset(today, -400),
          }
        : {
            warrantySource: "carrier",
            warrantyStart: dayOffset(today, kind === "doa" ? -2 : -60),
            doaDeadline: kind === "doa" ? dayOffset(today, 10) : null,
            warrantyEnd: dayOffset(today, 300),
          };
  await agent.patch(`/api/handsets/${handsetId}`, body).expect(200);
}

/** A ticket's history as stored, oldest first. */
export function eventsOf(t: TestServer, ticketId: string): Promise<TicketEvent[]> {
  return t.server.db.dataSource
    .getRepository(TicketEvent)
    .find({ where: { ticketId }, order: { seq: "ASC" } });
}

/** The ticket row as stored. */
export function ticketRow(t: TestServer, ticketId: string): Promise<Ticket> {
  return t.server.db.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticketId });
}
