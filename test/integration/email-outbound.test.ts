import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { MailCatcher } from "../../server/src/modules/email/mail-catcher";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import { openPortalTicket, setWarranty } from "../support/tickets";
import { sleep } from "../support/ports";
import { startServerProcess } from "../support/processes";
import { startTestRelay } from "../support/smtp-relay";
import type { RelayedMail, TestRelay } from "../support/smtp-relay";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const FAST = { mail: { worker: { pollMs: 100, retryBaseMs: 150 } } };

function mailConfig(relay: TestRelay | null) {
  return {
    mail: {
      smtpUrl: relay === null ? null : relay.url,
      from: { name: "Greydesk Support", address: "support@desk.test" },
      inbound: null,
      imapUrl: null,
      leaseMs: 120_000,
    },
  };
}

async function outboxOf(t: TestServer, ticketId: string): Promise<OutboxMessage[]> {
  return t.server.db.dataSource
    .getRepository(OutboxMessage)
    .find({ where: { ticketId }, order: { createdAt: "ASC" } });
}

async function ticketIdOf(t: TestServer, number: string): Promise<string> {
  const ticket = await t.server.db.dataSource
    .getRepository(Ticket)
    .findOneByOrFail({ number: Number(number.slice(3)) });
  return ticket.id;
}

