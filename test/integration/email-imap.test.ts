import { expect } from "chai";
import { ImapFlow } from "imapflow";
import request from "supertest";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { parseImapUrl, returnPathOf } from "../../server/src/modules/email/imap-poller";
import { buildEmail, buildPortalTicket } from "../support/factories";
import { hasDovecot, startTestMailbox } from "../support/dovecot";
import type { TestMailbox } from "../support/dovecot";
import { sleep } from "../support/ports";
import { startTestRelay } from "../support/smtp-relay";
import type { TestRelay } from "../support/smtp-relay";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

describe("email in: IMAP_URL parsing", () => {
  it("reads user, password, host, port and mailbox, with the defaults", () => {
    expect(parseImapUrl("imaps://desk%40example.com:p%2Fw@mail.example.com/Support")).to.deep.equal(
      {
        host: "mail.example.com",
        port: 993,
        secure: true,
        user: "desk@example.com",
        pass: "p/w",
        mailbox: "Support",
      },
    );
    expect(parseImapUrl("imap://u:p@127.0.0.1:1143")).to.include({
      port: 1143,
      secure: false,
      mailbox: "INBOX",
    });
    expect(returnPathOf(Buffer.from("Return-Path: <>\r\nFrom: x@y.z\r\n\r\nbody"))).to.equal("");
  });
});

describe("email in: polling a mailbox (IMAP_URL) on a real Dovecot", function () {
  let mailbox: TestMailbox;
  let relay: TestRelay;
  let t: TestServer;
  let imap: ImapFlow;
  before(async function () {
    if (!hasDovecot) {
      // .ci/run installs Debian's dovecot-imapd; without it (or without root) this cannot run.
      this.skip();
    }
    mailbox = await startTestMailbox();
    relay = await startTestRelay();
    t = await startTestServer(
      {
        mail: {
          smtpUrl: relay.url,
          from: { name: "Greydesk", address: "support@desk.test" },
          inbound: null,
          imapUrl: mailbox.url,
          leaseMs: 120_000,
        },
      },
      { mail: { worker: { pollMs: 100 }, imapPollMs: 200 } },
    );
    imap = new ImapFlow({
      host: "127.0.0.1",
      port: mailbox.port,
      secure: false,
      auth: { user: mailbox.user, pass: mailbox.pass },
      logger: false,
    });
    await imap.connect();
  });
  after(async () => {
    await imap?.logout().catch(() => undefined);
    await t?.stop();
    await relay?.close();
    await mailbox?.stop();
  });

  const repo = <T extends object>(entity: new () => T) =>
    t.server.db.dataSource.getRepository(entity);

  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + 10_000;
    while (!(await check())) {
      expect(Date.now(), "in time").to.be.below(end);
      await sleep(50);
    }
  }

  it("opens tickets from new mail, puts tokened replies on their ticket, and flags them seen", async () => {
    const body = buildPortalTicket();
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const notification = await relay.mailTo(body.email);
    const replyTo = notification.parsed.replyTo!.value[0].address!;
    const ticket = await repo(Ticket).findOneByOrFail({
      number: Number((res.body.ticket.number as string).slice(3)),
    });
    const stranger = buildEmail();
    await imap.append(
      "INBOX",
      `Return-Path: <${body.email}>\r\nFrom: ${body.email}\r\nTo: ${replyTo}\r\n` +
        `Subject: Re: ticket\r\nMessage-ID: <imap-reply-${Date.now()}@example.com>\r\n\r\n` +
        `Still no LTE after the restart.\r\n\r\nOn Mon, Greydesk wrote:\r\n> Hello\r\n`,
    );
    await imap.append(
      "INBOX",
      `Return-Path: <${stranger}>\r\nFrom: ${stranger}\r\nTo: support@desk.test\r\n` +
        `Subject: Screen flickers\r\nMessage-ID: <imap-new-${Date.now()}@example.com>\r\n\r\n` +
        `The screen flickers since the update.\r\n`,
    );
    await imap.append(
      "INBOX",
      `Return-Path: <${stranger}>\r\nFrom: ${stranger}\r\nTo: support@desk.test\r\n` +
        `Auto-Submitted: auto-replied\r\nSubject: Away\r\n\r\nI am away.\r\n`,
    );
    t.server.mail.pollMailbox();

    await eventually(
      async () =>
        (await repo(TicketEvent).findBy({ ticketId: ticket.id, type: "message" })).length === 1,
    );
    const [reply] = await repo(TicketEvent).findBy({ ticketId: ticket.id, type: "message" });
    expect(reply.body).to.equal("Still no LTE after the restart.");
    await eventually(
      async () => (await repo(Ticket).countBy({ subject: "Screen flickers" })) === 1,
    );
    expect(await repo(Ticket).countBy({ subject: "Away" })).to.equal(0);

    const lock = await imap.getMailboxLock("INBOX");
    try {
      await eventually(
        async () => ((await imap.search({ seen: false }, { uid: true })) || []).length === 0,
      );
    } finally {
      lock.release();
    }
  });
});
