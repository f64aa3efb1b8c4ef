import { createHash, randomBytes } from "node:crypto";

/** A new secret link token: 256 random bits as 43 base64url characters. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored for a token: its SHA-256 (the token has 256 bits of entropy, so no salt). */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The links customers are given, in API answers and in emails. Each starts with the desk's
 * PUBLIC_URL and nothing else: never with the request's Host or X-Forwarded-Host, which whoever
 * sends the request chooses (a forged one would mail a customer a link to someone else's site).
 */
export class TicketLinks {
  /** `publicUrl` is read at each link: without PUBLIC_URL it is known once the server listens. */
  constructor(private readonly publicUrl: () => string) {}

  /** The ticket page's address for a link token. */
  ticket(token: string): string {
    return `${this.publicUrl()}/portal/t/${token}`;
  }
}
