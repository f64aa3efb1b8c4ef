import { expect } from "chai";
import type { Browser } from "playwright-core";
import { SEEDED_CARRIERS } from "../../server/src/db/migrations/1764000000003-DeviceCatalogSeed";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { buildImei, buildPortalTicket } from "../support/factories";
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
  ticketIdOf,
} from "./helpers";
import type { Session } from "./helpers";

describe("the catalogue, carriers and certification in the console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let sessions: Session[] = [];
  let ada: TestAgent;
  let gus: TestAgent;
  let api: SignedIn;
  let modelId: string;
  let globalId: string;
  let usId: string;
  const TAC_GLOBAL = "35777701";
  const TAC_US = "35777702";

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
    ada = await buildAgent(t, "admin", "Ada Admin");
    gus = await buildAgent(t, "agent", "Gus Agent");
    api = await signIn(t, ada);
    const model = await api
      .post("/api/catalog/models", { brand: "Kestrel", name: "K2", aka: ["K2 Pro"] })
      .expect(201);
    modelId = model.body.model.id as string;
    const variant = async (name: string, region: string, lteBands: number[]) =>
      (
        await api
          .post("/api/catalog/variants", {
            modelId,
            name,
            region,
            lteBands,
            umtsBands: [1, 2, 5],
            gsmBands: [850, 900, 1800, 1900],
            volteCapable: "yes",
            bandSource: "Kestrel spec sheet 2026",
            bandConfidence: "high",
            notes: "Box label: K2-G (Global) or K2-U (US).",
          })
          .expect(201)
      ).body.variant.id as string;
    globalId = await variant("Global", "Global", [1, 3, 7, 20]);
    usId = await variant("US", "North America", [2, 4, 12, 66, 71]);
    for (const [tac, variantId] of [
      [TAC_GLOBAL, globalId],
      [TAC_US, usId],
    ] as const) {
      await api
        .post("/api/catalog/tacs", { tac, modelId, variantId, source: "distributor_sheet" })
        .expect(201);
    }
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

  async function consoleFor(
    agent: TestAgent,
    viewport: { width: number; height: number } = WIDE,
  ): Promise<Session> {
    const session = await signedInSession(browser, t, agent, viewport);
    sessions.push(session);
    return session;
  }

  it("lets an agent find a model, read its variants and add a TAC with its source", async () => {
    const { page, errors } = await consoleFor(gus);
    await page.getByRole("link", { name: "Catalogue", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Catalogue" }).waitFor();
    await page.getByLabel("Search brand, model or other names").fill("k2 pro");
    await page.getByRole("link", { name: "Kestrel K2" }).click();
    await page.getByRole("heading", { level: 1, name: "Kestrel K2" }).waitFor();

    // Each variant with its bands, region, VoLTE and where the band data comes from.
    const us = page.getByRole("article", { name: "US" });
    await us.getByText("B2, B4, B12, B66, B71").waitFor();
    await us.getByText("North America").waitFor();
    await us.getByText("Kestrel spec sheet 2026 · High confidence").waitFor();
    // Agents edit no variant.
    expect(await page.getByRole("button", { name: "Edit US" }).count()).to.equal(0);

    // A box in hand: the agent records its TAC, the variant on the label, and the source.
    await page.getByLabel("TAC (8 digits)").fill("35777703");
    await page.getByLabel("Variant", { exact: true }).selectOption({ label: "US" });
    await page.getByLabel("Source", { exact: true }).selectOption({
      label: "Seen by an agent (box, Settings)",
    });
    await page.getByRole("button", { name: "Add TAC" }).click();
    const row = page.getByRole("row", { name: /35777703/ });
    await row.getByText("Seen by an agent (box, Settings)").waitFor();
    expect(await row.getByRole("cell").nth(1).textContent()).to.equal("US");
    await page.getByRole("status").filter({ hasText: "TAC 35777703 is added." }).waitFor();

    const stored = await api.get("/api/catalog/tacs/35777703").expect(200);
    expect(stored.body.tac).to.include({ variantId: usId, source: "agent_observed" });
    const history = await api.get(`/api/catalog/variants/${usId}/history`).expect(200);
    expect(
      (history.body.items as { subjectId: string; actor: { name: string } }[]).find(
        (entry) => entry.subjectId === "35777703",
      )?.actor.name,
    ).to.equal("Gus Agent");

    // A TAC with a typo is refused with the field named, and nothing is added.
    await page.getByLabel("TAC (8 digits)").fill("3577770");
    await page.getByLabel("TAC (8 digits)").evaluate((input) => {
      (input as unknown as { removeAttribute(name: string): void }).removeAttribute("pattern");
    });
    await page.getByRole("button", { name: "Add TAC" }).click();
    await page.getByText("must be exactly 8 digits 0-9").first().waitFor();

    await saveScreenshot(page, "catalog-model-1440");
    await page.setViewportSize(PHONE);
    await page.getByLabel("TAC (8 digits)").fill("");
    await saveScreenshot(page, "catalog-model-360");
    expect(await sidewaysOverflow(page)).to.equal(0);
    await page.getByRole("link", { name: "← Catalogue" }).click();
    await page.getByRole("heading", { level: 1, name: "Catalogue" }).waitFor();
    await saveScreenshot(page, "catalog-list-360");
    expect(errors).to.deep.equal([]);
  });

  it("lets an admin change a variant's bands on the model page", async () => {
    const { page, errors } = await consoleFor(ada);
    await page.goto(`/#/catalog/${modelId}`);
    await page.getByRole("heading", { level: 1, name: "Kestrel K2" }).waitFor();
    await page.getByRole("button", { name: "Edit Global" }).click();
    const lte = page.getByLabel("LTE (4G) bands");
    expect(await lte.inputValue()).to.equal("1, 3, 7, 20");
    await lte.fill("1, 3, 7, 20, 28, 38-41");
    await page.getByRole("button", { name: "Save variant" }).click();
    await page
      .getByRole("article", { name: "Global" })
      .getByText("B1, B3, B7, B20, B28, B38, B39, B40, B41")
      .waitFor();
    // The change is in the variant's history, with who made it.
    const global = page.getByRole("article", { name: "Global" });
    await global.getByText("Change history").click();
    await global.getByText("lteBands: 1, 3, 7, 20 → 1, 3, 7, 20, 28, 38, 39, 40, 41").waitFor();
    expect(await global.locator(".variant__history-list > li").first().textContent()).to.include(
      "Ada Admin",
    );
    const saved = await api.get(`/api/catalog/variants/${globalId}`).expect(200);
    expect(saved.body.variant.lteBands).to.deep.equal([1, 3, 7, 20, 28, 38, 39, 40, 41]);
    expect(errors).to.deep.equal([]);
  });

  it("lets an admin add, retire and delete a row of a carrier's band profile", async () => {
    const { page, errors } = await consoleFor(ada);
    await page.getByRole("link", { name: "Carriers", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Carriers" }).waitFor();
    await page.getByRole("link", { name: "Verizon", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /Verizon/ }).waitFor();
    const rowsBefore = await page.locator("table.band-rows tbody tr").count();
    expect(rowsBefore).to.be.greaterThan(0);

    await page.getByLabel("Technology").selectOption({ label: "LTE (4G)" });
    await page.getByLabel("Band number").fill("48");
    await page.getByLabel("From", { exact: true }).fill("2020-01-01");
    await page.getByLabel("Note", { exact: true }).fill("CBRS, added in the browser test");
    await page.getByRole("button", { name: "Add row" }).click();
    const row = page.getByRole("row", { name: /CBRS, added in the browser test/ });
    await row.waitFor();
    expect(await page.locator("table.band-rows tbody tr").count()).to.equal(rowsBefore + 1);

    // Retired: the row keeps its place with an end date.
    await page.getByRole("button", { name: "Edit LTE (4G) B48" }).click();
    await page.getByLabel("Until (retired on)").first().fill("2026-06-30");
    await page.getByRole("button", { name: "Save LTE (4G) B48" }).click();
    await row.getByText("30 June 2026").waitFor();

    await saveScreenshot(page, "carrier-bands-1440");
    await page.setViewportSize(PHONE);
    await saveScreenshot(page, "carrier-bands-360");
    expect(await sidewaysOverflow(page)).to.equal(0);
    await page.setViewportSize(WIDE);

    await page.getByRole("button", { name: "Delete LTE (4G) B48" }).click();
    await page.getByRole("button", { name: "Delete LTE (4G) B48" }).last().click();
    await row.waitFor({ state: "detached" });
    const carrier = await api.get(`/api/carriers/${SEEDED_CARRIERS.verizon}`).expect(200);
    expect(
      (carrier.body.carrier.bands as { band: number; technology: string }[]).filter(
        (b) => b.technology === "lte" && b.band === 48,
      ),
    ).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it("bulk-updates the certification of two variants, confirms the affected tickets, notes each ticket", async () => {
    const message =
      "Good news: the Kestrel K2 is now certified on T-Mobile with VoLTE. Restart the phone once.";
    const onGlobal = await openPortalTicket(
      t,
      buildPortalTicket({ imei: buildImei(TAC_GLOBAL), subject: "No VoLTE on my K2" }),
    );
    const onUs = await openPortalTicket(
      t,
      buildPortalTicket({ imei: buildImei(TAC_US), subject: "Calls drop on my K2" }),
    );
    const globalTicket = await ticketIdOf(api, onGlobal.ticket.number);
    await ticketIdOf(api, onUs.ticket.number);

    const { page, errors } = await consoleFor(ada);
    await page.getByRole("link", { name: "Carriers", exact: true }).click();
    await page.getByRole("link", { name: "Certification with T-Mobile US" }).click();
    await page.getByRole("heading", { level: 1, name: /Certification with T-Mobile US/ }).waitFor();
    await page.getByLabel("Filter variants").fill("kestrel");
    await page.getByLabel("Kestrel K2 Global").check();
    await page.getByLabel("Kestrel K2 US").check();
    await page.getByText("2 variants selected.").waitFor();
    await page.getByLabel("Status").selectOption({ label: "Certified" });
    await page.getByLabel("VoLTE", { exact: true }).selectOption({ label: "Whitelisted" });
    await page.getByLabel("Wi-Fi calling").selectOption({ label: "Capable, not whitelisted" });
    await page.getByLabel("Carrier's reference").fill("TMO-K2-2026");
    await page.getByLabel("Also post a public update to each affected ticket").check();
    await page.getByLabel(/Public update/).fill(message);
    await page.getByRole("button", { name: "Review the change…" }).click();

    // The confirmation counts the open tickets before anything is written.
    const dialog = page.getByRole("dialog", { name: "Change 2 variants?" });
    await dialog.waitFor();
    await dialog
      .getByText("2 open tickets are affected: each gets one internal note and one public update.")
      .waitFor();
    const before = await api.get(`/api/carriers/${SEEDED_CARRIERS.tmobile}/certifications`);
    expect(before.body.items).to.deep.equal([]);
    await saveScreenshot(page, "certification-confirm-1440", { fullPage: false });
    await dialog.getByRole("button", { name: "Change 2 variants" }).click();
    await page.getByText("2 variants changed.").waitFor();
    await page.getByText("2 tickets got an internal note, 2 public updates posted.").waitFor();
    const usRow = page.getByRole("row", { name: /Kestrel K2 US/ });
    await usRow.getByText("Certified").waitFor();
    await usRow.getByText("TMO-K2-2026").waitFor();
    await saveScreenshot(page, "certification-1440");
    await page.setViewportSize(PHONE);
    await saveScreenshot(page, "certification-360");
    await page.setViewportSize(WIDE);

    // The ticket on one of them shows the internal note and the public update.
    await page.goto(`/#/t/${globalTicket}`);
    await page.getByRole("heading", { level: 1, name: "No VoLTE on my K2" }).waitFor();
    const note = page.locator(".message--note", {
      hasText: "Certification with T-Mobile US changed for Kestrel K2 Global",
    });
    await note.waitFor();
    await note.getByText("Internal note").waitFor();
    expect(await note.textContent()).to.include("VoLTE: none -> whitelisted");
    await page.locator(".message", { hasText: message }).getByText("Public reply").waitFor();
    expect(await page.locator(".message--note").count()).to.equal(1);
    await saveScreenshot(page, "certification-ticket-note-1440");
    expect(errors).to.deep.equal([]);
  });
});
