import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import type { TicketStatus } from "../../../../shared/domain/enums";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchTicketCounts, listTickets } from "../../api/tickets";
import type { TicketFilters } from "../../api/tickets";
import { useReconnect, useServerEvent } from "../../realtime/hooks";
import { insertionIndex, matchesFilters } from "./match";

const PAGE_SIZE = 50;
const COUNTS_DELAY_MS = 400;

/** The statuses an agent still has work on: the queue's default. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [
  "new",
  "open",
  "pending_customer",
  "pending_internal",
  "pending_distributor",
];

export const DEFAULT_FILTERS: TicketFilters = {
  status: ACTIVE_STATUSES,
  priority: [],
  category: [],
  assignee: "",
  warrantySource: "",
  q: "",
  sort: "updated_desc",
  sla: "",
  atDistributorDays: null,
  rmaState: [],
  verdict: [],
  flag: [],
};

export interface QueueState {
  filters: TicketFilters;
  items: TicketDto[];
  nextCursor: string | null;
  loading: "first" | "more" | null;
  error: ApiError | null;
  /** Tickets per status; null while unknown, or when the server cannot count. */
  counts: Partial<Record<TicketStatus, number>> | null;
  /** Ids of tickets that arrived live since the list was fetched (highlighted briefly). */
  arrived: ReadonlySet<string>;
}

export interface Queue extends QueueState {
  setFilters: (change: Partial<TicketFilters>) => void;
  loadMore: () => void;
  reload: () => void;
  /** Puts a ticket the agent just changed into the list (or takes it out if it no longer fits). */
  apply: (ticket: TicketDto) => void;
}

/**
 * The queue: the current filters, the loaded pages, per-status counts, and live changes from
 * the socket. It lives above the pages so that opening a ticket and coming back keeps the list,
 * its filters and its scroll state.
 */
export function useQueue(userId: string): Queue {
  const [state, setState] = useState<QueueState>({
    filters: DEFAULT_FILTERS,
    items: [],
    nextCursor: null,
    loading: "first",
    error: null,
    counts: null,
    arrived: new Set(),
  });
  const [generation, setGeneration] = useState(0);
  const more = useRef<AbortController | null>(null);
  const countsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const countsSupported = useRef(true);
  const latest = useRef(state);
  latest.current = state;

  const refreshCounts = useCallback(() => {
    if (!countsSupported.current) {
      return;
    }
    fetchTicketCounts().then(
      ({ counts }) => setState((current) => ({ ...current, counts })),
      (error: unknown) => {
        const apiError = asApiError(error);
        // A server without the counts endpoint: stop asking, show no counts.
        if (apiError.code === "not_found" || apiError.code === "validation_failed") {
          countsSupported.current = false;
          setState((current) => ({ ...current, counts: null }));
        }
      },
    );
  }, []);

  const scheduleCounts = useCallback(() => {
    if (countsTimer.current !== null) {
      clearTimeout(countsTimer.current);
    }
    countsTimer.current = setTimeout(() => {
      countsTimer.current = null;
      refreshCounts();
    }, COUNTS_DELAY_MS);
  }, [refreshCounts]);

  useEffect(
    () => () => {
      if (countsTimer.current !== null) {
        clearTimeout(countsTimer.current);
      }
      more.current?.abort();
    },
    [],
  );

  // The first page, again whenever the filters change or a reload is asked for.
  const filtersKey = JSON.stringify(state.filters);
  useEffect(() => {
    const controller = new AbortController();
    more.current?.abort();
    setState((current) => ({ ...current, loading: "first", error: null }));
    listTickets(latest.current.filters, { limit: PAGE_SIZE }, controller.signal).then(
      (page) =>
        setState((current) => ({
          ...current,
          items: page.items,
          nextCursor: page.nextCursor,
          loading: null,
          error: null,
          arrived: new Set(),
        })),
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbortError(error)) {
          setState((current) => ({ ...current, loading: null, error: asApiError(error) }));
        }
      },
    );
    refreshCounts();
    return () => controller.abort();
  }, [filtersKey, generation, refreshCounts]);

  const loadMore = useCallback(() => {
    const { nextCursor, loading, filters } = latest.current;
    if (nextCursor === null || loading !== null) {
      return;
    }
    const controller = new AbortController();
    more.current = controller;
    setState((current) => ({ ...current, loading: "more", error: null }));
    listTickets(filters, { limit: PAGE_SIZE, cursor: nextCursor }, controller.signal).then(
      (page) =>
        setState((current) => {
          const known = new Set(current.items.map((item) => item.id));
          return {
            ...current,
            items: [...current.items, ...page.items.filter((item) => !known.has(item.id))],
            nextCursor: page.nextCursor,
            loading: null,
          };
        }),
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbortError(error)) {
          setState((current) => ({ ...current, loading: null, error: asApiError(error) }));
        }
      },
    );
  }, []);

  const apply = useCallback(
    (ticket: TicketDto, live = false) => {
      setState((current) => {
        const index = current.items.findIndex((item) => item.id === ticket.id);
        const fits = matchesFilters(ticket, current.filters, userId);
        if (index >= 0) {
          const existing = current.items[index];
          if (Date.parse(ticket.updatedAt) < Date.parse(existing.updatedAt)) {
            return current; // an older copy, overtaken by a fetch
          }
          if (fits === false) {
            return { ...current, items: current.items.filter((item) => item.id !== ticket.id) };
          }
          const items = current.items.slice();
          items[index] = ticket;
          return { ...current, items };
        }
        if (fits !== true) {
          return current;
        }
        const at = insertionIndex(
          current.items,
          ticket,
          current.filters.sort,
          current.nextCursor !== null,
        );
        if (at < 0) {
          return current;
        }
        const items = current.items.slice();
        items.splice(at, 0, ticket);
        const arrived = live ? new Set(current.arrived).add(ticket.id) : current.arrived;
        return { ...current, items, arrived };
      });
      scheduleCounts();
    },
    [userId, scheduleCounts],
  );

  useServerEvent("ticket:created", (ticket) => apply(ticket, true));
  useServerEvent("ticket:updated", (ticket) => apply(ticket, true));
  // Events were missed while the connection was down: the list and counts may be stale.
  useReconnect((recovered) => {
    if (!recovered) {
      setGeneration((value) => value + 1);
    }
  });

  return {
    ...state,
    setFilters: useCallback(
      (change: Partial<TicketFilters>) =>
        setState((current) => ({ ...current, filters: { ...current.filters, ...change } })),
      [],
    ),
    loadMore,
    reload: useCallback(() => setGeneration((value) => value + 1), []),
    apply,
  };
}
