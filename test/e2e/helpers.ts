import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { PortalCreateTicketResponse } from "../../shared/contracts/http/portal";
import type { SignedIn, TestAgent } from "../support/agents";
import type { PortalTicketBody } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const root = path.resolve(__dirname, "..", "..");

// Functions given to page.evaluate run in the browser; the test tsconfig has no DOM types.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };
declare function requestAnimationFrame(callback: () => void): number;

/** The built client (`npm run test:e2e` rebuilds it with Vite first; `npm run build` too). */
export const CLIENT_DIR = path.join(root, "dist", "client");

/** Where the suite saves screenshots (a CI artefact; see README "Tests"). */
export const SCREENSHOT_DIR = path.join(root, "test-artifacts", "screenshots");

/** Debian's chromium (docs/CONVENTIONS.md, "Stack notes"); CHROMIUM_PATH overrides it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A real Greydesk on port 0 with a fresh database, serving the built console. */
export async function startE2eServer(): Promise<TestServer> {
  if (!existsSync(path.join(CLIENT_DIR, "index.html"))) {
    throw new Error(`${CLIENT_DIR}/index.html is missing: run \`npm run build\` first`);
  }
  return startTestServer({}, { clientDir: CLIENT_DIR });
}

/** Debian's chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** One person's browser: a fresh context (own cookies and storage) and a page in it. */
export interface Session {
  context: BrowserContext;
  page: Page;
  /** Messages of every JavaScript dialog (alert, confirm, prompt) the page opened. */
  dialogs: string[];
  /** Uncaught exceptions and console errors of the page. */
  errors: string[];
}

export const DESKTOP = { width: 1280, height: 900 } as const;
/** A wide desktop screen, for the screenshots of long pages. */
export const WIDE = { width: 1440, height: 900 } as const;
export const TABLET = { width: 800, height: 1100 } as const;

/** Opens a fresh browser context on `baseURL`, recording dialogs and page errors. */
export async function openSession(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<Session> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => undefined);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !isExpectedConsoleError(message.text())) {
      errors.push(message.text());
    }
  });
  return { context, page, dialogs, errors };
}

/**
 * The browser logs every HTTP error answer as a console error ("Failed to load resource"); the
 * console expects some (the 401 of the "am I signed in?" probe) and shows the others itself.
 */
function isExpectedConsoleError(text: string): boolean {
  return text.startsWith("Failed to load resource:");
}

/** Signs `agent` in through the sign-in page and waits for the queue. */
export async function signInThroughUi(page: Page, agent: TestAgent): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Email").fill(agent.email);
  await page.getByLabel("Password").fill(agent.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Queue", level: 1 }).waitFor();
}

/** A new browser context with `agent` signed in. */
export async function signedInSession(
  browser: Browser,
  t: TestServer,
  agent: TestAgent,
  viewport?: { width: number; height: number },
): Promise<Session> {
  const session = await openSession(browser, t.url, viewport);
  await signInThroughUi(session.page, agent);
  return session;
}

/** Opens a ticket the way a customer does: `POST /api/portal/tickets`. */
export async function openPortalTicket(
  t: TestServer,
  body: PortalTicketBody,
): Promise<PortalCreateTicketResponse> {
  const response = await fetch(`${t.url}/api/portal/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).to.equal(201);
  return JSON.parse(text) as PortalCreateTicketResponse;
}

/** The queue row of the ticket with this subject. */
export function queueRow(page: Page, subject: string) {
  return page.locator("li.queue-row", {
    has: page.getByRole("link", { name: subject, exact: true }),
  });
}

/**
 * Saves a screenshot as `test-artifacts/screenshots/<name>.png`, of the full page or (`fullPage:
 * false`) of what the screen shows, for a spot in a long page; returns its path.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** A small phone's screen, the portal's first target (issue 5). */
export const PHONE = { width: 360, height: 740 } as const;

/** A real 1x1 PNG: a "photo" the server accepts by its content. */
export const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** The id of the ticket with this human number ("GD-1042"), found through the agent API. */
export async function ticketIdOf(agent: SignedIn, number: string): Promise<string> {
  const res = await agent.get(`/api/tickets?q=${encodeURIComponent(number)}`).expect(200);
  const items = res.body.items as { id: string; number: string }[];
  const found = items.find((item) => item.number === number);
  if (found === undefined) {
    throw new Error(`no ticket ${number} in the agent API`);
  }
  return found.id;
}

/** How far the page scrolls sideways (0 when everything fits the screen). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/**
 * Waits until the page has drawn two more frames: by then it has rendered what a response that
 * already finished brought (to check that something did not change, where there is nothing to
 * wait for).
 */
export function afterTwoFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}
