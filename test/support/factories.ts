import { randomBytes, randomInt } from "node:crypto";
import { luhnCheckDigit } from "../../shared/domain/imei";

/** A random, valid IMEI on a TAC (default: a Redmi Note 3 TAC from the bundled data). */
export function buildImei(tac = "86927102"): string {
  const serial = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const first14 = `${tac}${serial}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

/** A unique email address. */
export function buildEmail(): string {
  return `customer-${randomBytes(5).toString("hex")}@example.com`;
}

export interface PortalTicketBody {
  name: string;
  email: string;
  phone?: string;
  imei: string;
  brand?: string;
  model?: string;
  purchaseDate?: string;
  category: string;
  subject: string;
  description: string;
}

/** A valid `POST /api/portal/tickets` body with random customer and handset. */
export function buildPortalTicket(overrides: Partial<PortalTicketBody> = {}): PortalTicketBody {
  return {
    name: "Dana Whitfield",
    email: buildEmail(),
    phone: "+1 (555) 010-2030",
    imei: buildImei(),
    category: "network",
    subject: "Stuck on 3G since I got it",
    description: "The phone never shows LTE, only H+. Calls work.",
    ...overrides,
  };
}

/** The link token at the end of an access URL. */
export function tokenOf(accessUrl: string): string {
  const token = new URL(accessUrl).pathname.split("/").pop();
  if (!token) {
    throw new Error(`no token in ${accessUrl}`);
  }
  return token;
}
