import type { AssignmentStatusDto } from "../../../shared/contracts/http/assignment";
import type { TicketDto } from "../../../shared/contracts/http/tickets";
import { callApi } from "./http";

/** Whether new tickets go round-robin, and who is online to take them. */
export function fetchAssignment(signal?: AbortSignal): Promise<AssignmentStatusDto> {
  return callApi("GET /assignment", { signal });
}

/** Turns round-robin assignment of new tickets on or off (admins). */
export function setAutoAssignNew(on: boolean): Promise<AssignmentStatusDto> {
  return callApi("PUT /assignment", { body: { autoAssignNew: on } });
}

/** Assigns a ticket to the next agent online, round-robin. */
export async function autoAssign(ticketId: string): Promise<TicketDto> {
  const { ticket } = await callApi("POST /tickets/:id/auto-assign", {
    params: { id: ticketId },
    body: {},
  });
  return ticket;
}
