import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Viewer } from "../../../../shared/contracts/realtime";
import type {
  HandsetDto,
  TicketDto,
  TicketEventDto,
} from "../../../../shared/contracts/http/tickets";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchTicket, fetchTicketEvents } from "../../api/tickets";
import type { TicketDetail } from "../../api/tickets";
import { useReconnect, useServerEvent } from "../../realtime/hooks";
import { watchTicket } from "../../realtime/socket";

/** After a `ticket:updated`, wait this long for more before refetching the history. */
const REFETCH_DELAY_MS = 300;

export interface TicketView {
  detail: TicketDetail | null;
  error: ApiError | null;
  /** Everyone on the ticket now (this agent included), from `presence:viewers`. */
  viewers: Viewer[];
  /** Why live updates for this ticket are off, if they are. */
  liveError: string | null;
  /** The newest event seq shown (0 before the first load). */
  lastSeq: number;
  /** Older history not shown yet: the ticket's events come in pages, newest first. */
  earlier: EarlierState;
  /** Fetches the page before the oldest event shown. */
  loadEarlier: () => void;
  reload: () => void;
  /** Goes up at every refetch of the ticket (a change announced for it, a reconnection). */
  revision: number;
  setTicket: (ticket: TicketDto) => void;
  setHandset: (handset: HandsetDto) => void;
  addEvent: (event: TicketEventDto) => void;
}

function mergeEvents(
  current: readonly TicketEventDto[],
  incoming: readonly TicketEventDto[],
): TicketEventDto[] {
  const byId = new Map(current.map((event) => [event.id, event]));
  for (const event of incoming) {
    byId.set(event.id, event);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export interface EarlierState {
  /** Whether there are events before the oldest one shown. */
  more: boolean;
  loading: boolean;
  error: ApiError | null;
}

/**
 * A fresh detail (the latest page) merged into what is shown, which may include earlier pages
 * the agent opened. An agent sees every event, so seqs have no gaps: when the new page reaches
 * back to what is shown, the two join and the earlier pages (and their cursor) stay; when more
 * happened meanwhile than one page holds, the fresh page replaces them.
 */
function mergeDetail(current: TicketDetail | null, loaded: TicketDetail): TicketDetail {
  if (current === null || current.ticket.id !== loaded.ticket.id || current.events.length === 0) {
    return loaded;
  }
  const shownOldest = current.events[0].seq;
  const shownNewest = current.events[current.events.length - 1].seq;
  const loadedOldest = loaded.events.length > 0 ? loaded.events[0].seq : Infinity;
  if (loadedOldest > shownNewest + 1) {
    return loaded;
  }
  return {
    ...loaded,
    events: mergeEvents(current.events, loaded.events),
    earlierCursor: shownOldest < loadedOldest ? current.earlierCursor : loaded.earlierCursor,
  };
}

function isAgentEvent(message: unknown): message is TicketEventDto {
  return (
    typeof message === "object" && message !== null && "seq" in message && "ticketId" in message
  );
}

/**
 * One ticket, kept current: fetched through the API (the latest page of its history; earlier
 * pages on demand), its room watched for new messages and presence, refetched after any change
 * announced for it and after a reconnection.
 */
export function useTicket(id: string): TicketView {
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [earlierLoading, setEarlierLoading] = useState(false);
  const [earlierError, setEarlierError] = useState<ApiError | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const earlierRequest = useRef<AbortController | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    setViewers([]);
    setEarlierError(null);
    return () => {
      earlierRequest.current?.abort();
      earlierRequest.current = null;
      setEarlierLoading(false);
    };
  }, [id]);

  useEffect(() => {
    const controller = new AbortController();
    fetchTicket(id, controller.signal).then(
      (loaded) => {
        setError(null);
        setDetail((current) => mergeDetail(current, loaded));
      },
      (failure: unknown) => {
        if (!controller.signal.aborted && !isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [id, generation]);

  useEffect(
    () =>
      watchTicket(id, (result) =>
        setLiveError(
          result.ok ? null : `Live updates are off for this ticket: ${result.error.message}`,
        ),
      ),
    [id],
  );

  useEffect(
    () => () => {
      if (refetchTimer.current !== null) {
        clearTimeout(refetchTimer.current);
      }
    },
    [id],
  );

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  const cursor = detail !== null && detail.ticket.id === id ? detail.earlierCursor : null;
  const loadEarlier = useCallback(() => {
    if (cursor === null || earlierRequest.current !== null) {
      return;
    }
    const controller = new AbortController();
    earlierRequest.current = controller;
    setEarlierLoading(true);
    setEarlierError(null);
    fetchTicketEvents(id, cursor, controller.signal)
      .then(
        (page) =>
          setDetail((current) =>
            // Only onto the history it was asked for (a refetch may have replaced it).
            current === null || current.ticket.id !== id || current.earlierCursor !== cursor
              ? current
              : {
                  ...current,
                  events: mergeEvents(current.events, page.events),
                  earlierCursor: page.earlierCursor,
                },
          ),
        (failure: unknown) => {
          if (!controller.signal.aborted && !isAbortError(failure)) {
            setEarlierError(asApiError(failure));
          }
        },
      )
      .finally(() => {
        if (earlierRequest.current === controller) {
          earlierRequest.current = null;
          setEarlierLoading(false);
        }
      });
  }, [id, cursor]);

  const scheduleReload = useCallback(() => {
    if (refetchTimer.current !== null) {
      clearTimeout(refetchTimer.current);
    }
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      reload();
    }, REFETCH_DELAY_MS);
  }, [reload]);

  const setTicket = useCallback((ticket: TicketDto) => {
    setDetail((current) => {
      if (current === null || current.ticket.id !== ticket.id) {
        return current;
      }
      if (Date.parse(ticket.updatedAt) < Date.parse(current.ticket.updatedAt)) {
        return current;
      }
      return { ...current, ticket };
    });
  }, []);

  const setHandset = useCallback((handset: HandsetDto) => {
    setDetail((current) => (current === null ? current : { ...current, handset }));
  }, []);

  const addEvent = useCallback((event: TicketEventDto) => {
    setDetail((current) =>
      current === null || current.ticket.id !== event.ticketId
        ? current
        : { ...current, events: mergeEvents(current.events, [event]) },
    );
  }, []);

  useServerEvent("ticket:message", (message) => {
    if (isAgentEvent(message) && message.ticketId === id) {
      addEvent(message);
    }
  });
  useServerEvent("ticket:updated", (ticket) => {
    if (ticket.id === id) {
      setTicket(ticket);
      // Status, assignee and warranty changes come with history entries and handset data that
      // the list payload does not carry.
      scheduleReload();
    }
  });
  useServerEvent("presence:viewers", (presence) => {
    if (presence.ticketId === id) {
      setViewers(presence.viewers);
    }
  });
  useReconnect(() => reload());

  const events = detail?.events ?? [];
  return {
    detail,
    error,
    viewers,
    liveError,
    lastSeq: events.length > 0 ? events[events.length - 1].seq : 0,
    earlier: { more: cursor !== null, loading: earlierLoading, error: earlierError },
    loadEarlier,
    reload,
    revision: generation,
    setTicket,
    setHandset,
    addEvent,
  };
}
