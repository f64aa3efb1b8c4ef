import type { ResponseOf } from "../../../shared/contracts/http/api";
import type { UpdateHandsetBody } from "../../../shared/contracts/http/agent-tickets";
import type { HandsetDto } from "../../../shared/contracts/http/tickets";
import { callApi } from "./http";

/** `PATCH /api/handsets/:id` body: only the fields to change; `null` clears one. */
export type HandsetChange = UpdateHandsetBody;

/** Changes a handset's warranty terms or declared facts (each change is audited on its tickets). */
export async function updateHandset(id: string, change: HandsetChange): Promise<HandsetDto> {
  const { handset } = await callApi("PATCH /handsets/:id", { params: { id }, body: change });
  return handset;
}

/** `GET /api/tickets/:id/network` answer: the handset panel's verdicts, variants, TAC and batch. */
export type TicketNetwork = ResponseOf<"GET /tickets/:id/network">;

/** A ticket's verdict (at opening and now), its model, variant and the variants it could be. */
export function fetchTicketNetwork(ticketId: string, signal?: AbortSignal): Promise<TicketNetwork> {
  return callApi("GET /tickets/:id/network", { params: { id: ticketId }, signal });
}
