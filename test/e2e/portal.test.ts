import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Browser, Page, Route } from "playwright-core";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import type { TestServer } from "../support/test-server";
import {
  PHONE,
  TINY_PNG,
  WIDE,
  afterTwoFrames,
  launchBrowser,
  openPortalTicket,
  openSession,
  saveScreenshot,
  sidewaysOverflow,
  startE2eServer,
  ticketIdOf,
} from "./helpers";
import type { Session } from "./helpers";

// Functions given to page.evaluate and waitForFunction run in the browser. The test tsconfig has
// no DOM types, so this module declares the little of the page's globals they use.
interface BrowserNode {
  id: string;
  textContent: string | null;
}
declare const document: {
  activeElement: BrowserNode | null;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): Iterable<BrowserNode & { labels: { length: number } }>;
  getElementById(id: string): { value?: string } | null;
};
declare const sessionStorage: { getItem(key: string): string | null };
declare function requestAnimationFrame(callback: () => void): number;

/** Stored-XSS payloads (docs/SECURITY.md T24): each must show up as the literal text it is. */
const XSS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  '"><iframe src=javascript:alert(1)>',
] as const;

/** A Redmi Note 3 (TAC 86927102 in the bundled Osmocom subset), valid check digit. */
const GOOD_IMEI = "869271020000011";
/** The same with a wrong last digit. */
const BAD_CHECK_DIGIT = "869271020000012";

/**
 * Holds every IMEI lookup (`GET /api/devices/lookup`) of `page` until the test lets it answer:
 * `next()` is the next held request, once the page has made it.
 */
async function holdLookups(page: Page): Promise<{ next(): Promise<Route> }> {
  const held: Route[] = [];
  let arrived: (() => void) | null = null;
  await page.route(
    (url) => url.pathname === "/api/devices/lookup",
    (route) => {
      held.push(route);
      arrived?.();
    },
  );
  return {
    async next() {
      while (held.length === 0) {
        await new Promise<void>((resolve) => (arrived = resolve));
      }
      return held.shift()!;
    },
  };
}

/** Waits until the ticket page's socket is connected. */
async function waitUntilLive(page: Page): Promise<void> {
  await page.locator('.portal-live[data-status="live"]').waitFor();
}

function statusLabel(page: Page) {
  return page.locator(".portal-status__label");
}

/** A ticket opened through the API, and its page open on a phone. */
interface OpenTicket {
  number: string;
  accessUrl: string;
  subject: string;
}

