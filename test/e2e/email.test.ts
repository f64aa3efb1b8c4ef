import { expect } from "chai";
import nodemailer from "nodemailer";
import type { Browser } from "playwright-core";
import { buildAgent } from "../support/agents";
import type { TestAgent } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import {
  CLIENT_DIR,
  PHONE,
  WIDE,
  launchBrowser,
  openPortalTicket,
  saveScreenshot,
  sidewaysOverflow,
  signedInSession,
} from "./helpers";
import type { Session } from "./helpers";

describe("email in the console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let sessions: Session[] = [];

  before(async () => {
    // No relay (SMTP_URL unset): mail waits in the outbox, where the admin reads it.
    t = await startTestServer(
      {
        mail: {
          smtpUrl: null,
          from: { name: "Greydesk", address: "support@desk.test" },
          inbound: { port: 0, host: "127.0.0.1" },
          imapUrl: null,
          leaseMs: 120_000,
        },
      },
      { clientDir: CLIENT_DIR },
    );
    browser = await launchBrowser();
    admin = await buildAgent(t, "admin", "Ada Admin");
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });
  afterEach(async () => {
    const open = sessions;
    sessions = [];
    await Promise.all(open.map((session) => session.context.close()));
  });

  async function opened(subject: string) {
    const body = buildPortalTicket({ subject });
    const created = await openPortalTicket(t, body);
    const ticket = await t.server.db.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ number: Number(created.ticket.number.slice(3)) });
    return { body, created, ticket };
  }

  it("shows admins the outbox: the waiting ticket link, rendered, wide and on a phone", async () => {
    const { created, body } = await opened("Outbox shows this link");
    for (const [viewport, name] of [
      [WIDE, "outbox-1440"],
      [PHONE, "outbox-360"],
    ] as const) {
      const session = await signedInSession(browser, t, admin, viewport);
      sessions.push(session);
      const { page } = session;
      await page.getByRole("link", { name: "Outbox", exact: true }).click();
      await page.getByRole("heading", { name: "Outbox", level: 1 }).waitFor();
      const item = page.locator("li.outbox__item", {
        has: page.getByText(`Your support ticket ${created.ticket.number}`),
      });
      await item.waitFor();
      expect(await item.getAttribute("data-state")).to.equal("queued");
      expect(await item.getByText(body.email).count()).to.equal(1);
      await item.getByText("Message").click();
      expect(await item.locator("pre").textContent()).to.include(created.accessUrl);
      await saveScreenshot(page, name);
      expect(await sidewaysOverflow(page)).to.equal(0);
      expect(session.errors).to.deep.equal([]);
    }
  });

  it("shows a customer's reply by email in the open ticket without a reload", async () => {
    const { body, ticket } = await opened("Reply arrives by email");
    const session = await signedInSession(browser, t, admin, WIDE);
    sessions.push(session);
    const { page } = session;
    await page.goto(`/#/t/${ticket.id}`);
    await page.getByRole("heading", { name: "Reply arrives by email" }).waitFor();

    const sender = nodemailer.createTransport({
      host: "127.0.0.1",
      port: t.server.mail.inboundAddress()!.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await sender.sendMail({
        from: body.email,
        // The reply address of the ticket's notifications (the token is the ticket's HMAC).
        to: t.server.mail.addresses.replyTo(ticket.id),
        subject: "Re: Your support ticket",
        text: "Written in my mail program: still no signal.\n\n> quoted notification",
      });
    } finally {
      sender.close();
    }
    await page
      .getByText("Written in my mail program: still no signal.")
      .waitFor({ timeout: 10_000 });
    expect(await page.getByText("quoted notification").count()).to.equal(0);
    await saveScreenshot(page, "email-reply-live-1440", { fullPage: false });
    expect(session.errors).to.deep.equal([]);
  });
});
