import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Viewer } from "../../../../shared/contracts/realtime";
import type {
  HandsetDto,
  TicketDto,
  TicketEventDto,
} from "../../../../shared/contracts/http/tickets";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchTicket } from "../../api/tickets";
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
  reload: () => void;
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

function isAgentEvent(message: unknown): message is TicketEventDto {
  return (
    typeof message === "object" && message !== null && "seq" in message && "ticketId" in message
  );
}

/**
 * One ticket, kept current: fetched through the API, its room watched for new messages and
 * presence, refetched after any change announced for it and after a reconnection.
 */
export function useTicket(id: string): TicketView {
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    setViewers([]);
  }, [id]);

  useEffect(() => {
    const controller = new AbortController();
    fetchTicket(id, controller.signal).then(
      (loaded) => {
        setError(null);
        setDetail((current) =>
          current !== null && current.ticket.id === loaded.ticket.id
            ? { ...loaded, events: mergeEvents(current.events, loaded.events) }
            : loaded,
        );
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
    reload,
    setTicket,
    setHandset,
    addEvent,
  };
}
