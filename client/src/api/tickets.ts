import type { TicketSort } from "../../../shared/contracts/http/agent-tickets";
import type {
  AgentMessageBody,
  UpdateTicketBody,
} from "../../../shared/contracts/http/agent-tickets";
import type { ResponseOf } from "../../../shared/contracts/http/api";
import type { TicketDto, TicketEventDto } from "../../../shared/contracts/http/tickets";
import type { QueueFilter } from "../../../shared/domain/queue";
import { callApi } from "./http";

// Only types come from shared/contracts/http: its zod schemas stay out of the browser bundle.

/** The queue's filters as the console holds them (the shared filter, and the order). */
export interface TicketFilters extends QueueFilter {
  sort: TicketSort;
}

/** `GET /api/tickets` answer. */
export type TicketPage = ResponseOf<"GET /tickets">;

/** `GET /api/tickets/:id` answer: the latest page of the history, and a cursor for earlier. */
export type TicketDetail = ResponseOf<"GET /tickets/:id">;

/** `GET /api/tickets/counts` answer: how many tickets are in each status. */
export type TicketCounts = ResponseOf<"GET /tickets/counts">;

/** `PATCH /api/tickets/:id` body. */
export type TicketChange = UpdateTicketBody;

/** `POST /api/tickets/:id/messages` body (`lastSeenSeq`: the reply guard, a 409 when stale). */
export type NewMessage = AgentMessageBody;

/** One page of the queue. */
export function listTickets(
  filters: TicketFilters,
  page: { limit?: number; cursor?: string | null } = {},
  signal?: AbortSignal,
): Promise<TicketPage> {
  return callApi("GET /tickets", {
    signal,
    query: {
      status: filters.status,
      priority: filters.priority,
      category: filters.category,
      assignee: filters.assignee,
      warrantySource: filters.warrantySource,
      q: filters.q.trim(),
      sort: filters.sort,
      sla: filters.sla,
      atDistributorDays: filters.atDistributorDays,
      rmaState: filters.rmaState,
      verdict: filters.verdict,
      flag: filters.flag,
      limit: page.limit,
      cursor: page.cursor,
    },
  });
}

/** Tickets per status, for the counts next to the status filters. */
export function fetchTicketCounts(signal?: AbortSignal): Promise<TicketCounts> {
  return callApi("GET /tickets/counts", { signal });
}

/** A ticket with its customer, handset and the latest page of its history. */
export function fetchTicket(id: string, signal?: AbortSignal): Promise<TicketDetail> {
  return callApi("GET /tickets/:id", { params: { id }, signal });
}

/** The page of a ticket's history before `before` (a detail's or a page's `earlierCursor`). */
export function fetchTicketEvents(
  id: string,
  before: string,
  signal?: AbortSignal,
): Promise<ResponseOf<"GET /tickets/:id/events">> {
  return callApi("GET /tickets/:id/events", { params: { id }, query: { before }, signal });
}

/** Changes status, priority, category or assignee; answers the ticket as the queue shows it. */
export async function updateTicket(id: string, change: TicketChange): Promise<TicketDto> {
  const { ticket } = await callApi("PATCH /tickets/:id", { params: { id }, body: change });
  return ticket;
}

/** A public reply, or an internal note with `internal: true`. */
export async function postMessage(id: string, message: NewMessage): Promise<TicketEventDto> {
  const { event } = await callApi("POST /tickets/:id/messages", {
    params: { id },
    body: message,
  });
  return event;
}
