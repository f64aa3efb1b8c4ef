import type { PortalTicketView } from "../../../shared/contracts/http/portal";
import { getJson } from "./http";

/** `GET /api/portal/tickets/:token`: the ticket behind a customer's private link. */
export function fetchPortalTicket(token: string, signal?: AbortSignal): Promise<PortalTicketView> {
  return getJson<PortalTicketView>(`/api/portal/tickets/${encodeURIComponent(token)}`, { signal });
}
