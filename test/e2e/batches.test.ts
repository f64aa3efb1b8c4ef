import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { luhnCheckDigit } from "../../shared/domain/imei";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import type { TestServer } from "../support/test-server";
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

/** The MI 4W's TAC, which the bundled TAC file brings into the catalogue at start. */
const MI4W_TAC = "86489502";

function imeiAt(tac: string, n: number): string {
  const first14 = `${tac}${String(n).padStart(6, "0")}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

/** Whether the page's chart canvas has any pixel drawn (a blank canvas is all transparent). */
function canvasIsDrawn(page: Page): Promise<boolean> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector(".defect-chart canvas");
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) drawn++;
    return drawn > 500;
  })()`);
}

describe("import batches and batch health in the console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let sessions: Session[] = [];
  let ada: TestAgent;
  let api: SignedIn;

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
    ada = await buildAgent(t, "admin", "Ada Admin");
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

  it("creates a batch, uploads a CSV with a bad line, imports the rest, and charts the defect rate", async () => {
    const session = await signedInSession(browser, t, ada, WIDE);
    sessions.push(session);
    const { page } = session;

    await page.getByRole("link", { name: "Batches", exact: true }).click();
    await page.getByRole("heading", { name: "Import batches", level: 1 }).waitFor();
    await page.getByLabel("New distributor").fill("Kowloon Mobile Trading");
    await page.getByRole("button", { name: "Add distributor" }).click();
    await page
      .getByLabel("Distributor", { exact: true })
      .locator("option", { hasText: "Kowloon Mobile Trading" })
      .waitFor({ state: "attached" });
    expect(await page.getByLabel("Distributor", { exact: true }).inputValue()).to.not.equal("");
    await page.getByLabel("Reference").fill("HK-E2E-1");
    await page
      .getByLabel("Model")
      .locator("option", { hasText: "Xiaomi MI 4W" })
      .waitFor({ state: "attached" });
    await page.getByLabel("Model").selectOption({ label: "Xiaomi MI 4W" });
    // The MI 4W has one variant: it is picked once the model's variants have loaded.
    await page.locator("#batch-variant:not([disabled])").waitFor();
    expect(await page.getByLabel("Variant").inputValue()).to.not.equal("");
    await page.getByLabel("ROM region").fill("China");
    await page.getByRole("button", { name: "Add batch" }).click();
    await page.getByRole("heading", { name: "Batch HK-E2E-1", level: 1 }).waitFor();

    // Warranty terms, so the imported units are not "pending".
    await page.getByLabel("Warranty (months)").fill("12");
    await page.getByLabel("DOA window (days)").fill("30");
    await page.getByRole("button", { name: "Save terms" }).click();
    await page.getByText("Warranty terms saved.").waitFor();
    await page.getByText("12 months, DOA 30 days, from the import day").waitFor();

    const good = [imeiAt(MI4W_TAC, 1), imeiAt(MI4W_TAC, 2)];
    const unknown = imeiAt("35999999", 3);
    await page.getByLabel("CSV file").setInputFiles({
      name: "hk-e2e-1.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`imei\n${good[0]}\n${good[1]}\n${unknown}\n`, "utf8"),
    });

    // Without skipping, the file is refused whole, naming the line.
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Refused: nothing was imported.").waitFor();
    const refusedRow = page.locator(".import-report__issues tbody tr");
    expect(await refusedRow.count()).to.equal(1);
    expect(await refusedRow.locator("td").first().textContent()).to.equal("4");
    expect(await refusedRow.textContent()).to.include("the TAC 35999999 is not in the catalogue");

    // Skipping: the two good units go in, the bad line is listed with its code and IMEI.
    await page.getByLabel("Skip invalid lines").check();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Imported 2 units (2 identifiers) into batch HK-E2E-1.").waitFor();
    const row = page.locator(".import-report__issues tbody tr");
    expect(await row.count()).to.equal(1);
    expect(await row.locator("td").nth(1).textContent()).to.equal("Unknown TAC");
    expect(await row.locator("td").nth(2).textContent()).to.equal(unknown);
    await page
      .getByText("Warranty: 0 from the file's columns, 2 from the batch's terms, 0 pending")
      .waitFor();
    await saveScreenshot(page, "batch-import-1440");

    // A customer's unit of the batch arrives dead: a DOA return.
    const created = await openPortalTicket(
      t,
      buildPortalTicket({ imei: good[0], category: "doa", subject: "Dead on arrival" }),
    );
    const list = await api
      .get(`/api/tickets?q=${encodeURIComponent(created.ticket.number)}`)
      .expect(200);
    const ticketId = (list.body.items as { id: string }[])[0].id;
    await api
      .post(`/api/tickets/${ticketId}/rmas`, { type: "doa_advance_replacement" })
      .expect(201);

    // Reduced motion: the chart draws at once, without its animation.
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.getByRole("link", { name: "Batch health", exact: true }).click();
    await page.getByRole("heading", { name: "Batch health", level: 1 }).waitFor();
    const canvas = page.locator(".defect-chart canvas");
    await canvas.waitFor();
    expect(await canvas.getAttribute("aria-label")).to.match(
      /^Line chart: DOA and covered-defect units per 100 units of all batches, by month/,
    );
    await page.waitForFunction(`(() => {
      const c = document.querySelector(".defect-chart canvas");
      return c && c.width > 0;
    })()`);
    expect(await canvasIsDrawn(page)).to.equal(true);
    const byBatch = page.locator("#health-batches tbody tr", { hasText: "HK-E2E-1" });
    const cells = await byBatch.locator("td").allTextContents();
    // Distributor, units, DOA, DOA per 100, covered, covered per 100, defective per 100.
    expect(cells).to.deep.equal([
      "Kowloon Mobile Trading",
      "2",
      "1",
      "50.00",
      "0",
      "0.00",
      "50.00",
    ]);
    const thisMonth = page.locator(".batch-health__trend tbody tr").last();
    expect(await thisMonth.locator("td").allTextContents()).to.deep.equal([
      "1",
      "50.00",
      "0",
      "0.00",
    ]);
    const byDistributor = page.locator("#health-distributors tbody tr", {
      hasText: "Kowloon Mobile Trading",
    });
    expect(await byDistributor.locator("td").allTextContents()).to.deep.equal([
      "1",
      "2",
      "1",
      "50.00",
      "0",
      "0.00",
      "50.00",
    ]);
    // The chart follows the picked distributor.
    await page
      .getByLabel("Chart", { exact: true })
      .selectOption({ label: "Kowloon Mobile Trading" });
    await page.getByRole("heading", { name: "Monthly trend: Kowloon Mobile Trading" }).waitFor();
    await saveScreenshot(page, "batch-health-1440");

    await page.setViewportSize({ width: PHONE.width, height: PHONE.height });
    await page.getByRole("heading", { name: "Batch health", level: 1 }).waitFor();
    await saveScreenshot(page, "batch-health-360");
    expect(await sidewaysOverflow(page)).to.equal(0);
    await page.goBack();
    await page.getByRole("heading", { name: "Batch HK-E2E-1", level: 1 }).waitFor();
    await saveScreenshot(page, "batch-page-360");
    expect(await sidewaysOverflow(page)).to.equal(0);
    expect(session.errors).to.deep.equal([]);
  });
});
