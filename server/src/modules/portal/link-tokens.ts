import { createHash, randomBytes } from "node:crypto";

/** A new secret link token: 256 random bits as 43 base64url characters. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored for a token: its SHA-256 (the token has 256 bits of entropy, so no salt). */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The ticket page's address for a token, under the origin the customer used. */
export function ticketLink(origin: string, token: string): string {
  return `${origin}/portal/t/${token}`;
}
