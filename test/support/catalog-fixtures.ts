import { expect } from "chai";
import request from "supertest";
import {
  SEEDED_CARRIERS,
  SEEDED_VARIANTS,
} from "../../server/src/db/migrations/1764000000003-DeviceCatalogSeed";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import type { SignedIn } from "./agents";
import { buildImei, buildPortalTicket, tokenOf } from "./factories";
import type { TestServer } from "./test-server";

export { SEEDED_CARRIERS, SEEDED_VARIANTS };

/** TACs of the bundled Osmocom file, by what the catalogue can say about them. */
export const TACS = {
  /** Xiaomi MI 4W: one variant, so the variant is known from the TAC. */
  mi4w: "86489502",
  /** Xiaomi Redmi Note 3: two variants (kenzo, hennessy), so the TAC alone cannot say. */
  redmiNote3: "86927102",
  /** Meizu m2 note: one variant, whose bands are unknown. */
  m2note: "86757002",
} as const;

export interface OpenedTicket {
  id: string;
  number: string;
  token: string;
  handsetId: string;
  imei: string;
  email: string;
}

/** Opens a portal ticket and reads back its id and handset. */
export async function openPortalTicket(
  t: TestServer,
  overrides: Parameters<typeof buildPortalTicket>[0] = {},
): Promise<OpenedTicket> {
  const body = buildPortalTicket(overrides);
  const res = await request(t.url).post("/api/portal/tickets").send(body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  const number = res.body.ticket.number as string;
  const ticket = await t.server.db.dataSource
    .getRepository(Ticket)
    .findOneByOrFail({ number: Number(number.slice(3)) });
  return {
    id: ticket.id,
    number,
    token: tokenOf(res.body.accessUrl as string),
    handsetId: ticket.handsetId!,
    imei: body.imei,
    email: body.email,
  };
}

/** A random valid IMEI on a TAC (re-exported for the catalogue tests). */
export const imeiOn = (tac: string) => buildImei(tac);

/** PUT and DELETE with the CSRF token, which SignedIn has no shorthand for. */
export function put(client: SignedIn, path: string, body: object = {}): request.Test {
  return client.http.put(path).set("X-CSRF-Token", client.csrf).send(body);
}

export function del(client: SignedIn, path: string): request.Test {
  return client.http.delete(path).set("X-CSRF-Token", client.csrf);
}

/** The paths of an error answer's details. */
export function pathsOf(res: request.Response): string[] {
  return ((res.body.error?.details ?? []) as { path: string }[]).map((detail) => detail.path);
}

/** CSV text from rows (no quoting: test values are plain). */
export function csvOf(header: string[], rows: string[][], eol = "\n"): string {
  return [header, ...rows].map((row) => row.join(",")).join(eol) + eol;
}

/** Uploads a CSV to a batch's import route as a browser would (multipart, field `file`). */
export function uploadCsv(
  client: SignedIn,
  batchId: string,
  csv: string | Buffer,
  options: { query?: string; filename?: string; contentType?: string } = {},
): request.Test {
  return client.http
    .post(`/api/batches/${batchId}/import${options.query ? `?${options.query}` : ""}`)
    .set("X-CSRF-Token", client.csrf)
    .attach("file", Buffer.isBuffer(csv) ? csv : Buffer.from(csv, "utf8"), {
      filename: options.filename ?? "units.csv",
      contentType: options.contentType ?? "text/csv",
    });
}