/** Waits until `check` holds (the worker runs on its own timers). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error("condition not met in time");
    }
    await sleep(50);
  }
}

const textOf = (mail: RelayedMail) => mail.parsed.text ?? "";
const htmlOf = (mail: RelayedMail) =>
  typeof mail.parsed.html === "string" ? mail.parsed.html : "";
const header = (mail: RelayedMail, name: string): string | null => {
  const value = mail.parsed.headers.get(name);
  return typeof value === "string" ? value : null;
};

describe("email out: the outbox delivered over SMTP", () => {
  let relay: TestRelay;
  let t: TestServer;
  before(async () => {
    relay = await startTestRelay();
    t = await startTestServer(mailConfig(relay), FAST);
  });
  after(async () => {
    await t.stop();
    await relay.close();
  });
  beforeEach(() => {
    relay.received.length = 0;
    relay.answers = [];
    relay.onMessage = null;
  });

  it("mails a new ticket's private link to its customer, once, and keeps no link in clear", async () => {
    const body = buildPortalTicket({ name: "Dana <b>Whitfield</b>" });
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const accessUrl = res.body.accessUrl as string;
    const token = accessUrl.split("/").pop()!;
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);

    const [mail] = await relay.waitFor(1);
    expect(mail.envelope.to).to.deep.equal([body.email]);
    expect(mail.envelope.from).to.equal("support@desk.test");
    expect(mail.parsed.subject).to.equal(`Your support ticket ${res.body.ticket.number}`);
    expect(textOf(mail)).to.include(accessUrl);
    expect(textOf(mail)).to.include("Hello Dana <b>Whitfield</b>");
    // The HTML part escapes what the customer typed; the one anchor is the desk's link.
    expect(htmlOf(mail)).to.include("Dana &lt;b&gt;Whitfield&lt;/b&gt;");
    expect(htmlOf(mail)).to.include(`<a href="${accessUrl}">`);
    expect(htmlOf(mail)).to.not.include("<b>");
    expect(mail.parsed.replyTo?.value[0].address).to.match(/^support\+[a-z2-7]{46}@desk\.test$/);
    const unfolded = mail.raw.replace(/\r\n[ \t]+/g, " ");
    expect(unfolded).to.match(/^List-Unsubscribe: ?<mailto:support\+u[a-z2-7]{46}@desk\.test>/m);
    expect(header(mail, "auto-submitted")).to.equal("auto-generated");

    await eventually(async () => (await outboxOf(t, ticketId))[0].state === "sent");
    const [row] = await outboxOf(t, ticketId);
    expect(mail.parsed.messageId).to.equal(`<${row.id}@desk.test>`);
    expect(row.messageId).to.equal(mail.parsed.messageId);
    expect(row.sentAt).to.be.instanceOf(Date);
    expect(row.body).to.equal("");
    expect(row.sealedLink).to.be.a("string");
    expect(row.sealedLink).to.not.include(token);
    // Nothing in the whole row holds the token in clear.
    expect(JSON.stringify(row)).to.not.include(token);
    await sleep(300);
    expect(relay.received).to.have.length(1);
  });

  it("mails an agent's public reply with its text, the link and threading headers; never a note", async () => {
    const body = buildPortalTicket();
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    const [first] = await relay.waitFor(1);
    const agent = await signedInAs(t, "agent", "Riley Agent");

    await agent
      .post(`/api/tickets/${ticketId}/messages`, {
        body: "Internal: distributor batch 7 is suspect",
        internal: true,
      })
      .expect(201);
    await agent
      .post(`/api/tickets/${ticketId}/messages`, {
        body: "Please toggle VoLTE off and on, then restart.",
        internal: false,
      })
      .expect(201);
    const mails = await relay.waitFor(2);
    await sleep(400);
    expect(relay.received).to.have.length(2);
    const reply = mails[1];
    expect(reply.envelope.to).to.deep.equal([body.email]);
    expect(reply.parsed.subject).to.equal(`Re: [${res.body.ticket.number}] ${body.subject}`);
    expect(textOf(reply)).to.include("Please toggle VoLTE off and on, then restart.");
    expect(textOf(reply)).to.include("Riley Agent");
    expect(textOf(reply)).to.include(res.body.accessUrl as string);
    expect(textOf(reply)).to.not.include("distributor batch 7");
    const thread = `<ticket-${ticketId}@desk.test>`;
    expect(reply.parsed.inReplyTo).to.equal(thread);
    expect(first.parsed.references).to.equal(thread);
    expect(reply.parsed.messageId).to.not.equal(first.parsed.messageId);
    // The same reply address for every message of the ticket.
    expect(reply.parsed.replyTo?.text).to.equal(first.parsed.replyTo?.text);
  });

  it("mails a repair quote with its amount and link, and each shipped leg; tracking for the customer's parcel", async () => {
    const ticket = await openPortalTicket(t);
    await relay.waitFor(1);
    const agent = await signedInAs(t, "agent", "Riley Returns");
    await setWarranty(agent, ticket.handsetId, "none", new Date().toISOString().slice(0, 10));
    const opened = await agent.post(`/api/tickets/${ticket.id}/rmas`, { type: "paid_repair" });
    expect(opened.status, JSON.stringify(opened.body)).to.equal(201);
    let rma = opened.body.rma as { id: string; number: string | null };
    const move = async (body: Record<string, unknown>) => {
      const res = await agent.post(`/api/rmas/${rma.id}/transitions`, body);
      expect(res.status, `${String(body.to)}: ${JSON.stringify(res.body)}`).to.equal(200);
      rma = res.body.rma as typeof rma;
    };
    for (const to of ["approved", "awaiting_device", "received"]) {
      await move({ to });
    }
    await move({ to: "diagnosed", diagnosis: "Water damage on the charging board" });
    await move({ to: "customer_damage" });
    await move({
      to: "quote_sent",
      quote: { amountMinor: 12950, currency: "USD", description: "Charging board replacement" },
    });
    const [, quote] = await relay.waitFor(2);
    const portalLink = `${t.url}/portal/t/${ticket.token}`;
    expect(quote.parsed.subject).to.equal(
      `Repair quote: [${ticket.number}] Stuck on 3G since I got it`,
    );
    expect(textOf(quote)).to.include("USD 129.50");
    expect(textOf(quote)).to.include("Charging board replacement");
    expect(textOf(quote)).to.include(rma.number!);
    expect(textOf(quote)).to.include(portalLink);

    await request(t.url)
      .post(`/api/portal/tickets/${ticket.token}/rma/quote`)
      .send({ decision: "accept" })
      .expect(200);
    await move({
      to: "sent_to_distributor",
      leg: { courier: "DHL Express", trackingNumber: "HK-DIST-0001" },
    });
    await move({ to: "at_distributor" });
    await move({ to: "repaired", outcome: "Charging board replaced" });
    await move({
      to: "return_shipped_to_desk",
      leg: { courier: "DHL Express", trackingNumber: "HK-BACK-0002" },
    });
    await move({ to: "qa_passed" });
    await move({ to: "return_to_customer", leg: { courier: "USPS", trackingNumber: "9400111" } });
    const mails = await relay.waitFor(5);
    const [toCentre, back, home] = mails.slice(2);
    for (const mail of [toCentre, back, home]) {
      expect(mail.envelope.to).to.deep.equal([quote.envelope.to[0]]);
      expect(mail.parsed.subject).to.match(
        new RegExp(`^${rma.number!} shipped: \\[${ticket.number}\\]`),
      );
      expect(textOf(mail)).to.include(portalLink);
    }
    expect(textOf(toCentre)).to.include("on its way to the repair centre");
    expect(textOf(back)).to.include("on its way back to us");
    // The desk's parcels to and from the repair centre are not the customer's to track.
    expect(textOf(toCentre) + textOf(back)).to.not.match(/HK-DIST|HK-BACK|Tracking/);
    expect(textOf(home)).to.include("on its way back to you");
    expect(textOf(home)).to.include("Courier: USPS");
    expect(textOf(home)).to.include("Tracking number: 9400111");
    await sleep(300);
    expect(relay.received).to.have.length(5);
  });

  it("retries a message the relay defers (4xx) with the same Message-ID", async () => {
    relay.answers = [{ code: 451, message: "4.3.0 try again later" }];
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket())
      .expect(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    const mails = await relay.waitFor(2);
    expect(mails[1].parsed.messageId).to.equal(mails[0].parsed.messageId);
    expect(mails[1].parsed.text).to.equal(mails[0].parsed.text);
    await eventually(async () => (await outboxOf(t, ticketId))[0].state === "sent");
    const [row] = await outboxOf(t, ticketId);
    expect(row.attempts).to.equal(2);
  });

  it("stops at a permanent refusal (5xx) and shows it on the ticket", async () => {
    relay.answers = [{ code: 550, message: "5.1.1 no such user" }];
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket())
      .expect(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    await relay.waitFor(1);
    await eventually(async () => (await outboxOf(t, ticketId))[0].state === "failed");
    await sleep(600);
    expect(relay.received).to.have.length(1);
    const [row] = await outboxOf(t, ticketId);
    expect(row.attempts).to.equal(1);
    expect(row.lastError).to.include("no such user");

    const agent = await signedInAs(t);
    const detail = await agent.get(`/api/tickets/${ticketId}`).expect(200);
    const events = JSON.stringify(detail.body);
    expect(events).to.include("email_failed");
    expect(events).to.include("no such user");
  });

  it("lets an admin see a failed message and send it again; agents and strangers get nothing", async () => {
    relay.answers = [{ code: 554, message: "5.7.1 rejected for policy" }];
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket())
      .expect(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    await eventually(async () => (await outboxOf(t, ticketId))[0].state === "failed");
    const [row] = await outboxOf(t, ticketId);

    await request(t.url).get("/api/outbox").expect(401);
    const agent = await signedInAs(t, "agent");
    await agent.get("/api/outbox").expect(403);
    await agent.post(`/api/outbox/${row.id}/retry`).expect(403);

    const admin = await signedInAs(t, "admin");
    const list = await admin.get("/api/outbox").query({ state: "failed" }).expect(200);
    const item = (list.body.items as { id: string; text: string; lastError: string }[]).find(
      (i) => i.id === row.id,
    );
    expect(item?.lastError).to.include("rejected for policy");
    expect(item?.text).to.include(res.body.accessUrl as string);
    await admin.get("/api/outbox").query({ state: "lost" }).expect(400);

    relay.received.length = 0;
    const retried = await admin.post(`/api/outbox/${row.id}/retry`).expect(200);
    expect(retried.body.item.state).to.equal("queued");
    const [again] = await relay.waitFor(1);
    expect(again.parsed.messageId).to.equal(`<${row.id}@desk.test>`);
    await eventually(async () => (await outboxOf(t, ticketId))[0].state === "sent");
    await admin.post(`/api/outbox/${row.id}/retry`).expect(409);
    await admin.post(`/api/outbox/${crypto.randomUUID()}/retry`).expect(404);
  });

  it("reports the relay and the backlog in /api/health", async () => {
    const res = await request(t.url).get("/api/health").expect(200);
    expect(res.body.mail).to.deep.include({ relay: "ok", backlog: 0 });
    expect(res.body.mail.failed).to.be.a("number");
  });
});

describe("email out without SMTP_URL", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(mailConfig(null), FAST);
  });
  after(async () => {
    await t.stop();
  });

  it("keeps messages queued, rendered for admins, and counts them in /api/health", async () => {
    const res = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket())
      .expect(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    await sleep(300);
    const [row] = await outboxOf(t, ticketId);
    expect(row.state).to.equal("queued");
    expect(row.attempts).to.equal(0);
    expect(t.server.mail.render(row).text).to.include(res.body.accessUrl as string);
    const health = await request(t.url).get("/api/health").expect(200);
    expect(health.body.status).to.equal("ok");
    expect(health.body.mail).to.deep.equal({ relay: "not_configured", backlog: 1, failed: 0 });
  });
});

describe("email out to npm run demo's built-in mail catcher", () => {
  let catcher: MailCatcher;
  let t: TestServer;
  before(async () => {
    catcher = new MailCatcher();
    await catcher.start();
    const config = mailConfig(null);
    t = await startTestServer(
      { mail: { ...config.mail, smtpUrl: catcher.url } },
      { mail: { ...FAST.mail, catcher } },
    );
  });
  after(async () => {
    await t.stop();
    await catcher.stop();
  });

  it("sends for real, and shows admins each sent message as it arrived", async () => {
    const res = await request(t.url).post("/api/portal/tickets").send(buildPortalTicket());
    expect(res.status).to.equal(201);
    const ticketId = await ticketIdOf(t, res.body.ticket.number as string);
    await eventually(async () => (await outboxOf(t, ticketId))[0]?.state === "sent");
    expect(catcher.count).to.equal(1);

    const admin = await signedInAs(t, "admin");
    const list = await admin.get("/api/outbox").expect(200);
    const item = (
      list.body.items as { ticketId: string; text: string | null; delivered: string | null }[]
    ).find((entry) => entry.ticketId === ticketId)!;
    // The stored body is gone once sent; the copy the catcher holds in memory is what shows.
    expect(item.text).to.equal(null);
    expect(item.delivered).to.include(res.body.accessUrl as string);
    expect(item.delivered).to.include(`We have your ticket ${res.body.ticket.number as string}`);
    const [row] = await outboxOf(t, ticketId);
    expect(row.body).to.equal("");
  });
});

describe("email out: a crash between send and mark-sent (kill -9)", function () {
  this.timeout(120_000);
  let relay: TestRelay;
  let dir: string;
  before(async () => {
    relay = await startTestRelay();
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-mail-crash-"));
  });
  after(async () => {
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the same message again after the lease expires, never a different one", async () => {
    const env = {
      DATABASE_URL: `sqlite:${path.join(dir, "desk.sqlite")}`,
      GREYDESK_DATA_DIR: dir,
      SESSION_SECRET: "crash-test-secret-that-is-long-enough-0123",
      SMTP_URL: relay.url,
      MAIL_FROM: "Greydesk <support@desk.test>",
      OUTBOX_LEASE_SECONDS: "2",
    };
    const first = await startServerProcess(env);
    // The relay has the whole message; the process dies before it hears the relay's 250.
    let answered = () => {};
    const responded = new Promise<void>((resolve) => (answered = resolve));
    let killed = () => {};
    const dead = new Promise<void>((resolve) => (killed = resolve));
    relay.onMessage = async () => {
      relay.onMessage = null;
      await responded;
      await first.kill();
      killed();
    };
    const body = buildPortalTicket();
    const res = await request(first.url).post("/api/portal/tickets").send(body).expect(201);
    answered();
    await relay.waitFor(1, 30_000);
    await dead;
    expect(first.child.signalCode).to.equal("SIGKILL");

    const second = await startServerProcess(env);
    try {
      const mails = await relay.waitFor(2, 30_000);
      expect(mails[1].parsed.messageId).to.equal(mails[0].parsed.messageId);
      expect(mails[1].parsed.subject).to.equal(mails[0].parsed.subject);
      expect(mails[1].parsed.text).to.equal(mails[0].parsed.text);
      expect(mails[1].parsed.text).to.include(res.body.accessUrl as string);
      await sleep(1500);
      expect(relay.received).to.have.length(2);
    } finally {
      await second.stop();
    }
  });
});
