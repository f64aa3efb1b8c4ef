import type { Access } from "../http/api-router";
import type { AuthUser } from "./principal";

/**
 * Who is asking: an agent with a session, the holder of one ticket's link, or nobody known.
 * Every HTTP route and socket event is decided here.
 */
export type Principal =
  | { kind: "agent"; user: AuthUser }
  | { kind: "customer"; ticketId: string }
  | { kind: "anonymous" };

/** Function-level decision: whether a principal may call a route of this access level at all. */
export function allows(access: Access, principal: Principal): boolean {
  switch (access) {
    case "public":
    case "link":
      // Link routes check the token itself: an unknown token is a 404, not a refusal.
      return true;
    case "agent":
      return principal.kind === "agent" && !principal.user.disabled;
    case "admin":
      return (
        principal.kind === "agent" && !principal.user.disabled && principal.user.role === "admin"
      );
  }
}

/**
 * Object-level decision: whether a principal may see a ticket. Greydesk is single-tenant, so
 * every active agent sees every ticket; a customer sees only the ticket of their link.
 */
export function canViewTicket(principal: Principal, ticketId: string): boolean {
  switch (principal.kind) {
    case "agent":
      return !principal.user.disabled;
    case "customer":
      return principal.ticketId === ticketId;
    case "anonymous":
      return false;
  }
}

/** Whether a principal may see internal notes and changes of a ticket it can view. */
export function canSeeInternal(principal: Principal): boolean {
  return principal.kind === "agent" && !principal.user.disabled;
}
