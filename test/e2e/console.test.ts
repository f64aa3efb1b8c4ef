import { readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { buildAgent, signedInAs } from "../support/agents";
import type { TestAgent } from "../support/agents";
import { buildEmail, buildPortalTicket } from "../support/factories";
import type { TestServer } from "../support/test-server";
import {
  CLIENT_DIR,
  PHONE,
  TABLET,
  WIDE,
  afterTwoFrames,
  launchBrowser,
  openPortalTicket,
  openSession,
  queueRow,
  saveScreenshot,
  signInThroughUi,
  signedInSession,
  sidewaysOverflow,
  startE2eServer,
  ticketIdOf,
} from "./helpers";
import type { Session } from "./helpers";

// Functions given to page.evaluate and waitForFunction run in the browser. The test tsconfig has
// no DOM types, so this module declares the little of `document` those functions use.
interface BrowserNode {
  id: string;
  textContent: string | null;
  getBoundingClientRect(): { top: number };
}
declare const document: {
  activeElement: BrowserNode | null;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): BrowserNode | null;
  querySelectorAll(selector: string): Iterable<BrowserNode> & { length: number };
};

/** Stored-XSS payloads (docs/SECURITY.md T24): each must show up as the literal text it is. */
const XSS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  '"><iframe src=javascript:alert(1)>',
] as const;

/** Waits until the console's socket is connected (the indicator says "Live"). */
async function waitUntilLive(page: Page): Promise<void> {
  await page.locator('.connection[data-status="connected"]').waitFor();
}

