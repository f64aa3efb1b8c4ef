import { expect } from "chai";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import request from "supertest";
import type { TicketEventDto } from "../../shared/contracts/http/tickets";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { Attachment } from "../../server/src/modules/attachments/attachment.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { HandsetIdentifier } from "../../server/src/modules/handsets/handset-identifier.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { signedInAs } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket } from "../support/factories";
import { sleep } from "../support/ports";
import { startTestRelay } from "../support/smtp-relay";
import type { TestRelay } from "../support/smtp-relay";
import { closeAll, connectAs, waitFor } from "../support/sockets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe("email in: the built-in SMTP receiver", () => {
  let relay: TestRelay;
  let t: TestServer;
  let sender: Transporter<SMTPTransport.SentMessageInfo>;
  before(async () => {
    relay = await startTestRelay();
    t = await startTestServer(
      {
        mail: {
          smtpUrl: relay.url,
          from: { name: "Greydesk", address: "support@desk.test" },
          inbound: { port: 0, host: "127.0.0.1" },
          imapUrl: null,
          leaseMs: 120_000,
        },
      },
      { mail: { worker: { pollMs: 100, retryBaseMs: 150 }, floodLimit: 5 } },
    );
    // The customer's mail program: nodemailer delivering straight to the desk's receiver.
    sender = nodemailer.createTransport({
      host: "127.0.0.1",
      port: t.server.mail.inboundAddress()!.port,
      secure: false,
      ignoreTLS: true,
    });
  });
  after(async () => {
    closeAll();
    sender.close();
    await t.stop();
    await relay.close();
  });
  beforeEach(() => {
    relay.received.length = 0;
  });

  const repo = <T extends object>(entity: new () => T) =>
    t.server.db.dataSource.getRepository(entity);

  /** Opens a portal ticket and reads the notification the customer got (its Reply-To). */
  async function ticketWithNotification() {
    const body = buildPortalTicket();
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const mail = await relay.mailTo(body.email);
    const ticket = await repo(Ticket).findOneByOrFail({
      number: Number((res.body.ticket.number as string).slice(3)),
    });
    return {
      ticket,
      body,
      replyTo: mail.parsed.replyTo!.value[0].address!,
      messageId: mail.parsed.messageId!,
      references: mail.parsed.references as string,
    };
  }

  const messagesOf = (ticketId: string) =>
    repo(TicketEvent).find({ where: { ticketId, type: "message" }, order: { seq: "ASC" } });

  it("puts a reply with the token on its ticket, live in the console, quotes and signature trimmed", async () => {
    const { ticket, body, replyTo, messageId } = await ticketWithNotification();
    expect(replyTo).to.match(/^support\+[a-z2-7]{46}@desk\.test$/);
    const watcher = await connectAs(t, await signedInAs(t));
    await watcher.timeout(2000).emitWithAck("ticket:watch", { ticketId: ticket.id });
    const live = waitFor(
      watcher,
      "ticket:message",
      (m) =>
        (m as TicketEventDto).ticketId === ticket.id && (m as TicketEventDto).type === "message",
      8000,
    );

    await sender.sendMail({
      from: `Dana Whitfield <${body.email}>`,
      to: replyTo,
      subject: "Re: Your support ticket",
      inReplyTo: messageId,
      text:
        "I toggled VoLTE and it still shows 3G.\n\n-- \nDana, sent from my phone\n\n" +
        "On Mon, 7 Dec 2026 at 10:00, Greydesk <support@desk.test> wrote:\n> Hello Dana,\n> We have your ticket",
      attachments: [{ filename: "screen.png", content: PNG }],
    });

    const event = (await live) as TicketEventDto;
    expect(event.body).to.equal("I toggled VoLTE and it still shows 3G.");
    expect(event.actor).to.include({ type: "customer" });
    const messages = await messagesOf(ticket.id);
    expect(messages.map((m) => m.body)).to.deep.equal(["I toggled VoLTE and it still shows 3G."]);
    const files = await repo(Attachment).findBy({ eventId: messages[0].id });
    expect(files.map((f) => [f.filename, f.contentType])).to.deep.equal([
      ["screen.png", "image/png"],
    ]);
  });

  it("never joins a ticket on threading headers and the right From without the token (T31)", async () => {
    const { ticket, body, messageId, references } = await ticketWithNotification();
    const before = await repo(Ticket).count();
    const agent = await signedInAs(t);
    await sender.sendMail({
      from: body.email,
      to: "support@desk.test",
      subject: `Re: Your support ticket`,
      inReplyTo: messageId,
      references: [references, messageId],
      text: "Please send my replacement to 1 Evil Street instead.",
      html: "<p>Please send my replacement to 1 Evil Street instead.<script>alert(1)</script></p>",
    });
    // The new ticket's link goes back to the sender: a second mail to that address.
    const end = Date.now() + 10_000;
    while (relay.received.filter((m) => m.envelope.to.includes(body.email)).length < 2) {
      expect(Date.now()).to.be.below(end);
      await sleep(25);
    }
    expect(await messagesOf(ticket.id)).to.have.length(0);
    expect(await repo(Ticket).count()).to.equal(before + 1);
    const fresh = await repo(Ticket).findOneOrFail({ where: {}, order: { number: "DESC" } });
    expect(fresh.id).to.not.equal(ticket.id);
    const first = await repo(TicketEvent).findOneByOrFail({ ticketId: fresh.id, seq: 1 });
    expect(first.body).to.include("1 Evil Street");
    expect(first.body).to.not.include("<script");
    expect(first.actorType).to.equal("customer");
    await agent.get(`/api/tickets/${fresh.id}`).expect(200);
  });

  it("refuses tokens that are forged, cut short or for another ticket: a new ticket each time", async () => {
    const a = await ticketWithNotification();
    const b = await ticketWithNotification();
    const [local, domain] = a.replyTo.split("@");
    const tokenA = local.slice("support+".length);
    const tokenB = b.replyTo.split("@")[0].slice("support+".length);
    const forged = [
      // Ticket A's id with ticket B's MAC.
      `support+${tokenA.slice(0, 26)}${tokenB.slice(26)}@${domain}`,
      // One character of the MAC changed.
      `support+${tokenA.slice(0, -1)}${tokenA.endsWith("a") ? "b" : "a"}@${domain}`,
      `support+${tokenA.slice(0, -4)}@${domain}`,
      `support+@${domain}`,
    ];
    for (const to of forged) {
      const count = await repo(Ticket).count();
      await sender.sendMail({ from: a.body.email, to, subject: "Re: ticket", text: `via ${to}` });
      // The receiver answers 250 only after the commit: the ticket is there now.
      expect(await repo(Ticket).count(), to).to.equal(count + 1);
    }
    expect(await messagesOf(a.ticket.id)).to.have.length(0);
    expect(await messagesOf(b.ticket.id)).to.have.length(0);
  });

  it("drops auto-replies, list mail and delivery reports; a bounce marks the customer's address", async () => {
    const { ticket, body, replyTo } = await ticketWithNotification();
    await sleep(300);
    relay.received.length = 0;
    const tickets = await repo(Ticket).count();
    await sender.sendMail({
      from: body.email,
      to: replyTo,
      subject: "Out of office",
      headers: { "Auto-Submitted": "auto-replied" },
      text: "I am away until Monday.",
    });
    await sender.sendMail({
      from: body.email,
      to: replyTo,
      subject: "Automatic reply: ticket",
      headers: { "X-Autoreply": "yes" },
      text: "Away.",
    });
    await sender.sendMail({
      from: body.email,
      to: "support@desk.test",
      subject: "Newsletter",
      headers: { Precedence: "bulk", "List-Id": "<news.example.com>" },
      text: "Our deals this week.",
    });
    // A DSN: empty envelope sender, multipart/report with a delivery-status part.
    const dsn =
      `From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\nTo: support@desk.test\r\n` +
      `Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n` +
      `Message-ID: <dsn-${Date.now()}@mx.example.com>\r\n` +
      `Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n` +
      `--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n` +
      `--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n` +
      `Final-Recipient: rfc822; ${body.email}\r\nAction: failed\r\nStatus: 5.1.1\r\n` +
      `--b1--\r\n`;
    await sender.sendMail({ envelope: { from: "", to: ["support@desk.test"] }, raw: dsn });

    await sleep(500);
    expect(await repo(Ticket).count()).to.equal(tickets);
    expect(await messagesOf(ticket.id)).to.have.length(0);
    expect(relay.received.map((m) => [m.envelope.to, m.parsed.subject])).to.deep.equal([]);
    const customer = await repo(Customer).findOneByOrFail({ email: body.email });
    expect(customer.emailBouncedAt).to.be.instanceOf(Date);
  });

  it("opens a ticket from a new email with the IMEI it names, and mails back the link", async () => {
    const imei = buildImei();
    const email = buildEmail();
    await sender.sendMail({
      from: `Sam Okafor <${email}>`,
      to: "support@desk.test",
      subject: "No 4G on my phone",
      text: `Hello, my phone (IMEI ${imei.slice(0, 2)} ${imei.slice(2, 8)} ${imei.slice(8)}) has no 4G.`,
    });
    const mail = await relay.mailTo(email);
    expect(mail.parsed.text).to.match(/\/portal\/t\/[A-Za-z0-9_-]{43}/);
    expect(mail.parsed.text).to.not.include("IMEI (dial");
    const ticket = await repo(Ticket).findOneOrFail({
      where: { subject: "No 4G on my phone" },
      relations: { customer: true },
    });
    expect(ticket.customer!.email).to.equal(email);
    expect(ticket.contactName).to.equal("Sam Okafor");
    expect(ticket.channel).to.equal("email");
    const agent = await signedInAs(t);
    const listed = await agent.get(`/api/tickets/${ticket.id}`).expect(200);
    expect(listed.body.ticket.channel).to.equal("email");
    const handset = await repo(Handset).findOneByOrFail({ id: ticket.handsetId! });
    expect(handset).to.be.an("object");
    const identifiers = await repo(HandsetIdentifier).findBy({ handsetId: handset.id });
    expect(identifiers.map((i) => i.value)).to.include(imei);
  });

  it("asks for the IMEI when a new email names none (or a wrong one)", async () => {
    const email = buildEmail();
    await sender.sendMail({
      from: email,
      to: "support@desk.test",
      subject: "Phone keeps restarting",
      text: "It restarts every hour. IMEI 123456789012345 I think.",
    });
    const mail = await relay.mailTo(email);
    expect(mail.parsed.text).to.include("please reply with its IMEI");
    const ticket = await repo(Ticket).findOneByOrFail({ subject: "Phone keeps restarting" });
    expect(ticket.handsetId).to.equal(null);
  });

  it("stops a ticket's notifications after a mail to its List-Unsubscribe address, and only that ticket's", async () => {
    const stopped = await ticketWithNotification();
    const other = await ticketWithNotification();
    const unsubscribeOf = (email: string) => {
      const notification = relay.received.find((mail) => mail.envelope.to[0] === email)!;
      const unfolded = notification.raw.replace(/\r\n[ \t]+/g, " ");
      return /^List-Unsubscribe: ?<mailto:([^>]+)>/m.exec(unfolded)![1];
    };
    const unsubscribe = unsubscribeOf(stopped.body.email);
    const ticketsBefore = await repo(Ticket).count();

    await sender.sendMail({
      from: stopped.body.email,
      to: unsubscribe,
      subject: "unsubscribe",
      text: "",
    });
    expect(await repo(Ticket).count(), "an unsubscribe opens no ticket").to.equal(ticketsBefore);
    relay.received.length = 0;
    const agent = await signedInAs(t);
    for (const { ticket } of [stopped, other]) {
      await agent
        .post(`/api/tickets/${ticket.id}/messages`, { body: "Any luck after the restart?" })
        .expect(201);
    }
    const reached = await relay.mailTo(other.body.email);
    expect(reached.parsed.text).to.include("Any luck after the restart?");
    await sleep(600);
    expect(relay.received.map((mail) => mail.envelope.to[0])).to.deep.equal([other.body.email]);
    const held = await repo(OutboxMessage).findOneByOrFail({
      ticketId: stopped.ticket.id,
      kind: "agent_reply",
    });
    expect(held.state).to.equal("sent");
    expect(held.lastError).to.equal("not sent: the customer unsubscribed");
    // A forged unsubscribe for the other ticket (one character of its token changed) stops nothing.
    const forged = unsubscribeOf(other.body.email).replace(
      /\+u(.)/,
      (_all, first: string) => `+u${first === "a" ? "b" : "a"}`,
    );
    await sender.sendMail({ from: other.body.email, to: forged, subject: "unsubscribe", text: "" });
    relay.received.length = 0;
    await agent
      .post(`/api/tickets/${other.ticket.id}/messages`, { body: "Still there?" })
      .expect(201);
    const deadline = Date.now() + 8000;
    while (!relay.received.some((mail) => (mail.parsed.text ?? "").includes("Still there?"))) {
      expect(Date.now(), "the reply after a forged unsubscribe is mailed").to.be.below(deadline);
      await sleep(50);
    }
  });

  it("takes a message delivered twice (same Message-ID) once", async () => {
    const email = buildEmail();
    const mail = {
      from: email,
      to: "support@desk.test",
      subject: "Duplicate delivery",
      messageId: `<dup-${Date.now()}@example.com>`,
      text: "Only once please.",
    };
    await sender.sendMail(mail);
    await sender.sendMail(mail);
    expect(await repo(Ticket).countBy({ subject: "Duplicate delivery" })).to.equal(1);
  });

  it("defers a flood from one sender (451) and takes nothing more from it", async () => {
    const email = buildEmail();
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      try {
        await sender.sendMail({
          from: email,
          to: "support@desk.test",
          subject: `Flood ${i}`,
          text: "x",
        });
        results.push("ok");
      } catch (error) {
        results.push(String((error as { responseCode?: number }).responseCode));
      }
    }
    expect(results).to.deep.equal(["ok", "ok", "ok", "ok", "ok", "451", "451"]);
  });

  it("relays nothing: mail for other domains is refused at RCPT", async () => {
    const error = await sender
      .sendMail({ from: buildEmail(), to: "someone@elsewhere.example", subject: "x", text: "x" })
      .then(
        () => null,
        (e: unknown) => e as { responseCode?: number },
      );
    expect(error?.responseCode).to.equal(550);
  });
});
