import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { buildAgent } from "../support/agents";
import { buildImei, buildPortalTicket } from "../support/factories";
import type { TestServer } from "../support/test-server";
import {
  PHONE,
  WIDE,
  launchBrowser,
  openPortalTicket,
  openSession,
  saveScreenshot,
  signedInSession,
  sidewaysOverflow,
  startE2eServer,
} from "./helpers";
import type { Session } from "./helpers";

/** Xiaomi Redmi Note 3: two variants (kenzo, hennessy), so the TAC alone cannot say which. */
const REDMI_NOTE_3_TAC = "86927102";

async function openTicketPage(page: Page, subject: string): Promise<void> {
  await page.locator('.connection[data-status="connected"]').waitFor();
  await page.getByRole("link", { name: subject, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
  await page.getByRole("heading", { name: "Model and variant" }).waitFor();
}

describe("handset panel (browser)", function () {
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

  it("a variant picked by one agent updates the other agent's verdict and flags live, and the portal says it in plain words", async () => {
    const subject = `Weak signal indoors ${Date.now()}`;
    const { accessUrl } = await openPortalTicket(
      t,
      buildPortalTicket({ subject, imei: buildImei(REDMI_NOTE_3_TAC), brand: "Xiaomi" }),
    );
    const [a, b] = await Promise.all([
      signedInSession(browser, t, await buildAgent(t, "agent", "Ana Picker"), WIDE),
      signedInSession(browser, t, await buildAgent(t, "agent", "Ben Watcher"), WIDE),
    ]);
    sessions.push(a, b);
    await Promise.all([openTicketPage(a.page, subject), openTicketPage(b.page, subject)]);

    // Before: no variant, so no verdict now, and the flag says so, in words.
    const flagsB = b.page.getByTestId("handset-flags");
    await flagsB
      .locator('li[data-flag="variant_unknown"]')
      .getByText("The exact variant is not known")
      .waitFor();
    expect(await b.page.getByTestId("verdict-now").getAttribute("data-level")).to.equal("none-yet");
    expect(await b.page.getByTestId("handset-model").textContent()).to.equal("Xiaomi Redmi Note 3");

    // Agent A reads the box, picks the Snapdragon variant: the picker says how to tell it.
    const picker = a.page.getByLabel("Variant (from the box or Settings)");
    const kenzo = await picker
      .locator("option", { hasText: "Snapdragon (kenzo)" })
      .getAttribute("value");
    await picker.selectOption(kenzo);
    await a.page.locator("#handset-variant-how").getByText("Snapdragon 650").waitFor();
    await a.page.getByRole("button", { name: "Set variant" }).click();

    // Agent B's panel follows without a reload: the verdict now is there, the flag gone.
    const nowB = b.page.getByTestId("verdict-now");
    await b.page.waitForFunction(
      () =>
        document.querySelector('[data-testid="verdict-now"]')?.getAttribute("data-level") !==
        "none-yet",
    );
    const level = await nowB.getAttribute("data-level");
    expect(["full", "partial", "legacy_only", "none", "unknown"]).to.include(level);
    expect(await nowB.locator(".verdict__summary").textContent()).to.match(/T-Mobile US/);
    expect(await nowB.locator(".verdict__reasons li").count()).to.be.greaterThan(0);
    await b.page.getByTestId("handset-variant").getByText("Snapdragon (kenzo)").waitFor();
    await flagsB.getByText("None: nothing to check on this handset.").waitFor();
    expect(await b.page.locator('li[data-flag="variant_unknown"]').count()).to.equal(0);
    // The verdict at opening stays as it was: not judged, the variant was unknown then.
    expect(await b.page.getByTestId("verdict-at-open").getByText("Not judged").count()).to.equal(1);

    await b.page.getByRole("heading", { name: "Handset", exact: true }).scrollIntoViewIfNeeded();
    await saveScreenshot(b.page, "handset-panel-wide");
    expect(await sidewaysOverflow(b.page)).to.equal(0);

    // On a phone-sized screen the panel still fits.
    const small = await signedInSession(
      browser,
      t,
      await buildAgent(t, "agent", "Cy Small"),
      PHONE,
    );
    sessions.push(small);
    await openTicketPage(small.page, subject);
    await small.page.getByTestId("verdict-now").waitFor();
    await small.page.getByRole("heading", { name: "Model and variant" }).scrollIntoViewIfNeeded();
    await saveScreenshot(small.page, "handset-panel-360");
    expect(await sidewaysOverflow(small.page)).to.equal(0);

    // The customer's page says whether the phone works, in plain words, without band numbers.
    const customer = await openSession(browser, t.url, PHONE);
    sessions.push(customer);
    await customer.page.goto(accessUrl);
    const words = customer.page.getByTestId("portal-network");
    await words.waitFor();
    const sentence = (await words.locator("p").textContent()) ?? "";
    expect(sentence).to.match(/^(Your phone|We do not know yet whether your phone)/);
    expect(sentence).to.contain("T-Mobile US");
    expect(sentence).to.not.match(/\bB\d+\b/);
    await words.scrollIntoViewIfNeeded();
    await saveScreenshot(customer.page, "portal-network-360");
    expect(await sidewaysOverflow(customer.page)).to.equal(0);

    for (const session of [a, b, small, customer]) {
      expect(session.errors, session.errors.join("\n")).to.deep.equal([]);
    }
  });
});

declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
};
