import type { Request } from "express";

/**
 * The origin the caller reached us on (scheme and host), for the links we hand out. Behind a
 * proxy it is right only when TRUST_PROXY is set, so X-Forwarded-Proto is believed.
 */
export function originOf(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}`;
}
