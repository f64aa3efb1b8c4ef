import { createHash, randomBytes } from "node:crypto";
import type { HttpClient, HttpResult } from "../support/http-client";
import { buildPortalTicket } from "../support/factories";
import type { PortalTicketBody } from "../support/factories";

/** A 1x1 PNG; random bytes after IEND make each copy a distinct blob (readers ignore them). */
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

export interface TinyPng {
  bytes: Buffer;
  sha256: string;
  filename: string;
}

export function tinyPng(): TinyPng {
  const bytes = Buffer.concat([PNG_1X1, randomBytes(8)]);
  return {
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    filename: `photo-${randomBytes(3).toString("hex")}.png`,
  };
}

export const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** The fields of a request as multipart form data, with `png` in the `attachments` field. */
export function multipart(fields: Record<string, string | undefined>, png: TinyPng): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) {
      form.append(name, value);
    }
  }
  form.append("attachments", new Blob([png.bytes], { type: "image/png" }), png.filename);
  return form;
}

/** `POST /api/portal/tickets`, as JSON or (with a photo) multipart. */
export function createPortalTicket(
  client: HttpClient,
  body: PortalTicketBody,
  png: TinyPng | null,
  timeoutMs?: number,
): Promise<HttpResult> {
  if (png === null) {
    return client.post("/api/portal/tickets", body, { timeoutMs });
  }
  return client.request("POST", "/api/portal/tickets", {
    form: multipart({ ...body }, png),
    timeoutMs,
  });
}

/** A customer's reply through the link, as JSON or (with a photo) multipart. */
export function portalReply(
  client: HttpClient,
  token: string,
  body: string,
  png: TinyPng | null,
  timeoutMs?: number,
): Promise<HttpResult> {
  const path = `/api/portal/tickets/${token}/messages`;
  if (png === null) {
    return client.post(path, { body }, { timeoutMs });
  }
  return client.request("POST", path, { form: multipart({ body }, png), timeoutMs });
}

/** A portal ticket body whose subject carries `marker`, so a row can be found by it. */
export function markedTicket(marker: string): PortalTicketBody {
  return buildPortalTicket({
    subject: `Fault test ${marker}`,
    description: `No signal after the update (${marker}).`,
  });
}

/** Counts answers by status (0 = no answer, with its error). */
export class StatusCounts {
  readonly counts = new Map<string, number>();

  add(res: HttpResult): void {
    const key = res.status === 0 ? `0:${res.error ?? "?"}` : String(res.status);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Statuses other than `allowed` (status 0 counts as its own key "0:..."). */
  unexpected(allowed: (key: string) => boolean): string[] {
    return [...this.counts.keys()].filter((key) => !allowed(key));
  }

  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key}=${n}`)
      .join(" ");
  }
}

/** A line of measured figures in the test output (mocha's reporter prints around it). */
export function report(test: string, figures: Record<string, unknown>): void {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key}=${typeof value === "number" ? round(value) : String(value)}`)
    .join(" ");
  process.stdout.write(`      [${test}] ${text}\n`);
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Stops a server process with SIGTERM, and kills it if it has not exited within `ms` (a process
 * whose event loop is stuck never handles SIGTERM).
 */
export async function stopOrKill(
  server: { stop(): Promise<void>; kill(): Promise<void> } | null | undefined,
  ms = 10_000,
): Promise<void> {
  if (server === null || server === undefined) {
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  const timedOut = await Promise.race([server.stop().then(() => false), deadline]);
  clearTimeout(timer);
  if (timedOut) {
    await server.kill();
  }
}
