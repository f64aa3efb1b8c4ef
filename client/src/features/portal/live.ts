import type { Socket, io as ioFunction } from "socket.io-client";
import type { PortalMessageDto, PortalTicketDto } from "../../../../shared/contracts/http/portal";
import type { TicketEventDto } from "../../../../shared/contracts/http/tickets";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from "../../../../shared/contracts/realtime";

// Live updates for a customer's ticket page. socket.io-client is loaded here, on demand, so the
// form at /portal never downloads it.

type PortalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the page says about the connection. */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "off";

export interface LiveHandlers {
  status(status: LiveStatus): void;
  /** A public message of the ticket (an agent's reply, or the customer's own from elsewhere). */
  message(message: PortalMessageDto): void;
  /** The ticket changed: status, rating... */
  ticket(ticket: PortalTicketDto): void;
  /**
   * Events may have been missed: after the first connection (the page was fetched before it)
   * and after a reconnection that did not recover the session. Fetch the page again.
   */
  resync(): void;
  /** The server closed or refused the socket: the link may have been replaced. */
  refused(): void;
}

let loading: Promise<{ io: typeof ioFunction }> | null = null;

/** Starts downloading socket.io-client (once), e.g. while the ticket itself loads. */
export function preloadLive(): Promise<{ io: typeof ioFunction }> {
  if (loading === null) {
    loading = import("socket.io-client");
    // A failed download is handled by connectLive; do not report it as unhandled here.
    loading.catch(() => undefined);
  }
  return loading;
}

function isPortalMessage(message: TicketEventDto | PortalMessageDto): message is PortalMessageDto {
  return "from" in message;
}

/**
 * Connects to the ticket's public events with its link token (websocket only, as the console).
 * Returns the function that disconnects.
 */
export function connectLive(token: string, on: LiveHandlers): () => void {
  let closed = false;
  let socket: PortalSocket | null = null;
  on.status("connecting");
  // A phone that loses its network often keeps a dead socket for a while: say so at once, and
  // catch up as soon as the network is back (socket.io reconnects by itself as well).
  const offline = () => on.status("reconnecting");
  const online = () => {
    if (socket?.connected === true) {
      on.status("live");
      on.resync();
    }
  };
  window.addEventListener("offline", offline);
  window.addEventListener("online", online);
  preloadLive().then(
    ({ io }) => {
      if (closed) {
        return;
      }
      const created: PortalSocket = io({ transports: ["websocket"], auth: { ticketToken: token } });
      socket = created;
      created.on("connect", () => {
        on.status("live");
        if (!created.recovered) {
          on.resync();
        }
      });
      created.on("disconnect", (reason) => {
        if (reason === "io server disconnect") {
          // Closed on purpose (the link was replaced): socket.io does not retry by itself.
          on.status("off");
          on.refused();
        } else if (reason !== "io client disconnect") {
          on.status("reconnecting");
        }
      });
      created.on("connect_error", () => {
        if (created.active) {
          on.status("reconnecting");
        } else {
          // Refused by the server: the token no longer opens this ticket.
          on.status("off");
          on.refused();
        }
      });
      created.on("ticket:message", (message) => {
        if (isPortalMessage(message)) {
          on.message(message);
        }
      });
      created.on("ticket:changed", (ticket) => on.ticket(ticket));
    },
    () => {
      if (!closed) {
        on.status("off");
      }
    },
  );
  return () => {
    closed = true;
    window.removeEventListener("offline", offline);
    window.removeEventListener("online", online);
    if (socket !== null) {
      socket.removeAllListeners();
      socket.disconnect();
      socket = null;
    }
  };
}