/** Opens the ticket with this subject from the queue and waits for its page. */
async function openFromQueue(page: Page, subject: string): Promise<void> {
  await page.getByRole("link", { name: subject, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
}

function composer(page: Page) {
  return page.locator("textarea.composer__text");
}

describe("agent console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let sessions: Session[] = [];

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
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

  /** A new browser context with `agent` signed in; closed after the test. */
  async function agentBrowser(
    agent: TestAgent,
    viewport?: { width: number; height: number },
  ): Promise<Session> {
    const session = await signedInSession(browser, t, agent, viewport);
    sessions.push(session);
    return session;
  }

  function noDialogsOrErrors(...all: Session[]): void {
    for (const session of all) {
      expect(session.dialogs, "JavaScript dialogs").to.deep.equal([]);
      expect(session.errors, "page errors").to.deep.equal([]);
    }
  }

  it("signs in through the form, showing the API's error next to it first", async () => {
    const agent = await buildAgent(t, "agent", "Morgan Signin");
    const session = await openSession(browser, t.url);
    sessions.push(session);
    const { page } = session;
    await page.goto("/");
    // The form takes the focus, on the email field.
    await page.waitForFunction(() => document.activeElement?.id === "signin-email");
    await page.getByLabel("Email").fill(agent.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).to.contain("Wrong email or password");
    // The password field is emptied and focused, ready for another try.
    expect(await page.getByLabel("Password").inputValue()).to.equal("");
    expect(await page.getByLabel("Password").evaluate((el) => el === document.activeElement)).to.be
      .true;

    await page.getByLabel("Password").fill(agent.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Queue", level: 1 }).waitFor();
    expect(await page.locator(".topbar__user").textContent()).to.equal("Morgan Signin");
    noDialogsOrErrors(session);
  });

  it("shows a portal ticket in two agents' queues without a reload", async () => {
    // Some tickets already there, so the queue (and its screenshot) is not empty.
    const earlier = [
      { subject: "Phone reboots when on Wi-Fi calling", category: "volte_wifi_calling" },
      { subject: "Arrived with a cracked screen", category: "doa" },
      { subject: "No Google Play on this ROM", category: "google_services_rom" },
    ];
    for (const ticket of earlier) {
      await openPortalTicket(t, buildPortalTicket(ticket));
    }
    const riley = await buildAgent(t, "agent", "Riley Agent");
    const sam = await buildAgent(t, "agent", "Sam Second");
    const [a, b] = await Promise.all([agentBrowser(riley), agentBrowser(sam)]);
    await Promise.all([waitUntilLive(a.page), waitUntilLive(b.page)]);
    const newCount = (page: Page) =>
      page
        .locator("button.chip--new .chip__count")
        .evaluate((el) => Number(el.textContent?.replace(/\D/g, "")));
    await a.page.locator("button.chip--new .chip__count").waitFor();
    const before = await newCount(a.page);

    const subject = `No LTE on band 66 ${Date.now()}`;
    await openPortalTicket(t, buildPortalTicket({ subject, name: "Dana Whitfield" }));

    for (const { page } of [a, b]) {
      const row = queueRow(page, subject);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).to.contain("Dana Whitfield");
      expect(await row.textContent()).to.contain("New");
      // Arrived after the agent signed in and not opened yet: unread.
      expect(await row.locator(".unread-mark").count()).to.equal(1);
      // The count of new tickets went up too.
      await page.waitForFunction(
        (expected) =>
          document
            .querySelector("button.chip--new .chip__count")
            ?.textContent?.replace(/\D/g, "") === expected,
        String(before + 1),
      );
    }
    await saveScreenshot(a.page, "queue");
    noDialogsOrErrors(a, b);
  });

  it("shows the other agent typing, then their reply, live", async () => {
    const riley = await buildAgent(t, "agent", "Riley Typist");
    const sam = await buildAgent(t, "agent", "Sam Watcher");
    const subject = `Stuck on 3G ${Date.now()}`;
    await openPortalTicket(t, buildPortalTicket({ subject }));
    const [a, b] = await Promise.all([agentBrowser(riley), agentBrowser(sam)]);
    await Promise.all([waitUntilLive(a.page), waitUntilLive(b.page)]);
    await Promise.all([openFromQueue(a.page, subject), openFromQueue(b.page, subject)]);

    // Each sees the other on the ticket.
    await b.page.locator(".viewers__list").getByText("Riley Typist").waitFor({ state: "attached" });
    await a.page.locator(".viewers__list").getByText("Sam Watcher").waitFor({ state: "attached" });

    await composer(a.page).click();
    await a.page.keyboard.type("Hello! Could you dial *#06# and", { delay: 20 });
    const typing = b.page.locator(".viewers__typing");
    await typing.getByText("Riley Typist is typing…").waitFor();

    await a.page.keyboard.type(" send us the number?");
    await a.page.getByRole("button", { name: "Send reply" }).click();

    const reply = b.page.locator('li.message[data-event-type="message"]', {
      hasText: "Could you dial *#06# and send us the number?",
    });
    await reply.waitFor();
    expect(await reply.locator(".message__kind").textContent()).to.equal("Public reply");
    expect(await reply.textContent()).to.contain("Riley Typist");
    // Sending ends the typing signal.
    await b.page.waitForFunction(
      () => document.querySelector(".viewers__typing")?.textContent === "",
    );
    // The first public reply opened the ticket; the other agent's page shows that too.
    await b.page
      .locator(".timeline__change", { hasText: "changed status from New to Open" })
      .waitFor();
    await saveScreenshot(b.page, "ticket");
    noDialogsOrErrors(a, b);
  });

  it("labels internal notes in words and keeps them from the customer", async () => {
    const riley = await buildAgent(t, "agent", "Riley Noter");
    const sam = await buildAgent(t, "agent", "Sam Reader");
    const subject = `Warranty question ${Date.now()}`;
    const { accessUrl } = await openPortalTicket(t, buildPortalTicket({ subject }));
    const [a, b] = await Promise.all([agentBrowser(riley), agentBrowser(sam)]);
    await Promise.all([waitUntilLive(a.page), waitUntilLive(b.page)]);
    await Promise.all([openFromQueue(a.page, subject), openFromQueue(b.page, subject)]);

    await a.page.getByRole("button", { name: "Internal note", exact: true }).click();
    const box = a.page.getByRole("textbox", { name: "Internal note (only agents see it)" });
    await box.fill("Grey import from HK; the carrier warranty does not apply.");
    await a.page.getByRole("button", { name: "Add note" }).click();

    for (const { page } of [a, b]) {
      const note = page.locator('li.message[data-event-type="note"]', {
        hasText: "Grey import from HK",
      });
      await note.waitFor();
      expect(await note.locator(".message__kind").textContent()).to.contain("Internal note");
      expect(await note.getAttribute("class")).to.contain("message--note");
    }
    // The customer's first message is there and not marked as a note.
    const opening = b.page.locator('li.message[data-event-type="created"]');
    expect(await opening.locator(".message__kind").textContent()).to.equal("Customer");

    const customer = await openSession(browser, t.url);
    sessions.push(customer);
    await customer.page.goto(accessUrl);
    await customer.page.getByRole("heading", { name: subject }).waitFor();
    expect(await customer.page.locator("main").textContent()).not.to.contain("Grey import");
    noDialogsOrErrors(a, b, customer);
  });

  it("renders HTML and script payloads as inert text", async () => {
    const riley = await buildAgent(t, "agent", "Riley Safe");
    const marker = `${Date.now()}`;
    const subject = `${XSS.join(" ")} ${marker}`;
    const name = XSS.join(" ");
    const description = XSS.join("\n");
    const { accessUrl } = await openPortalTicket(
      t,
      buildPortalTicket({ subject, name, description }),
    );
    const a = await agentBrowser(riley);
    await waitUntilLive(a.page);

    const row = queueRow(a.page, subject);
    await row.waitFor();
    expect(await row.textContent()).to.contain(name);
    await openFromQueue(a.page, subject);
    const main = a.page.locator("main");
    const text = (await main.textContent()) ?? "";
    for (const payload of XSS) {
      expect(text).to.contain(payload);
    }
    const opening = a.page.locator('li.message[data-event-type="created"] .message__body');
    expect(await opening.innerText()).to.equal(description);
    // Nothing was parsed as markup: no element the payloads would have created exists.
    expect(await main.locator("script, img, svg, iframe").count()).to.equal(0);

    // The customer's page too.
    const customer = await openSession(browser, t.url);
    sessions.push(customer);
    await customer.page.goto(accessUrl);
    await customer.page.getByRole("heading", { name: subject }).waitFor();
    expect(
      await customer.page.locator("main script, main img, main svg, main iframe").count(),
    ).to.equal(0);
    // Give any injected handler a moment to fire before checking.
    await a.page.waitForTimeout(300);
    noDialogsOrErrors(a, customer);
  });

  it("moves with j and k, opens with Enter, and has r, n, a, / and ? shortcuts", async () => {
    const riley = await buildAgent(t, "agent", "Riley Keys");
    const stamp = Date.now();
    for (const subject of [1, 2, 3].map((n) => `Keyboard ticket ${n} ${stamp}`)) {
      await openPortalTicket(t, buildPortalTicket({ subject }));
    }
    const a = await agentBrowser(riley);
    const { page } = a;
    await waitUntilLive(page);
    // /: the search box; only this test's tickets.
    await page.keyboard.press("/");
    await page.waitForFunction(() => document.activeElement?.id === "queue-search");
    await page.keyboard.type(`${stamp}`);
    await page.waitForFunction((stamp) => {
      const rows = [...document.querySelectorAll("li.queue-row")];
      return rows.length === 3 && rows.every((row) => row.textContent?.includes(stamp));
    }, `${stamp}`);
    const order = await page.locator("li.queue-row .queue-row__subject").allTextContents();
    await page.getByRole("heading", { name: "Queue" }).click();

    const selected = page.locator('li.queue-row[aria-current="true"] .queue-row__subject');
    await page.keyboard.press("j");
    expect(await selected.textContent()).to.equal(order[0]);
    await page.keyboard.press("j");
    expect(await selected.textContent()).to.equal(order[1]);
    await page.keyboard.press("j");
    expect(await selected.textContent()).to.equal(order[2]);
    await page.keyboard.press("k");
    expect(await selected.textContent()).to.equal(order[1]);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: order[1] }).waitFor();

    // r: the reply box; typing there is text, not shortcuts.
    await page.keyboard.press("r");
    const box = composer(page);
    expect(await box.evaluate((el) => el === document.activeElement)).to.be.true;
    await page.keyboard.type("jka/?");
    expect(await box.inputValue()).to.equal("jka/?");
    expect(page.url()).to.contain("#/t/");
    await box.fill("");

    // n: the same box as an internal note.
    await page.getByRole("heading", { level: 1 }).focus();
    await page.keyboard.press("n");
    expect(
      await page
        .getByRole("button", { name: "Internal note", exact: true })
        .getAttribute("aria-pressed"),
    ).to.equal("true");
    expect(await box.evaluate((el) => el === document.activeElement)).to.be.true;

    // a: assign to me.
    await page.getByRole("heading", { level: 1 }).focus();
    await page.keyboard.press("a");
    await page.getByRole("button", { name: "Assigned to you" }).waitFor();
    const assignee = page.getByRole("combobox", { name: "Assignee" });
    expect(await assignee.locator("option:checked").textContent()).to.equal("Riley Keys (me)");

    // ?: the help dialog; Esc closes it.
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.textContent()).to.contain("Move the selection down or up in the queue");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });

    // /: back to the queue with the search box focused; the opened ticket is no longer unread.
    await page.keyboard.press("/");
    await page.getByRole("heading", { name: "Queue", level: 1 }).waitFor();
    const search = page.getByLabel("Search");
    await page.waitForFunction(() => document.activeElement?.id === "queue-search");
    expect(await search.inputValue()).to.equal(`${stamp}`);
    // Opened (and changed while open): not unread.
    expect(await queueRow(page, order[1]).locator(".unread-mark").count()).to.equal(0);
    noDialogsOrErrors(a);
  });

  it("holds back a reply that would land after someone else's, until sent anyway", async () => {
    const riley = await buildAgent(t, "agent", "Riley Quick");
    const sam = await buildAgent(t, "agent", "Sam Slow");
    const subject = `Collision ${Date.now()}`;
    await openPortalTicket(t, buildPortalTicket({ subject }));
    const [a, b] = await Promise.all([agentBrowser(riley), agentBrowser(sam)]);
    await Promise.all([waitUntilLive(a.page), waitUntilLive(b.page)]);
    await Promise.all([openFromQueue(a.page, subject), openFromQueue(b.page, subject)]);

    // Sam starts a reply, Riley answers first.
    await composer(b.page).fill("We will replace it under warranty.");
    await composer(a.page).fill("This model is sold as-is, sorry.");
    await a.page.getByRole("button", { name: "Send reply" }).click();
    await b.page
      .locator('li.message[data-event-type="message"]', { hasText: "sold as-is" })
      .waitFor();

    await b.page.getByRole("button", { name: "Send reply" }).click();
    const guard = b.page.locator(".reply-guard");
    await guard.getByText("Riley Quick replied while you were typing").waitFor();
    expect(await guard.textContent()).to.contain("This model is sold as-is, sorry.");
    expect(await composer(b.page).inputValue()).to.equal("We will replace it under warranty.");

    await guard.getByRole("button", { name: "Send anyway" }).click();
    await guard.waitFor({ state: "detached" });
    await a.page
      .locator('li.message[data-event-type="message"]', { hasText: "replace it under warranty" })
      .waitFor();
    expect(await composer(b.page).inputValue()).to.equal("");
    noDialogsOrErrors(a, b);
  });

  it("changes status only to allowed next states and tells the history as a story", async () => {
    const riley = await buildAgent(t, "agent", "Riley Story");
    const subject = `Story ${Date.now()}`;
    await openPortalTicket(t, buildPortalTicket({ subject }));
    const a = await agentBrowser(riley);
    await openFromQueue(a.page, subject);
    const { page } = a;

    const status = page.getByRole("combobox", { name: "Status" });
    await status.selectOption("pending_customer");
    await page
      .locator(".timeline__change", {
        hasText: "Riley Story changed status from New to Waiting on customer",
      })
      .waitFor();
    const offered = await status
      .locator("option")
      .evaluateAll((options) =>
        options.map((option) => (option as unknown as { value: string }).value),
      );
    expect(offered).not.to.include("new");

    await page.getByRole("button", { name: "Change warranty or handset" }).click();
    await page.getByLabel("Warranty ends").fill("2017-03-12");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page
      .locator(".timeline__change", {
        hasText: "Riley Story changed the warranty: end date set to 12 March 2017",
      })
      .waitFor();
    expect(await page.locator(".warranty-decision").textContent()).to.contain(
      "the carrier's warranty ended on 12 March 2017",
    );

    // The IMEI is masked until asked for.
    const imei = page.getByTestId("imei");
    expect(await imei.textContent()).to.match(/^\d{8}\*{6}\d{2}$/);
    await page.getByRole("button", { name: "Show IMEI" }).click();
    expect(await imei.textContent()).to.match(/^\d{15}$/);
    noDialogsOrErrors(a);
  });

  it("lets an admin add, demote, disable and re-enable agents", async () => {
    const admin = await buildAgent(t, "admin", "Ada Admin");
    const a = await agentBrowser(admin);
    const { page } = a;
    await page.getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { name: "Agents", level: 1 }).waitFor();

    const email = `new-${Date.now()}@desk.example`;
    await page.getByLabel("Name", { exact: true }).fill("Noor New");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel(/^Password/).fill("a-long-enough-password");
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Add agent" }).click();

    const row = page.locator("tr", { hasText: email });
    await row.waitFor();
    await row.getByRole("combobox", { name: "Role of Noor New" }).selectOption("agent");
    await page
      .getByRole("status")
      .getByText("Noor New is now agent.")
      .waitFor({ state: "attached" });
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByText("Disabled").waitFor();
    await row.getByRole("button", { name: "Enable" }).click();
    await row.getByText("Active").waitFor();
    noDialogsOrErrors(a);
  });

  it("works at tablet width without sideways scrolling", async () => {
    const riley = await buildAgent(t, "agent", "Riley Tablet");
    const subject = `Tablet ${Date.now()} with a subject long enough to need wrapping on a small screen`;
    await openPortalTicket(t, buildPortalTicket({ subject }));
    const a = await agentBrowser(riley, TABLET);
    const { page } = a;
    await queueRow(page, subject).waitFor();
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await overflow()).to.equal(0);
    await openFromQueue(page, subject);
    expect(await overflow()).to.equal(0);
    // Controls come before the conversation on a narrow screen.
    const order = await page.evaluate(() => {
      const controls = document.querySelector(".controls")!.getBoundingClientRect().top;
      const conversation = document
        .querySelector(".ticket-conversation")!
        .getBoundingClientRect().top;
      return controls < conversation;
    });
    expect(order).to.be.true;
    await saveScreenshot(page, "ticket-tablet");
    noDialogsOrErrors(a);
  });

  it("shows the name given on a ticket, a notice when the record's differs, and an unverified email (T41)", async () => {
    const email = buildEmail();
    await openPortalTicket(
      t,
      buildPortalTicket({ email, name: "Alice Owner", subject: `Owner's own ${Date.now()}` }),
    );
    const subject = `Under someone else's email ${Date.now()}`;
    await openPortalTicket(
      t,
      buildPortalTicket({ email, name: "Mallory Stranger", phone: "+44 20 7946 0999", subject }),
    );
    const agent = await buildAgent(t, "agent", "Sam Identity");
    const screens = [
      { viewport: { width: 1440, height: 900 }, name: "ticket-identity-desktop" },
      { viewport: { width: 360, height: 740 }, name: "ticket-identity-phone" },
    ];
    for (const { viewport, name } of screens) {
      const a = await agentBrowser(agent, viewport);
      const { page } = a;
      await queueRow(page, subject).waitFor();
      await openFromQueue(page, subject);

      const who = page.locator(".ticket-header__customer");
      expect(await who.textContent()).to.contain("Mallory Stranger");
      expect(await who.textContent()).to.contain("+44 20 7946 0999");
      expect(await who.textContent()).not.to.contain("Alice Owner");
      await who.getByText("email not verified", { exact: true }).waitFor();
      const warnings = page.getByRole("note", { name: "Warnings" });
      expect(await warnings.textContent()).to.contain(
        "This ticket was opened as Mallory Stranger, but the customer record for this email is Alice Owner.",
      );
      expect(await warnings.textContent()).to.contain("The email is not verified");
      await page.getByText("Reply to Mallory Stranger").waitFor();
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).to.equal(0);
      await saveScreenshot(page, name);
      noDialogsOrErrors(a);
    }
  });

  it("shows the connection state and catches up after being offline", async () => {
    const riley = await buildAgent(t, "agent", "Riley Offline");
    const a = await agentBrowser(riley);
    const { page, context } = a;
    await waitUntilLive(page);

    await context.setOffline(true);
    await page.locator('.connection:not([data-status="connected"])').waitFor();
    const subject = `Opened while offline ${Date.now()}`;
    await openPortalTicket(t, buildPortalTicket({ subject }));
    await page.waitForTimeout(500);
    expect(await queueRow(page, subject).count()).to.equal(0);

    await context.setOffline(false);
    await waitUntilLive(page);
    await queueRow(page, subject).waitFor({ timeout: 15_000 });
    // Chromium itself logs each reconnect attempt refused while the test holds the context
    // offline; those are the network being down, not the page failing. Anything else still counts.
    a.errors.splice(
      0,
      a.errors.length,
      ...a.errors.filter((message) => !message.includes("net::ERR_INTERNET_DISCONNECTED")),
    );
    noDialogsOrErrors(a);
  });

  it("signs an agent out at once when an admin disables them", async () => {
    const riley = await buildAgent(t, "agent", "Riley Disabled");
    const a = await agentBrowser(riley);
    await waitUntilLive(a.page);
    const admin = await signedInAs(t, "admin", "Ada Disabler");
    await admin.patch(`/api/agents/${riley.id}`, { disabled: true }).expect(200);

    await a.page.getByRole("heading", { name: "Sign in to Greydesk" }).waitFor({ timeout: 10_000 });
    expect(await a.page.getByRole("status").first().textContent()).to.contain(
      "Your session has ended",
    );
    noDialogsOrErrors(a);
  });

  it("signs out and back in", async () => {
    const riley = await buildAgent(t, "agent", "Riley Leaves");
    const a = await agentBrowser(riley);
    await a.page.getByRole("button", { name: "Sign out" }).click();
    await a.page.getByRole("heading", { name: "Sign in to Greydesk" }).waitFor();
    expect(await a.page.getByRole("status").first().textContent()).to.equal("You have signed out.");
    await signInThroughUi(a.page, riley);
    await waitUntilLive(a.page);
    noDialogsOrErrors(a);
  });

  it("shows the latest 50 entries of a long ticket, earlier ones on demand, live ones after (T37)", async () => {
    const sam = await signedInAs(t, "agent", "Sam Pages");
    const riley = await buildAgent(t, "agent", "Riley Pages");
    const subject = `Long history ${Date.now()}`;
    const opening = "The very first words of this ticket";
    const { ticket } = await openPortalTicket(
      t,
      buildPortalTicket({ subject, description: opening }),
    );
    const id = await ticketIdOf(sam, ticket.number);
    // What the history holds, in order: the opening, then replies and (every fourth) notes.
    const bodies = [opening];
    const post = async (body: string, internal = false) => {
      await sam.post(`/api/tickets/${id}/messages`, { body, internal }).expect(201);
      bodies.push(body);
    };
    for (let i = 1; i <= 60; i++) {
      await post(`Update number ${i}`, i % 4 === 0);
    }
    for (const [viewport, name] of [
      [WIDE, "ticket-earlier-desktop"],
      [PHONE, "ticket-earlier-phone"],
    ] as const) {
      const a = await agentBrowser(riley, viewport);
      const { page } = a;
      const conversation = page.locator(".ticket-conversation");
      const shown = () => conversation.locator(".message .message__body").allTextContents();
      /** Posts a reply as Sam and waits until this page has it and has refetched the ticket. */
      const postLive = async (body: string) => {
        const refetched = page.waitForResponse(
          async (response) =>
            new URL(response.url()).pathname === `/api/tickets/${id}` &&
            (await response.text()).includes(body),
        );
        await post(body);
        await conversation.getByText(body, { exact: true }).waitFor();
        await (await refetched).finished();
        await afterTwoFrames(page);
      };
      await queueRow(page, subject).waitFor();
      await openFromQueue(page, subject);
      await conversation.getByText(bodies[bodies.length - 1], { exact: true }).waitFor();
      expect(await shown()).to.deep.equal(bodies.slice(-50));
      const button = page.getByRole("button", { name: "Show earlier messages" });
      await button.waitFor();
      await button.scrollIntoViewIfNeeded();
      await saveScreenshot(page, `${name}-before`, { fullPage: false });

      // A live reply goes at the end; the refetch it causes keeps the oldest entry shown.
      await postLive(`Live before the earlier page, ${name}`);
      expect(await shown()).to.deep.equal(bodies.slice(-51));

      if (viewport === PHONE) {
        // By keyboard: once the first entry is in, the focus goes to the note that says so.
        await button.focus();
        await page.keyboard.press("Enter");
      } else {
        await button.click();
      }
      const start = conversation.getByText("The start of the conversation");
      await start.waitFor();
      // Every message and note once, in order; nothing is left to load.
      expect(await shown()).to.deep.equal(bodies);
      expect(await button.count()).to.equal(0);
      if (viewport === PHONE) {
        expect(await start.evaluate((node) => node === document.activeElement)).to.equal(true);
      }
      expect(await sidewaysOverflow(page)).to.equal(0);
      await saveScreenshot(page, `${name}-after`, { fullPage: false });

      // Live replies still append, and the refetch after one keeps the earlier pages.
      await postLive(`Live after the earlier page, ${name}`);
      expect(await shown()).to.deep.equal(bodies);
      expect(await button.count()).to.equal(0);
      await saveScreenshot(page, `${name}-after-full`);
      noDialogsOrErrors(a);
    }
  });

  it("serves the production build without source maps (T46)", async () => {
    const built = readdirSync(path.join(CLIENT_DIR, "assets"));
    expect(built.filter((name) => name.endsWith(".map"))).to.deep.equal([]);
    const index = await (await fetch(`${t.url}/`)).text();
    const scripts = [...index.matchAll(/\/assets\/[^"']+\.js/g)].map((match) => match[0]);
    expect(scripts).to.not.deep.equal([]);
    for (const script of scripts) {
      const asset = await fetch(`${t.url}${script}`);
      expect(asset.status).to.equal(200);
      expect(await asset.text()).to.not.include("sourceMappingURL");
      const map = await fetch(`${t.url}${script}.map`);
      expect(map.status, `${script}.map`).to.equal(404);
      expect(await map.text()).to.not.include("sourcesContent");
    }
  });
});
