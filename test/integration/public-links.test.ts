import { expect } from "chai";
import request from "supertest";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const PUBLIC_URL = "https://desk.example.com";
const LINK = /^https:\/\/desk\.example\.com\/portal\/t\/[A-Za-z0-9_-]{43}$/;

/** The outbox rows of the ticket with this number, oldest first. */
async function outboxOf(t: TestServer, label: string): Promise<OutboxMessage[]> {
  const em = t.server.db.dataSource.manager;
  const ticket = await em.getRepository(Ticket).findOneByOrFail({ number: Number(label.slice(3)) });
  return em
    .getRepository(OutboxMessage)
    .find({ where: { ticketId: ticket.id }, order: { createdAt: "ASC" } });
}

/** The links in a message's text as it is sent (the outbox keeps the link sealed, never in clear). */
function linksIn(t: TestServer, mail: OutboxMessage): string[] {
  const token = /[A-Za-z0-9_-]{43}/;
  expect(mail.body).to.not.match(token);
  return t.server.mail.render(mail).text.match(/https?:\/\/\S+/g) ?? [];
}

describe("T40 host-header-links: every link starts with PUBLIC_URL", () => {
  describe("with PUBLIC_URL set", () => {
    let t: TestServer;
    before(async () => {
      // TRUST_PROXY on: X-Forwarded-Host and -Proto are believed for client IPs, never for links.
      t = await startTestServer({ publicUrl: PUBLIC_URL, trustProxy: 1 });
    });
    after(async () => {
      await t.stop();
    });

    it("gives a portal ticket's link and its email under PUBLIC_URL whatever the Host says", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .set("Host", "evil.example")
        .set("X-Forwarded-Host", "evil.example")
        .set("X-Forwarded-Proto", "http")
        .send(buildPortalTicket())
        .expect(201);
      expect(res.body.accessUrl).to.match(LINK);

      const [mail] = await outboxOf(t, res.body.ticket.number as string);
      expect(mail.body).to.not.include("evil.example");
      expect(linksIn(t, mail)).to.deep.equal([res.body.accessUrl]);
    });

    it("replaces a link under PUBLIC_URL, in the answer and in the email", async () => {
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const res = await request(t.url)
        .post(`/api/portal/tickets/${tokenOf(created.body.accessUrl as string)}/revoke`)
        .set("Host", "evil.example:8080")
        .send({})
        .expect(200);
      expect(res.body.accessUrl).to.match(LINK);
      expect(res.body.accessUrl).to.not.equal(created.body.accessUrl);

      const mails = await outboxOf(t, created.body.ticket.number as string);
      expect(mails).to.have.length(2);
      expect(mails.every((mail) => !mail.body.includes("evil.example"))).to.equal(true);
      expect(linksIn(t, mails[1])).to.deep.equal([res.body.accessUrl]);
    });

    it("gives the link of a ticket an agent opens under PUBLIC_URL", async () => {
      const agent = await signedInAs(t);
      const res = await agent
        .post("/api/tickets", {
          customer: { email: buildEmail(), name: "Mo Caller" },
          imei: buildImei(),
          category: "network",
          subject: "No LTE",
          description: "Caller says the phone only ever shows 3G.",
        })
        .set("Host", "evil.example")
        .expect(201);
      expect(res.body.accessUrl).to.match(LINK);
      const [mail] = await outboxOf(t, res.body.ticket.number as string);
      expect(linksIn(t, mail)).to.deep.equal([res.body.accessUrl]);
    });
  });

  describe("without PUBLIC_URL (development, tests)", () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer();
    });
    after(async () => {
      await t.stop();
    });

    it("links to the address the desk listens on, never to the Host header", async () => {
      const res = await request(t.url)
        .post("/api/portal/tickets")
        .set("Host", "evil.example")
        .send(buildPortalTicket())
        .expect(201);
      expect(res.body.accessUrl.startsWith(`${t.url}/portal/t/`)).to.equal(true);
      const [mail] = await outboxOf(t, res.body.ticket.number as string);
      expect(linksIn(t, mail)).to.deep.equal([res.body.accessUrl]);
    });
  });
});
