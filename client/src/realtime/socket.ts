import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from "../../../shared/contracts/realtime";
import type { Result } from "../../../shared/errors";
import { fetchMe } from "../api/auth";

/** The console's one socket, typed by the shared contract. */
export type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * What the connection indicator shows. `connecting` only before the first connection;
 * `reconnecting` while socket.io retries; `offline` when the browser is offline or several
 * retries in a row failed (the server is down, or the socket was closed for good).
 */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

/** How a `ticket:watch` went: the server's Result envelope, or a timeout. */
export type WatchResult = Result<{ ticketId: string }> | { ok: false; error: { message: string } };

type ServerEvent = keyof ServerToClientEvents;
type HandlerSets = { [K in ServerEvent]: Set<ServerToClientEvents[K]> };

const ACK_TIMEOUT_MS = 5000;
/** Retries after which the indicator stops saying "reconnecting" and says "offline". */
const OFFLINE_AFTER_ATTEMPTS = 3;
/** At most one "am I still signed in?" probe per this many ms while the socket is refused. */
const AUTH_PROBE_INTERVAL_MS = 10_000;

let socket: AgentSocket | null = null;
let status: ConnectionStatus = "offline";
let hasConnected = false;
let lastAuthProbe = 0;
let signedOut: (() => void) | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

const statusListeners = new Set<(status: ConnectionStatus) => void>();
const reconnectListeners = new Set<(recovered: boolean) => void>();
const handlers: HandlerSets = {
  "ticket:created": new Set(),
  "ticket:updated": new Set(),
  "ticket:message": new Set(),
  "presence:viewers": new Set(),
  // Customer sockets only; listed because the table covers the whole contract.
  "ticket:changed": new Set(),
  "ticket:assigned": new Set(),
};
/** Watched tickets: how many views watch each, and who wants to hear how the watch went. */
const watched = new Map<string, Set<(result: WatchResult) => void>>();

function setStatus(next: ConnectionStatus): void {
  if (status !== next) {
    status = next;
    for (const listener of [...statusListeners]) {
      listener(next);
    }
  }
}

function sendWatch(ticketId: string): void {
  const current = socket;
  if (current === null || !current.connected) {
    return;
  }
  // socket.io's timeout() decoration loses the ack's type; the contract says what it is.
  const acked = current.timeout(ACK_TIMEOUT_MS).emitWithAck("ticket:watch", {
    ticketId,
  }) as Promise<Result<{ ticketId: string }>>;
  acked
    .then(
      (result): WatchResult => result,
      (): WatchResult => ({
        ok: false,
        error: { message: "The server did not confirm live updates for this ticket" },
      }),
    )
    .then((result) => {
      for (const listener of [...(watched.get(ticketId) ?? [])]) {
        listener(result);
      }
    })
    .catch(() => undefined);
}

/**
 * Asks the API whether the session still exists, at most every few seconds; tells the console
 * when it does not. A refused socket and a live session is a server problem, so we keep trying.
 */
function probeSession(force = false): void {
  const now = Date.now();
  if (!force && now - lastAuthProbe < AUTH_PROBE_INTERVAL_MS) {
    return;
  }
  lastAuthProbe = now;
  fetchMe().then(
    (user) => {
      if (user === null) {
        signedOut?.();
      }
    },
    () => undefined,
  );
}

function scheduleRetry(): void {
  if (retryTimer !== null) {
    return;
  }
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (socket !== null && !socket.connected && !socket.active) {
      socket.connect();
    }
  }, AUTH_PROBE_INTERVAL_MS);
}

const onBrowserOffline = () => setStatus("offline");
const onBrowserOnline = () => {
  if (socket !== null && !socket.connected) {
    setStatus("reconnecting");
    if (!socket.active) {
      socket.connect();
    }
  }
};

/**
 * Opens the console's socket (after sign-in: the session cookie authenticates the handshake).
 * `onSignedOut` runs when the server turns out to have ended the session.
 */
