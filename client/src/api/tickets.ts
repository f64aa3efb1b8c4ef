import type { TicketSort } from "../../../shared/contracts/http/agent-tickets";
import type { SlaFilter } from "../../../shared/contracts/http/sla";
import type { RmaState } from "../../../shared/domain/rma";
import type {
  TicketDetailDto,
  TicketDto,
  TicketEventDto,
  TicketEventPageDto,
} from "../../../shared/contracts/http/tickets";
import type {
  Category,
  Priority,
  TicketStatus,
  WarrantySource,
} from "../../../shared/domain/enums";
import { getJson, patchJson, postJson, queryString } from "./http";

// Only types come from shared/contracts/http: its zod schemas stay out of the browser bundle.

/** The queue's filters as `GET /api/tickets` takes them; empty means "any". */
export interface TicketFilters {
  status: readonly TicketStatus[];
  priority: readonly Priority[];
  category: readonly Category[];
  /** `me`, `none`, an agent's id, or "" for anyone. */
  assignee: string;
  warrantySource: WarrantySource | "";
  q: string;
  sort: TicketSort;
  /** SLA state: breached, at risk (due within the hour), paused. */
  sla: SlaFilter | "";
  /** With the distributor for more than this many days. */
  atDistributorDays: number | null;
  rmaState: readonly RmaState[];
}

/** `GET /api/tickets` answer. */
export interface TicketPage {
  items: TicketDto[];
  nextCursor: string | null;
}

/** `GET /api/tickets/:id` answer: the latest page of the history, and a cursor for earlier. */
export type TicketDetail = TicketDetailDto;

/** `GET /api/tickets/counts` answer: how many tickets are in each status. */
export interface TicketCounts {
  counts: Partial<Record<TicketStatus, number>>;
}

/** `PATCH /api/tickets/:id` body. */
export interface TicketChange {
  status?: TicketStatus;
  priority?: Priority;
  category?: Category;
  assigneeId?: string | null;
}

/** `POST /api/tickets/:id/messages` body. */
export interface NewMessage {
  body: string;
  internal: boolean;
  /**
   * The newest event seq the agent had seen when they started writing: the server answers 409
   * `conflict` (detail path `lastSeenSeq`) if someone else has posted since.
   */
  lastSeenSeq?: number;
}

const ticketPath = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

/** One page of the queue. */
export function listTickets(
  filters: TicketFilters,
  page: { limit?: number; cursor?: string | null } = {},
  signal?: AbortSignal,
): Promise<TicketPage> {
  const query = queryString({
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
    limit: page.limit,
    cursor: page.cursor,
  });
  return getJson<TicketPage>(`/api/tickets${query}`, { signal });
}

/** Tickets per status, for the counts next to the status filters. */
export function fetchTicketCounts(signal?: AbortSignal): Promise<TicketCounts> {
  return getJson<TicketCounts>("/api/tickets/counts", { signal });
}

/** A ticket with its customer, handset and the latest page of its history. */
export function fetchTicket(id: string, signal?: AbortSignal): Promise<TicketDetail> {
  return getJson<TicketDetail>(ticketPath(id), { signal });
}

/** The page of a ticket's history before `before` (a detail's or a page's `earlierCursor`). */
export function fetchTicketEvents(
  id: string,
  before: string,
  signal?: AbortSignal,
): Promise<TicketEventPageDto> {
  return getJson<TicketEventPageDto>(`${ticketPath(id)}/events${queryString({ before })}`, {
    signal,
  });
}

/** Changes status, priority, category or assignee; answers the ticket as the queue shows it. */
export async function updateTicket(id: string, change: TicketChange): Promise<TicketDto> {
  const { ticket } = await patchJson<{ ticket: TicketDto }>(ticketPath(id), change);
  return ticket;
}

/** A public reply, or an internal note with `internal: true`. */
export async function postMessage(id: string, message: NewMessage): Promise<TicketEventDto> {
  const { event } = await postJson<{ event: TicketEventDto }>(
    `${ticketPath(id)}/messages`,
    message,
  );
  return event;
}
