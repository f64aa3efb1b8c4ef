import { expect } from "chai";
import type { Browser } from "playwright-core";
import { RegisterEntry } from "../../server/src/modules/register/register-entry.entity";
import { Rma } from "../../server/src/modules/rma/rma.entity";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import type { TestServer } from "../support/test-server";
import { setWarranty } from "../support/tickets";
import {
  PHONE,
  WIDE,
  launchBrowser,
  openPortalTicket,
  saveScreenshot,
  sidewaysOverflow,
  signedInSession,
  startE2eServer,
} from "./helpers";
import type { Session } from "./helpers";

/** Today in UTC, as the test server's clock has it. */
const today = () => new Date().toISOString().slice(0, 10);

/** An IMEI as people type it: `86-927102-123456-7`. */
const dashed = (imei: string) =>
  `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`;

describe("the lost/stolen register in the console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let sessions: Session[] = [];
  let rhea: TestAgent;
  let api: SignedIn;

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
    rhea = await buildAgent(t, "agent", "Rhea Register");
    api = await signIn(t, await buildAgent(t, "agent", "Sam Second"));
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

  async function consoleFor(viewport: { width: number; height: number }): Promise<Session> {
    const session = await signedInSession(browser, t, rhea, viewport);
    sessions.push(session);
    return session;
  }

  async function coveredTicket(subject: string) {
    const body = buildPortalTicket({ subject, category: "hardware_defect" });
    await openPortalTicket(t, body);
    const list = await api.get(`/api/tickets?q=${encodeURIComponent(subject)}`).expect(200);
    const ticket = list.body.items[0] as { id: string; handset: { id: string } };
    await setWarranty(api, ticket.handset.id, "covered", today());
    return { id: ticket.id, handsetId: ticket.handset.id, imei: body.imei };
  }

  it("logs a flagged check, and then an RMA on the handset is refused with the reason shown", async () => {
    const subject = "Speaker crackles on calls";
    const ticket = await coveredTicket(subject);
    const { page, errors } = await consoleFor(WIDE);

    await page
      .getByRole("navigation", { name: "Console" })
      .getByRole("link", { name: "Lost/stolen" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Lost/stolen register" }).waitFor();
    await page.getByLabel("IMEI", { exact: true }).fill(dashed(ticket.imei));
    await page.getByRole("button", { name: "Look up" }).click();
    const record = page.locator(".register-record");
    await record.getByText("Not on the register").waitFor();
    await record.getByText("One handset on record carries this IMEI.").waitFor();
    // The address now names the IMEI in its canonical form, for a link to it.
    expect(new URL(page.url()).hash).to.equal(`#/register/${ticket.imei}`);

    await page.getByLabel("Service").selectOption("gsma_device_check");
    await page.getByRole("radio", { name: "Flagged (blocked or reported)" }).check();
    await page.getByLabel("Reference (optional)").fill("GSMA-5521");
    await page.getByLabel("Note (optional)").fill("Blocked in the GSMA registry since May.");
    await page.getByRole("button", { name: "Log check" }).click();
    await record.getByText("Flagged: lost or stolen").waitFor();
    const entry = record.locator(".register-entry").first();
    await entry.getByText("GSMA Device Check: flagged (blocked or reported)").waitFor();
    expect(await entry.textContent()).to.include("Rhea Register");
    expect(await entry.textContent()).to.include("reference GSMA-5521");
    expect(await entry.textContent()).to.include("Blocked in the GSMA registry since May.");
    expect(await entry.locator(".register-entry__decides").count()).to.equal(1);
    const stored = await t.server.db.dataSource
      .getRepository(RegisterEntry)
      .findOneByOrFail({ imei: ticket.imei });
    expect(stored).to.include({
      kind: "check",
      checkService: "gsma_device_check",
      checkResult: "flagged",
      actorName: "Rhea Register",
    });
    await saveScreenshot(page, "console-register-flagged-1440");

    // The ticket's handset shows it, and an RMA is refused with the reason in the panel.
    await page.goto(`/#/t/${ticket.id}`);
    await page.getByRole("heading", { level: 1, name: subject }).waitFor();
    const status = page.locator(".handset-register");
    await status.getByText("Flagged: lost or stolen").waitFor();
    await status.getByText("No RMA can open on this handset until the IMEI is cleared.").waitFor();
    await page.getByLabel("Type of return").selectOption("warranty_repair");
    await page.getByRole("button", { name: "Open RMA" }).click();
    const refusal = page.locator(".rma-panel").getByRole("alert");
    await refusal.getByText("The RMA was not changed").waitFor();
    const reason = await refusal.textContent();
    expect(reason).to.include("No RMA on a handset on the lost/stolen register");
    expect(reason).to.include("checked with GSMA Device Check: flagged");
    expect(reason).to.include("logged by Rhea Register");
    expect(reason).to.include("reference GSMA-5521");
    expect(
      await t.server.db.dataSource.getRepository(Rma).countBy({ ticketId: ticket.id }),
    ).to.equal(0);
    // The register's entry is in the handset's history too.
    await page
      .locator(".handset-history")
      .getByText("Lost/stolen register: not on it → flagged")
      .waitFor();
    await refusal.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "console-register-rma-refused-1440", { fullPage: false });
    await saveScreenshot(page, "console-register-ticket-1440");
    expect(errors).to.deep.equal([]);
  });

  it("fits a 360 px screen: the register page and the ticket's register and history cards", async () => {
    const ticket = await coveredTicket("Phone taken from my car");
    await api
      .post("/api/register/entries", {
        imei: ticket.imei,
        status: "stolen",
        note: "Customer called: taken from the car, police report 2026-881.",
      })
      .expect(201);
    const { page, errors } = await consoleFor(PHONE);
    await page.goto(`/#/register/${ticket.imei}`);
    await page.getByRole("heading", { level: 1, name: "Lost/stolen register" }).waitFor();
    await page.locator(".register-record").getByText("Reported stolen").first().waitFor();
    expect(await sidewaysOverflow(page)).to.equal(0);
    await saveScreenshot(page, "console-register-360");

    await page.goto(`/#/t/${ticket.id}`);
    await page.locator(".handset-register").getByText("Flagged: lost or stolen").waitFor();
    await page
      .locator(".handset-history")
      .getByText("Lost/stolen register: not on it → flagged")
      .waitFor();
    expect(await sidewaysOverflow(page)).to.equal(0);
    await page.locator(".handset-register").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "console-register-ticket-360", { fullPage: false });
    expect(errors).to.deep.equal([]);
  });
});