describe("customer portal (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let agent: SignedIn;
  let sessions: Session[] = [];

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
    agent = await signedInAs(t, "agent", "Riley Agent");
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

  /** A customer's browser on a phone-sized screen; closed after the test. */
  async function customerBrowser(): Promise<Session> {
    const session = await openSession(browser, t.url, PHONE);
    sessions.push(session);
    return session;
  }

  function noDialogsOrErrors(...all: Session[]): void {
    for (const session of all) {
      expect(session.dialogs, "JavaScript dialogs").to.deep.equal([]);
      expect(session.errors, "page errors").to.deep.equal([]);
    }
  }

  async function openTicketViaApi(subject: string): Promise<OpenTicket> {
    const { ticket, accessUrl } = await openPortalTicket(
      t,
      buildPortalTicket({ subject, imei: buildImei() }),
    );
    return { number: ticket.number, accessUrl, subject };
  }

  /** Opens the ticket page of `ticket` and waits until it is live. */
  async function openTicketPage(session: Session, ticket: OpenTicket): Promise<void> {
    await session.page.goto(ticket.accessUrl);
    await session.page.getByRole("heading", { level: 1, name: ticket.subject }).waitFor();
    await waitUntilLive(session.page);
  }

  it("opens a ticket on a phone: says why an IMEI is wrong, names the model, sends a photo", async () => {
    const customer = await customerBrowser();
    const { page } = customer;
    await customer.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/portal");
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    // Every control has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("main input, main textarea, main select")]
        .filter((control) => control.labels.length === 0)
        .map((control) => control.id),
    );
    expect(unlabelled).to.deep.equal([]);

    await page.getByLabel("Your name").fill("Dana Whitfield");
    await page.getByLabel("Email").fill(buildEmail());

    // A typo in the last digit: the page says which check failed, and that the start is right.
    const imei = page.getByLabel("IMEI", { exact: true });
    await imei.pressSequentially(BAD_CHECK_DIGIT, { delay: 15 });
    const imeiError = page.locator("#nt-imei-error");
    await imeiError.waitFor();
    expect(await imeiError.textContent()).to.contain(
      "The last digit does not match: check the number for a typo.",
    );
    expect(await imei.getAttribute("aria-invalid")).to.equal("true");
    expect(await imei.getAttribute("aria-describedby")).to.contain("nt-imei-feedback");
    await page
      .locator(".portal-imei__model", { hasText: "The first 8 digits match a Xiaomi Redmi Note 3" })
      .waitFor();

    // Fixed: valid, the model is named, and brand and model are filled in (and editable).
    await imei.fill("");
    await imei.pressSequentially(GOOD_IMEI, { delay: 15 });
    await page.locator(".portal-imei__ok", { hasText: "Valid IMEI." }).waitFor();
    await page
      .locator(".portal-imei__model", { hasText: "This looks like a Xiaomi Redmi Note 3." })
      .waitFor();
    expect(await imeiError.count()).to.equal(0);
    expect(await imei.getAttribute("aria-invalid")).to.equal(null);
    const brand = page.getByLabel("Brand", { exact: true });
    const model = page.getByLabel("Model", { exact: true });
    expect(await brand.inputValue()).to.equal("Xiaomi");
    expect(await model.inputValue()).to.equal("Redmi Note 3");
    expect(await model.isEditable()).to.be.true;

    // How to find the IMEI, behind a disclosure.
    await page.getByText("How do I find it?").click();
    const howTo = page.locator(".portal-disclosure ul");
    await howTo.waitFor();
    const howToText = (await howTo.textContent()) ?? "";
    expect(howToText).to.contain("*#06#");
    expect(howToText).to.contain("Settings → About phone");
    expect(howToText).to.contain("either one works");

    // Categories in plain words with a hint each.
    const network = page.getByRole("radio", { name: /Network or signal/ });
    expect(await network.getAttribute("aria-describedby")).to.equal("nt-category-network-hint");
    expect(await page.locator("#nt-category-network-hint").textContent()).to.equal(
      "No 4G/LTE, weak signal, or the phone doesn't work on our network",
    );
    await network.check();
    const subject = `No 4G since I got it ${Date.now()}`;
    await page.getByLabel("Subject").fill(subject);
    await page
      .getByLabel("What's wrong?")
      .fill("The phone only shows H+, never 4G.\nCalls work. Restarted twice.");
    await page.getByLabel("Photos, screenshots or PDFs").setInputFiles({
      name: "box-label.png",
      mimeType: "image/png",
      buffer: TINY_PNG,
    });
    const picked = page.locator(".portal-file", { hasText: "box-label.png" });
    await picked.waitFor();
    expect(await picked.textContent()).to.contain("PNG image");
    await picked.getByRole("button", { name: "Remove box-label.png" }).waitFor();

    expect(await sidewaysOverflow(page)).to.equal(0);
    await saveScreenshot(page, "portal-form");

    await page.getByRole("button", { name: "Open ticket" }).click();
    await page.getByRole("heading", { level: 1, name: "Your ticket is open" }).waitFor();
    const number = (await page.locator(".portal-number").first().textContent()) ?? "";
    expect(number).to.match(/^GD-\d+$/);
    const link = page.getByLabel("Link to your ticket");
    const accessUrl = await link.inputValue();
    expect(accessUrl).to.match(new RegExp(`^${t.url}/portal/t/[A-Za-z0-9_-]{43}$`));
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).to.contain("within one business day");
    expect(main).to.contain("Keep the link private");
    expect(main).to.contain("our email to");
    // The draft is gone once the ticket is open.
    expect(await page.evaluate(() => sessionStorage.getItem("greydesk.portal.draft"))).to.equal(
      null,
    );
    await page.getByRole("button", { name: "Copy link" }).click();
    await page.locator(".portal-link__said", { hasText: /Link copied|selected/ }).waitFor();
    expect(await sidewaysOverflow(page)).to.equal(0);
    await saveScreenshot(page, "portal-confirmation");

    // The ticket page: status in words, the message with its photo, the phone.
    await page.getByRole("link", { name: "Open your ticket" }).click();
    await page.getByRole("heading", { level: 1, name: subject }).waitFor();
    expect(page.url()).to.equal(accessUrl);
    await waitUntilLive(page);
    expect(await statusLabel(page).textContent()).to.equal("Received");
    const first = page.locator(".portal-message--customer").first();
    // Sent as multipart (there is a photo), whose text fields carry CRLF line breaks: the
    // server keeps them as they came, and pre-wrap shows them as one line break each.
    const body = await first.locator(".portal-message__body").innerText();
    expect(body.replace(/\r\n/g, "\n")).to.equal(
      "The phone only shows H+, never 4G.\nCalls work. Restarted twice.",
    );
    const photo = first.getByRole("link", { name: "box-label.png" });
    expect(await photo.getAttribute("download")).to.equal("");
    const [download] = await Promise.all([page.waitForEvent("download"), photo.click()]);
    expect(download.suggestedFilename()).to.equal("box-label.png");
    const phone = (await page.locator(".portal-facts").textContent()) ?? "";
    expect(phone).to.contain("Xiaomi Redmi Note 3");
    expect(await page.getByTestId("portal-imei").textContent()).to.equal("86927102******11");
    expect(await page.locator(".portal-warranty__summary").textContent()).to.be.a("string").and.not
      .empty;
    expect(await sidewaysOverflow(page)).to.equal(0);
    noDialogsOrErrors(customer);
  });

  it("tells a wiped IMEI, a reserved IMEISV and other-script digits apart, in plain words", async () => {
    const customer = await customerBrowser();
    const { page } = customer;
    await page.goto("/portal");
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    const imei = page.getByLabel("IMEI", { exact: true });
    const imeiError = page.locator("#nt-imei-error");

    // Arabic-Indic digits: their own message, at once, not "letters or symbols".
    await imei.fill("\u0668\u0666\u0669\u0662\u0667\u0661\u0660\u0662\u0660\u0660");
    await imeiError.waitFor();
    const arabic = (await imeiError.textContent()) ?? "";
    expect(arabic).to.contain("Use the digits 0-9");
    expect(arabic).to.not.contain("letters or symbols");
    await saveScreenshot(page, "portal-imei-other-digits");

    // An IMEISV ending in 99 is refused with the reason.
    await imei.fill("8692710200000199");
    await page.locator("#nt-imei-error", { hasText: "reserved software version" }).waitFor();

    // All zeros: valid in form, but the phone's IMEI was wiped; no "test range" talk.
    await imei.fill("000000000000000");
    await page
      .locator(".portal-imei__warning", { hasText: "IMEI wiped or reset: the network may refuse" })
      .waitFor();
    expect(await page.locator(".portal-imei__warning", { hasText: "test range" }).count()).to.equal(
      0,
    );
    await saveScreenshot(page, "portal-imei-wiped");
    await page.setViewportSize(WIDE);
    await saveScreenshot(page, "portal-imei-wiped-wide");
    noDialogsOrErrors(customer);
  });

  it("keeps what was typed across a reload and shows errors next to their fields", async () => {
    const customer = await customerBrowser();
    const { page } = customer;
    await page.goto("/portal");

    // Nothing filled in: a summary that takes the focus, and an error at each field.
    await page.getByRole("button", { name: "Open ticket" }).click();
    const summary = page.locator(".portal-error-summary");
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).to.be.true;
    expect(await page.locator("#nt-name-error").textContent()).to.contain("Enter your name.");
    expect(await page.locator("#nt-category-error").textContent()).to.contain(
      "Choose what the problem is about.",
    );
    const name = page.getByLabel("Your name");
    expect(await name.getAttribute("aria-invalid")).to.equal("true");
    expect(await name.getAttribute("aria-describedby")).to.equal("nt-name-error");

    const subject = `Reload ${Date.now()}`;
    await name.fill("Sam Reload");
    // Passes the browser's light check; the server's stricter one says no.
    await page.getByLabel("Email").fill("sam@example");
    await page.getByLabel("Phone (optional)").fill("+1 555 010 2030");
    await page.getByLabel("IMEI", { exact: true }).fill(GOOD_IMEI);
    await page.getByRole("radio", { name: /Didn't work when it arrived/ }).check();
    await page.getByLabel("Subject").fill(subject);
    await page.getByLabel("What's wrong?").fill("Dead on arrival.\nWon't charge.");
    await page.getByLabel("Model", { exact: true }).waitFor();
    await page.waitForFunction(() => document.getElementById("nt-model")?.value === "Redmi Note 3");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    expect(await page.getByLabel("Your name").inputValue()).to.equal("Sam Reload");
    expect(await page.getByLabel("Email").inputValue()).to.equal("sam@example");
    expect(await page.getByLabel("IMEI", { exact: true }).inputValue()).to.equal(GOOD_IMEI);
    expect(await page.getByLabel("Subject").inputValue()).to.equal(subject);
    expect(await page.getByLabel("What's wrong?").inputValue()).to.equal(
      "Dead on arrival.\nWon't charge.",
    );
    expect(await page.getByRole("radio", { name: /Didn't work when it arrived/ }).isChecked()).to.be
      .true;
    expect(await page.getByLabel("Model", { exact: true }).inputValue()).to.equal("Redmi Note 3");

    // The server's answer lands next to the field it is about; nothing typed is lost.
    await page.getByRole("button", { name: "Open ticket" }).click();
    const emailError = page.locator("#nt-email-error");
    await emailError.waitFor();
    expect(await emailError.textContent()).to.contain("Email must be an email address.");
    const email = page.getByLabel("Email");
    expect(await email.getAttribute("aria-invalid")).to.equal("true");
    expect(await page.getByLabel("Subject").inputValue()).to.equal(subject);
    await summary.getByRole("link", { name: /Email must be an email address/ }).click();
    expect(await email.evaluate((el) => el === document.activeElement)).to.be.true;

    await email.fill("sam@example.com");
    expect(await emailError.count()).to.equal(0);
    await page.getByRole("button", { name: "Open ticket" }).click();
    await page.getByRole("heading", { level: 1, name: "Your ticket is open" }).waitFor();

    // A reload keeps the confirmation (and its link); "another" starts an empty form.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Your ticket is open" }).waitFor();
    await page.getByRole("button", { name: "Open another ticket" }).click();
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    expect(await page.getByLabel("Your name").inputValue()).to.equal("");
    noDialogsOrErrors(customer);
  });

  it("keeps a model filled in from the IMEI across a reload at once, whenever the lookup answers", async () => {
    const customer = await customerBrowser();
    const { page } = customer;
    const lookups = await holdLookups(page);
    await page.goto("/portal");
    await page.getByLabel("Your name").fill("Rae Racer");
    await page.getByLabel("IMEI", { exact: true }).fill(GOOD_IMEI);
    const first = await lookups.next();

    // Frame by frame, until the model shows: what would a reload at that moment restore?
    const restorable = page.evaluate(
      () =>
        new Promise<string | null>((resolve) => {
          const check = () => {
            if (document.getElementById("nt-model")?.value === "Redmi Note 3") {
              const draft = JSON.parse(sessionStorage.getItem("greydesk.portal.draft") ?? "{}") as {
                model?: string;
              };
              resolve(draft.model ?? null);
            } else {
              requestAnimationFrame(check);
            }
          };
          requestAnimationFrame(check);
        }),
    );
    await first.continue();
    expect(await restorable, "the saved draft when the model shows").to.equal("Redmi Note 3");

    // After the reload the lookup is held again: what the form shows is the saved draft alone.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    const model = page.getByLabel("Model", { exact: true });
    expect(await model.inputValue()).to.equal("Redmi Note 3");
    expect(await page.getByLabel("Brand", { exact: true }).inputValue()).to.equal("Xiaomi");

    // The customer corrects the model before the late answer comes: the answer changes nothing.
    await model.fill("Redmi Note 3 Pro");
    await (await lookups.next()).continue();
    await page.getByText("This looks like a Xiaomi Redmi Note 3.").waitFor();
    expect(await model.inputValue()).to.equal("Redmi Note 3 Pro");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Open a support ticket" }).waitFor();
    await (await lookups.next()).continue();
    await page.getByText("This looks like a Xiaomi Redmi Note 3.").waitFor();
    expect(await model.inputValue()).to.equal("Redmi Note 3 Pro");
    noDialogsOrErrors(customer);
  });

  it("checks files before sending: kind by content, size, count, and removes one", async () => {
    const customer = await customerBrowser();
    const { page } = customer;
    await page.goto("/portal");
    const input = page.getByLabel("Photos, screenshots or PDFs");
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(10 * 1024 * 1024)]);
    await input.setInputFiles([
      { name: "not-really.png", mimeType: "image/png", buffer: Buffer.from("<html>hi</html>") },
      { name: "huge.png", mimeType: "image/png", buffer: big },
      ...[1, 2, 3, 4, 5, 6].map((n) => ({
        name: `photo-${n}.png`,
        mimeType: "image/png",
        buffer: TINY_PNG,
      })),
    ]);
    const problems = page.locator(".portal-file-problems");
    await problems.waitFor();
    const text = (await problems.textContent()) ?? "";
    expect(text).to.contain("not-really.png: not added: it is not a photo");
    expect(text).to.contain("huge.png: not added: it is 10.0 MB");
    expect(text).to.contain("photo-6.png: not added: you can attach at most 5 files");
    expect(await page.locator(".portal-file").count()).to.equal(5);
    await page.getByText("5 of 5 files").waitFor();

    await page.getByRole("button", { name: "Remove photo-3.png" }).click();
    expect(await page.locator(".portal-file").count()).to.equal(4);
    expect(await input.evaluate((el) => el === document.activeElement)).to.be.true;
    await page.getByText("4 of 5 files").waitFor();
    noDialogsOrErrors(customer);
  });

  it("shows an agent's reply live, never an internal note, and markup as text", async () => {
    const ticket = await openTicketViaApi(`Stuck on 3G ${Date.now()}`);
    const customer = await customerBrowser();
    const { page } = customer;
    await openTicketPage(customer, ticket);
    const id = await ticketIdOf(agent, ticket.number);

    await agent
      .post(`/api/tickets/${id}/messages`, {
        body: "Grey import from HK: carrier warranty only, do not promise a swap.",
        internal: true,
      })
      .expect(201);
    const reply = `Hello Dana! ${XSS.join(" ")}\nCould you dial *#06# and send us the number?`;
    await agent.post(`/api/tickets/${id}/messages`, { body: reply, internal: false }).expect(201);

    const shown = page.locator(".portal-message--agent", { hasText: "Could you dial *#06#" });
    await shown.waitFor({ timeout: 10_000 });
    expect(await shown.locator(".portal-message__body").innerText()).to.equal(reply);
    expect(await shown.locator(".portal-message__who").textContent()).to.equal("Riley Agent");
    expect(await shown.locator(".portal-message__role").textContent()).to.equal("Support team");
    // The first public reply opened the ticket: the status follows without a reload.
    await page.locator('.portal-status__label[data-status="open"]').waitFor();
    expect(await statusLabel(page).textContent()).to.equal("In progress");
    // Nothing was parsed as markup, nothing ran, and the note is nowhere.
    expect(await page.locator("main script, main img, main svg, main iframe").count()).to.equal(0);
    await page.waitForTimeout(300);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.to.contain("Grey import");
    expect(await page.locator(".portal-message").count()).to.equal(2);
    expect(await sidewaysOverflow(page)).to.equal(0);
    await saveScreenshot(page, "portal-ticket");

    // The customer answers with a photo; the agent sees it, and the page lists it once.
    await page.getByLabel("Your reply").fill("Here it is: 869271020000011");
    const form = page.locator("form.portal-reply");
    await form.getByLabel("Photos, screenshots or PDFs").setInputFiles({
      name: "imei-screen.png",
      mimeType: "image/png",
      buffer: TINY_PNG,
    });
    await form.locator(".portal-file", { hasText: "imei-screen.png" }).waitFor();
    await page.getByRole("button", { name: "Send reply" }).click();
    const mine = page.locator(".portal-message--customer", { hasText: "Here it is" });
    await mine.waitFor();
    await mine.getByRole("link", { name: "imei-screen.png" }).waitFor();
    await form.getByText("Your reply was sent.").waitFor();
    expect(await page.getByLabel("Your reply").inputValue()).to.equal("");
    expect(await form.locator(".portal-file").count()).to.equal(0);
    await page.waitForTimeout(300);
    expect(await page.locator(".portal-message").count()).to.equal(3);

    const seen = await agent.get(`/api/tickets/${id}`).expect(200);
    const last = (seen.body.events as { body: string | null; attachments?: unknown[] }[]).find(
      (event) => event.body === "Here it is: 869271020000011",
    );
    expect(last?.attachments).to.have.length(1);
    noDialogsOrErrors(customer);
  });

  it("catches up on a reply sent while the phone was offline", async () => {
    const ticket = await openTicketViaApi(`Offline ${Date.now()}`);
    const customer = await customerBrowser();
    const { page, context } = customer;
    await openTicketPage(customer, ticket);

    await context.setOffline(true);
    await page.locator('.portal-live:not([data-status="live"])').waitFor();
    const id = await ticketIdOf(agent, ticket.number);
    await agent
      .post(`/api/tickets/${id}/messages`, { body: "Sent while you were away.", internal: false })
      .expect(201);
    // Long enough for socket.io to try (and fail) to reconnect at least once.
    await page.waitForTimeout(1600);
    expect(await page.locator(".portal-message--agent").count()).to.equal(0);
    expect(await page.locator(".portal-live").getAttribute("data-status")).to.equal("reconnecting");

    await context.setOffline(false);
    await page
      .locator(".portal-message--agent", { hasText: "Sent while you were away." })
      .waitFor({ timeout: 15_000 });
    await waitUntilLive(page);
    expect(await statusLabel(page).textContent()).to.equal("In progress");
    // The browser logs the reconnection attempts that failed while it was offline.
    const failedWhileOffline = /^WebSocket connection to .* failed: .*ERR_INTERNET_DISCONNECTED/;
    customer.errors.splice(
      0,
      customer.errors.length,
      ...customer.errors.filter((error) => !failedWhileOffline.test(error)),
    );
    noDialogsOrErrors(customer);
  });

  it("shows the latest 50 messages of a long conversation, earlier ones on demand, live ones after (T37)", async () => {
    const subject = `Long conversation ${Date.now()}`;
    const opening = "My phone drops every call after a minute, on every network.";
    const { ticket: opened, accessUrl } = await openPortalTicket(
      t,
      buildPortalTicket({ subject, description: opening, imei: buildImei() }),
    );
    const ticket: OpenTicket = { number: opened.number, accessUrl, subject };
    const token = tokenOf(accessUrl);
    const id = await ticketIdOf(agent, ticket.number);
    // What the customer may see, in order: the opening and the public answers (every fifth
    // answer is an internal note, which never reaches them).
    const visible = [opening];
    const answer = async (body: string, internal = false) => {
      await agent.post(`/api/tickets/${id}/messages`, { body, internal }).expect(201);
      if (!internal) {
        visible.push(body);
      }
    };
    for (let i = 1; i <= 70; i++) {
      await (i % 5 === 0 ? answer(`Internal ${i}`, true) : answer(`Answer number ${i}`));
    }
    for (const [viewport, name] of [
      [WIDE, "portal-earlier-desktop"],
      [PHONE, "portal-earlier-phone"],
    ] as const) {
      const customer = await openSession(browser, t.url, viewport);
      sessions.push(customer);
      const { page } = customer;
      const shown = () => page.locator(".portal-message .portal-message__body").allTextContents();
      /** Answers as the agent and waits until this page has it and has refetched the ticket. */
      const answerLive = async (body: string) => {
        const refetched = page.waitForResponse(
          async (response) =>
            new URL(response.url()).pathname === `/api/portal/tickets/${token}` &&
            (await response.text()).includes(body),
        );
        await answer(body);
        await page.getByText(body, { exact: true }).waitFor();
        await (await refetched).finished();
        await afterTwoFrames(page);
      };
      await openTicketPage(customer, ticket);
      await page.getByText(visible[visible.length - 1], { exact: true }).waitFor();
      // 57 messages (and more after the first round): the latest 50 leave the opening out.
      expect(await shown()).to.deep.equal(visible.slice(-50));
      const button = page.getByRole("button", { name: "Show earlier messages" });
      await button.scrollIntoViewIfNeeded();
      expect(await sidewaysOverflow(page)).to.equal(0);
      await saveScreenshot(page, `${name}-before`, { fullPage: false });

      // A live answer goes at the end; the refetch it causes keeps the oldest message shown.
      await answerLive(`Live before the earlier page, ${name}`);
      expect(await shown()).to.deep.equal(visible.slice(-51));

      if (viewport === PHONE) {
        // By keyboard: once the first message is in, the focus goes to the note that says so.
        await button.focus();
        await page.keyboard.press("Enter");
      } else {
        await button.click();
      }
      const start = page.getByText("The start of the conversation");
      await start.waitFor();
      // Every public message once, in order, the opening first; no note; nothing left to load.
      expect(await shown()).to.deep.equal(visible);
      expect(await button.count()).to.equal(0);
      expect((await page.locator("main").textContent()) ?? "").not.to.contain("Internal");
      if (viewport === PHONE) {
        expect(await start.evaluate((node) => node === document.activeElement)).to.equal(true);
      }
      expect(await sidewaysOverflow(page)).to.equal(0);
      await saveScreenshot(page, `${name}-after`, { fullPage: false });

      // Live answers still append, and the refetch after one keeps the earlier pages.
      await answerLive(`Live after the earlier page, ${name}`);
      expect(await shown()).to.deep.equal(visible);
      expect(await button.count()).to.equal(0);
      await saveScreenshot(page, `${name}-after-full`);
      noDialogsOrErrors(customer);
    }
  });

  it("asks for a rating once the agent resolves the ticket, then thanks and shows it", async () => {
    const ticket = await openTicketViaApi(`Wi-Fi calling ${Date.now()}`);
    const customer = await customerBrowser();
    const { page } = customer;
    await openTicketPage(customer, ticket);
    expect(await page.getByRole("heading", { name: "How did we do?" }).count()).to.equal(0);

    const id = await ticketIdOf(agent, ticket.number);
    await agent
      .post(`/api/tickets/${id}/messages`, {
        body: "Wi-Fi calling is now whitelisted for your phone.",
        internal: false,
      })
      .expect(201);
    await agent.patch(`/api/tickets/${id}`, { status: "resolved" }).expect(200);

    await page.locator('.portal-status__label[data-status="resolved"]').waitFor();
    expect(await statusLabel(page).textContent()).to.equal("Resolved");
    await page.getByRole("heading", { name: "How did we do?" }).waitFor();
    await page.getByLabel(/^Comment/).fill("Quick and clear, thanks!");
    await page.getByRole("button", { name: "Good: I'm satisfied" }).click();

    const thanks = page.getByRole("heading", { name: "Thank you for your feedback" });
    await thanks.waitFor();
    expect(await thanks.evaluate((el) => el === document.activeElement)).to.be.true;
    const done = page.locator(".portal-rating--done");
    expect(await done.textContent()).to.contain("You rated this ticket: Good");
    expect(await done.locator(".portal-rating__comment").textContent()).to.equal(
      "Quick and clear, thanks!",
    );
    expect(await page.getByRole("button", { name: /satisfied/ }).count()).to.equal(0);

    // The rating is the server's now: after a reload, and for the agent.
    await page.reload();
    await page.locator(".portal-rating--done").waitFor();
    const seen = await agent.get(`/api/tickets/${id}`).expect(200);
    expect(seen.body.ticket.satisfaction).to.equal("good");
    noDialogsOrErrors(customer);
  });

  it("replaces the link: the page moves to the new one and the old one stops working", async () => {
    const ticket = await openTicketViaApi(`Shared my link ${Date.now()}`);
    const customer = await customerBrowser();
    const { page } = customer;
    await openTicketPage(customer, ticket);
    // Someone else has the old link open.
    const other = await customerBrowser();
    await openTicketPage(other, ticket);

    await page.getByRole("button", { name: "Replace this link" }).click();
    const question = page.getByText("Replace the link now?");
    await question.waitFor();
    await page.getByRole("button", { name: "Yes, replace it" }).click();
    const fresh = page.getByLabel("Your new link");
    await fresh.waitFor();
    const newUrl = await fresh.inputValue();
    expect(newUrl).to.match(new RegExp(`^${t.url}/portal/t/[A-Za-z0-9_-]{43}$`));
    expect(newUrl).not.to.equal(ticket.accessUrl);
    await page.waitForURL(newUrl);
    await waitUntilLive(page);

    // The old link's page learns at once that it no longer works.
    await other.page
      .getByRole("heading", { level: 1, name: "This link doesn't work" })
      .waitFor({ timeout: 10_000 });

    // The new link is live: an agent's reply still arrives.
    const id = await ticketIdOf(agent, ticket.number);
    await agent
      .post(`/api/tickets/${id}/messages`, { body: "Got it, link replaced.", internal: false })
      .expect(201);
    await page.locator(".portal-message--agent", { hasText: "Got it, link replaced." }).waitFor();

    // The old URL, opened again, and a made-up one: "This link doesn't work".
    const madeUp = `${t.url}/portal/t/${randomBytes(32).toString("base64url")}`;
    for (const url of [ticket.accessUrl, madeUp]) {
      const visitor = await customerBrowser();
      await visitor.page.goto(url);
      await visitor.page
        .getByRole("heading", { level: 1, name: "This link doesn't work" })
        .waitFor();
      expect(
        await visitor.page.getByRole("link", { name: "Open a new ticket" }).getAttribute("href"),
      ).to.equal("/portal");
      noDialogsOrErrors(visitor);
    }
    const old = await fetch(`${t.url}/api/portal/tickets/${tokenOf(ticket.accessUrl)}`);
    expect(old.status).to.equal(404);
    noDialogsOrErrors(customer, other);
  });
});