export function connectRealtime(onSignedOut: () => void): AgentSocket {
  signedOut = onSignedOut;
  if (socket !== null) {
    return socket;
  }
  hasConnected = false;
  setStatus("connecting");
  const created: AgentSocket = io({ transports: ["websocket"], withCredentials: true });
  socket = created;

  created.on("connect", () => {
    setStatus("connected");
    const reconnected = hasConnected;
    hasConnected = true;
    // A recovered connection kept its rooms; any other one starts with none.
    if (!created.recovered) {
      for (const ticketId of watched.keys()) {
        sendWatch(ticketId);
      }
    }
    if (reconnected) {
      for (const listener of [...reconnectListeners]) {
        listener(created.recovered);
      }
    }
  });
  created.on("disconnect", (reason) => {
    if (reason === "io client disconnect") {
      setStatus("offline");
    } else if (reason === "io server disconnect") {
      // The server closed it on purpose (sign-out elsewhere, a disabled account): no auto-retry.
      setStatus("offline");
      probeSession(true);
      scheduleRetry();
    } else {
      setStatus(navigator.onLine ? "reconnecting" : "offline");
    }
  });
  created.on("connect_error", () => {
    if (!created.active) {
      // Refused by the server's middleware: most likely the session is gone.
      setStatus("offline");
      probeSession(true);
      scheduleRetry();
    } else {
      probeSession();
    }
  });
  created.io.on("reconnect_attempt", (attempt) => {
    setStatus(attempt > OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? "offline" : "reconnecting");
  });

  created.on("ticket:created", (ticket) => handlers["ticket:created"].forEach((h) => h(ticket)));
  created.on("ticket:updated", (ticket) => handlers["ticket:updated"].forEach((h) => h(ticket)));
  created.on("ticket:message", (message) => handlers["ticket:message"].forEach((h) => h(message)));
  created.on("presence:viewers", (presence) =>
    handlers["presence:viewers"].forEach((h) => h(presence)),
  );
  created.on("ticket:changed", (ticket) => handlers["ticket:changed"].forEach((h) => h(ticket)));
  created.on("ticket:assigned", (notice) => handlers["ticket:assigned"].forEach((h) => h(notice)));

  window.addEventListener("offline", onBrowserOffline);
  window.addEventListener("online", onBrowserOnline);
  return created;
}

/** Closes the socket (sign-out). Watches and listeners of views stay registered. */
export function disconnectRealtime(): void {
  signedOut = null;
  if (retryTimer !== null) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  window.removeEventListener("offline", onBrowserOffline);
  window.removeEventListener("online", onBrowserOnline);
  const current = socket;
  socket = null;
  if (current !== null) {
    current.removeAllListeners();
    current.io.removeAllListeners();
    current.disconnect();
  }
  setStatus("offline");
}

/** The connection status now. */
export function connectionStatus(): ConnectionStatus {
  return status;
}

/** Calls `listener` on every change of the connection status; returns the unsubscribe. */
export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/**
 * Calls `listener` after every reconnection. `recovered` false means events may have been
 * missed: refetch what is on screen through the API.
 */
export function onReconnect(listener: (recovered: boolean) => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Listens to a server event of the contract; returns the unsubscribe. */
export function onServerEvent<K extends ServerEvent>(
  event: K,
  handler: ServerToClientEvents[K],
): () => void {
  const set = handlers[event] as Set<ServerToClientEvents[K]>;
  set.add(handler);
  return () => set.delete(handler);
}

/**
 * Joins a ticket's room (again after every reconnection that lost it) until the returned
 * function is called. `onResult` hears how each `ticket:watch` went.
 */
export function watchTicket(
  ticketId: string,
  onResult: (result: WatchResult) => void = () => undefined,
): () => void {
  let listeners = watched.get(ticketId);
  const first = listeners === undefined;
  if (listeners === undefined) {
    listeners = new Set();
    watched.set(ticketId, listeners);
  }
  listeners.add(onResult);
  if (first) {
    sendWatch(ticketId);
  }
  return () => {
    const current = watched.get(ticketId);
    current?.delete(onResult);
    if (current !== undefined && current.size === 0) {
      watched.delete(ticketId);
      if (socket?.connected) {
        socket.emit("ticket:unwatch", { ticketId });
      }
    }
  };
}

/** Tells the ticket's other viewers whether this agent is typing (dropped while disconnected). */
export function sendTyping(ticketId: string, typing: boolean): void {
  if (socket?.connected) {
    socket.volatile.emit("ticket:typing", { ticketId, typing });
  }
}
