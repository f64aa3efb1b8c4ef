import type { AssignmentStatusDto } from "../../../shared/contracts/http/assignment";
import type { TicketDto } from "../../../shared/contracts/http/tickets";
import { apiRequest, getJson, postJson } from "./http";

/** Whether new tickets go round-robin, and who is online to take them. */
export function fetchAssignment(signal?: AbortSignal): Promise<AssignmentStatusDto> {
  return getJson<AssignmentStatusDto>("/api/assignment", { signal });
}

/** Turns round-robin assignment of new tickets on or off (admins). */
export function setAutoAssignNew(on: boolean): Promise<AssignmentStatusDto> {
  return apiRequest<AssignmentStatusDto>("PUT", "/api/assignment", { autoAssignNew: on });
}

/** Assigns a ticket to the next agent online, round-robin. */
export async function autoAssign(ticketId: string): Promise<TicketDto> {
  const { ticket } = await postJson<{ ticket: TicketDto }>(
    `/api/tickets/${encodeURIComponent(ticketId)}/auto-assign`,
    {},
  );
  return ticket;
}
