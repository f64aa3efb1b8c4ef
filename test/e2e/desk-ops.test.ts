import { expect } from "chai";
import type { Browser } from "playwright-core";
import type { RmaDto } from "../../shared/contracts/http/rma";
import { buildAgent, signIn } from "../support/agents";
import type { SignedIn, TestAgent } from "../support/agents";
import { buildPortalTicket } from "../support/factories";
import type { TestServer } from "../support/test-server";
import { setWarranty } from "../support/tickets";
import {
  launchBrowser,
  openPortalTicket,
  openSession,
  queueRow,
  saveScreenshot,
  signedInSession,
  startE2eServer,
} from "./helpers";
import type { Session } from "./helpers";

/** Today in UTC, as the test server's clock has it. */
const today = () => new Date().toISOString().slice(0, 10);

describe("RMA, SLA, views and assignment in the console (browser)", function () {
  let t: TestServer;
  let browser: Browser;
  let sessions: Session[] = [];
  let riley: TestAgent;
  let api: SignedIn;

  before(async () => {
    t = await startE2eServer();
    browser = await launchBrowser();
    riley = await buildAgent(t, "admin", "Riley Returns");
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

  async function consoleFor(agent: TestAgent): Promise<Session> {
    const session = await signedInSession(browser, t, agent);
    sessions.push(session);
    return session;
  }

  async function portalTicket(subject: string) {
    const created = await openPortalTicket(t, buildPortalTicket({ subject }));
    const list = await api.get(`/api/tickets?q=${encodeURIComponent(subject)}`).expect(200);
    const ticket = list.body.items[0] as { id: string; handset: { id: string } };
    return { ...created, id: ticket.id, handsetId: ticket.handset.id };
  }

  it("runs a paid repair from the RMA panel, the customer accepts the quote on their page", async () => {
    const subject = "Screen cracked after a drop";
    const ticket = await portalTicket(subject);
    await setWarranty(api, ticket.handsetId, "none", today());
    const { page, errors } = await consoleFor(riley);
    await queueRow(page, subject).locator('[data-sla-tone="ok"]').waitFor();
    await page.getByRole("link", { name: subject, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: subject }).waitFor();

    // The SLA card counts down; the RMA panel offers only what the warranty allows.
    const sla = page.locator(".sla-panel");
    await sla
      .getByText(/Due in/)
      .first()
      .waitFor();
    const type = page.getByLabel("Type of return");
    await type.waitFor();
    expect(await type.locator("option").allTextContents()).to.deep.equal([
      "Paid repair (out of warranty)",
    ]);
    await page.getByRole("button", { name: "Open RMA" }).click();
    const moves = page.getByRole("list", { name: "Allowed next steps" });
    await moves.getByRole("button", { name: "→ Approved" }).waitFor();
    expect(await moves.getByRole("button").allTextContents()).to.deep.equal([
      "→ Approved",
      "→ Rejected",
    ]);
    await moves.getByRole("button", { name: "→ Approved" }).click();
    await page.getByRole("button", { name: "Move to Approved" }).click();
    await page.locator(".rma-panel__number", { hasText: /^RMA-\d+$/ }).waitFor();

    // The desk's steps up to the quote (through the API), then the quote from the panel.
    const rma = (await api.get(`/api/tickets/${ticket.id}/rmas`).expect(200)).body
      .rmas[0] as RmaDto;
    for (const step of [
      { to: "awaiting_device" },
      { to: "received" },
      { to: "diagnosed", diagnosis: "Display and digitiser cracked" },
      { to: "customer_damage" },
    ]) {
      await api.post(`/api/rmas/${rma.id}/transitions`, step).expect(200);
    }
    await moves.getByRole("button", { name: "→ Quote sent" }).click();
    await page.getByLabel("Quote amount").fill("129.50");
    await page.getByLabel("What the quote covers (the customer reads it)").fill("New display");
    await page.getByRole("button", { name: "Move to Quote sent" }).click();
    await page.locator(".rma-quote", { hasText: "waiting for the customer" }).waitFor();
    // Accepting is the customer's; the desk can only send the unit back unrepaired.
    expect(await moves.getByRole("button").allTextContents()).to.deep.equal([
      "→ Returning to customer",
    ]);

    // The customer sees the return in plain words, and accepts the quote.
    const customer = await openSession(browser, t.url);
    sessions.push(customer);
    await customer.page.goto(new URL(ticket.accessUrl).pathname);
    const timeline = customer.page.locator(".rma-timeline");
    await timeline.getByText("USD 129.50").waitFor();
    expect(await timeline.textContent()).to.contain("We have sent you a quote for the repair.");
    await saveScreenshot(customer.page, "portal-rma-quote");
    await timeline.getByRole("button", { name: "Accept the quote" }).click();
    await timeline.getByText("You accepted this quote.").waitFor();

    // The agent's panel follows live: the unit may go to the distributor now.
    await moves.getByRole("button", { name: "→ Sent to distributor" }).waitFor();
    await page.locator(".rma-quote", { hasText: "accepted" }).waitFor();
    await saveScreenshot(page, "console-rma-panel");
    expect(errors).to.deep.equal([]);
    expect(customer.errors).to.deep.equal([]);
  });

  it("saves queue views, sorts by SLA, and hears an assignment live", async () => {
    const subject = "Calls drop on the subway";
    const ticket = await portalTicket(subject);
    const { page, errors } = await consoleFor(riley);
    await page.getByRole("button", { name: "Add suggested views" }).click();
    await page.getByRole("button", { name: "My breaching tickets", exact: true }).waitFor();
    await page.getByRole("button", { name: "At distributor > 14 days", exact: true }).click();
    expect(await page.getByLabel("At distributor over (days)").inputValue()).to.equal("14");
    await page.getByText("No tickets match these filters.").waitFor();

    await page.getByRole("button", { name: "Reset" }).click();
    await page.getByLabel("Sort").selectOption("sla_asc");
    await page.getByRole("button", { name: "Save these filters as a view" }).click();
    await page.getByLabel("Name of the new view").fill("Soonest due");
    await page.getByRole("button", { name: "Save view" }).click();
    await page.getByRole("button", { name: "Soonest due", exact: true, pressed: true }).waitFor();
    await queueRow(page, subject).waitFor();

    // Someone else assigns it to Riley: a notice, live.
    await api.patch(`/api/tickets/${ticket.id}`, { assigneeId: riley.id }).expect(200);
    const notice = page.locator(".assigned-notice", { hasText: subject });
    await notice.getByText(/was assigned to you by Sam Second/).waitFor();
    await saveScreenshot(page, "console-queue-views");
    expect(errors).to.deep.equal([]);
  });

  it("lets an admin edit SLA policies and switch round-robin on", async () => {
    const { page, errors } = await consoleFor(riley);
    await page.getByRole("link", { name: "SLA", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "SLA and assignment" }).waitFor();
    const toggle = page.getByLabel("Assign new tickets in turn to the agents online");
    await toggle.check();
    await page.getByText(/Online now: .*Riley Returns/).waitFor();
    expect(await toggle.isChecked()).to.equal(true);
    await page.getByRole("button", { name: "Edit Urgent" }).click();
    await page.getByLabel("First response (minutes)").fill("30");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText(/First response 30m/).waitFor();
    const policies = (await api.get("/api/sla/policies").expect(200)).body.policies as {
      priority: string;
      firstResponseMinutes: number;
    }[];
    expect(policies.find((p) => p.priority === "urgent")?.firstResponseMinutes).to.equal(30);
    const status = await api.get("/api/assignment").expect(200);
    expect(status.body.autoAssignNew).to.equal(true);
    expect(errors).to.deep.equal([]);
  });
});
