import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import { Server } from "socket.io";
import type { ServerOptions } from "socket.io";
import type { Socket } from "socket.io";
import { ClientEventSchemas, rooms } from "../../../shared/contracts/realtime";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
  Viewer,
} from "../../../shared/contracts/realtime";
import type { Result } from "../../../shared/errors";
import { ABSOLUTE_TIMEOUT_MS } from "../auth/auth";
import type { Auth } from "../auth/auth";
import { canViewTicket } from "../auth/policy";
import { sessionKey } from "../auth/session-store";
import type { Database } from "../db/database";
import { zodDetails } from "../errors/zod-details";
import type { Logger } from "../logging/logger";
import { hashLinkToken } from "../modules/tickets/link-tokens";
import type { PortalService } from "../modules/portal/portal.service";
import { ticketExists } from "../modules/tickets/tickets.repository";
import { Coalescer } from "./coalescer";
import { EventBudget } from "./event-budget";
import type { BudgetPolicy } from "./event-budget";
import { SessionRecovery, socketPrincipal } from "./recovery";

export type GreydeskIo = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
type GreydeskSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

/** Client events are tiny; anything bigger is an attack or a bug and closes the connection. */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024;
/**
 * A socket that stops reading (a frozen tab, a dead link not yet noticed) makes the server queue
 * every event for it. Above either cap it is disconnected; its client resyncs when it returns.
 */
export const SLOW_CONSUMER_MAX_BYTES = 4 * 1024 * 1024;
const SLOW_CONSUMER_CHECK_MS = 1000;
/** The backlog is measured again each time this much more has been queued for a socket. */
const SLOW_CONSUMER_CHECK_BYTES = 256 * 1024;

function packetBytes(data: unknown): number {
  return typeof data === "string" || Buffer.isBuffer(data) ? data.length : 0;
}

/** A typing indicator that is not renewed goes away after this long. */
const TYPING_TTL_MS = 6000;

/**
 * Presence of a ticket is published at most this often (with the latest state): typing toggles
 * and watch churn from one agent must not become as many events at every other watcher.
 */
export const PRESENCE_EVERY_MS = 250;

/**
 * Client events one socket may send. The console sends a watch per open ticket (all of them
 * again after a reconnection) and a typing signal every few seconds; a burst of 40 leaves it room.
 * A socket that keeps sending past its budget is cut off (see docs/SECURITY.md, T38).
 */
export const SOCKET_EVENT_BUDGET: BudgetPolicy = { burst: 40, perSecond: 10, abusiveAfter: 200 };

/** How often the sessions behind open agent sockets are checked for expiry (default). */
const SESSION_CHECK_MS = 30_000;

export interface RealtimeDeps {
  http: HttpServer;
  auth: Auth;
  db: Database;
  portal: PortalService;
  logger: Logger;
  /** How long a dropped connection may come back and be replayed what it missed (default 2 min). */
  recoveryWindowMs?: number;
  /** Carries events between server processes (Redis); none for a single process. */
  adapter?: ServerOptions["adapter"];
  /** How often open agent sockets are checked against their session's expiry (default 30 s). */
  sessionCheckMs?: number;
}

type EngineRequest = IncomingMessage & { _query?: Record<string, string> };

/** Runs an Express middleware on the Engine.IO handshake request only, not on every poll. */
function onlyForHandshake(middleware: RequestHandler) {
  return (req: EngineRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req._query?.sid === undefined) {
      void middleware(req as Request, res as unknown as Parameters<RequestHandler>[1], next);
    } else {
      next();
    }
  };
}

/** Same-origin only: a browser's Origin must name the host it connects to (WebSockets skip CORS). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    return true;
  }
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const RATE_LIMITED = {
  ok: false as const,
  error: { code: "rate_limited" as const, message: "Too many events; slow down" },
};

function fail(
  code: "validation_failed" | "not_found",
  message: string,
  details?: { path: string; message: string }[],
) {
  return { ok: false as const, error: { code, message, ...(details ? { details } : {}) } };
}

/**
 * Socket.io on the HTTP server: the handshake is authenticated by the same Passport session as
 * HTTP (agents) or by a ticket link token (customers); every client event is parsed with its
 * schema and authorised by the HTTP policy; sessions that end take their sockets with them.
 */
export class Realtime {
  readonly io: GreydeskIo;
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();
  private readonly slowConsumerTimer: NodeJS.Timeout;
  private readonly sessionTimer: NodeJS.Timeout;
  private readonly recovery: SessionRecovery;
  private readonly presence = new Coalescer(
    PRESENCE_EVERY_MS,
    (ticketId) => void this.publishPresence(ticketId),
  );

  constructor(private readonly deps: RealtimeDeps) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>(
      deps.http,
      {
        serveClient: false,
        maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
        allowRequest: (req, callback) =>
          callback(sameOrigin(req) ? null : "foreign origin", sameOrigin(req)),
        // Recovery replays what a briefly disconnected client missed. The middlewares run again,
        // and SessionRecovery holds the restored rooms and missed events back until they have
        // authorised the very principal the state was kept for (see recovery.ts).
        connectionStateRecovery: {
          maxDisconnectionDuration: deps.recoveryWindowMs ?? 2 * 60_000,
          skipMiddlewares: false,
        },
        ...(deps.adapter ? { adapter: deps.adapter } : {}),
      },
    );
    this.recovery = new SessionRecovery(this.io.of("/").adapter);
    for (const middleware of deps.auth.sessionChain) {
      this.io.engine.use(onlyForHandshake(middleware));
    }
    this.io.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (error: unknown) =>
          next(error instanceof Error ? error : new Error("authentication_required")),
      );
    });
    this.io.on("connection", (socket) => this.onConnection(socket));
    this.slowConsumerTimer = setInterval(() => this.dropSlowConsumers(), SLOW_CONSUMER_CHECK_MS);
    this.slowConsumerTimer.unref();
    this.sessionTimer = setInterval(
      () => void this.endExpiredSessions(),
      deps.sessionCheckMs ?? SESSION_CHECK_MS,
    );
    this.sessionTimer.unref();
    deps.auth.store.events.on("ended", (keys) => {
      if (keys.length > 0) {
        this.io.in(keys.map((key) => rooms.session(key))).disconnectSockets(true);
      }
    });
  }

  /**
   * The handshake: authenticates the connection, then completes or refuses a recovery of its
   * earlier state, so nothing restored reaches a socket before its credential was checked.
   */
  private async admit(socket: GreydeskSocket): Promise<void> {
    const withheld = this.recovery.take(socket);
    socket.data = await this.authenticate(socket);
    this.recovery.settle(socket, withheld, socket.data);
  }

  private async authenticate(socket: GreydeskSocket): Promise<SocketData> {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    const token = auth?.ticketToken;
    if (typeof token === "string") {
      const ticketId = token.length <= 256 ? await this.deps.portal.ticketIdForToken(token) : null;
      if (ticketId === null) {
        throw new Error("not_found");
      }
      return { kind: "customer", ticketId, linkKey: hashLinkToken(token) };
    }
    const req = socket.request as IncomingMessage &
      Partial<Pick<Request, "user" | "sessionID" | "session">>;
    const user = req.user;
    const signedInAt = req.session?.signedInAt;
    if (!user || user.disabled || !req.sessionID || typeof signedInAt !== "number") {
      throw new Error("authentication_required");
    }
    return {
      kind: "agent",
      userId: user.id,
      name: user.name,
      role: user.role,
      sessionKey: sessionKey(req.sessionID),
      signedInAt,
      typingIn: null,
    };
  }

  private onConnection(socket: GreydeskSocket): void {
    const data = socket.data;
    this.watchBacklog(socket);
    if (data.kind === "customer") {
      void socket.join(rooms.ticketPublic(data.ticketId));
    } else {
      void socket.join([rooms.agents, rooms.user(data.userId), rooms.session(data.sessionKey)]);
    }
    if (socket.recovered) {
      // Back in the rooms it watched: its viewers see it again.
      for (const room of socket.rooms) {
        if (room.startsWith("ticket:")) {
          this.presence.request(room.slice("ticket:".length));
        }
      }
    }

    // Every client event spends the socket's budget first; past it, an event with an ack hears
    // rate_limited, one without is dropped, and a socket that keeps on is disconnected.
    const budget = new EventBudget(SOCKET_EVENT_BUDGET);
    socket.use((event, next) => {
      const verdict = budget.take();
      if (verdict === "ok") {
        return next();
      }
      const ack: unknown = event[event.length - 1];
      if (typeof ack === "function") {
        (ack as (result: typeof RATE_LIMITED) => void)(RATE_LIMITED);
      }
      if (verdict === "abusive") {
        this.deps.logger.warn("realtime", "event flood: socket disconnected", {
          kind: socket.data.kind,
        });
        socket.disconnect(true);
      }
      next(new Error("rate_limited"));
    });

    socket.on("ticket:watch", (payload, ack) => {
      const respond = typeof ack === "function" ? ack : () => undefined;
      this.watch(socket, payload).then(respond, (error: unknown) => {
        this.deps.logger.error("realtime", "watch failed", { err: String(error) });
        respond({ ok: false, error: { code: "internal_error", message: "Something went wrong" } });
      });
    });
    socket.on("ticket:unwatch", (payload) => {
      const parsed = ClientEventSchemas["ticket:unwatch"].safeParse(payload);
      if (!parsed.success || socket.data.kind !== "agent") {
        return;
      }
      void socket.leave(rooms.ticket(parsed.data.ticketId));
      this.setTyping(socket, parsed.data.ticketId, false);
      this.presence.request(parsed.data.ticketId);
    });
    socket.on("ticket:typing", (payload) => {
      const parsed = ClientEventSchemas["ticket:typing"].safeParse(payload);
      if (!parsed.success) {
        return;
      }
      const { ticketId, typing } = parsed.data;
      // Typing is only heard where the agent watches, which the policy already allowed.
      if (socket.data.kind !== "agent" || !socket.rooms.has(rooms.ticket(ticketId))) {
        return;
      }
      this.setTyping(socket, ticketId, typing);
    });
    socket.on("disconnecting", () => {
      const watched = [...socket.rooms].filter((room) => room.startsWith("ticket:"));
      this.clearTypingTimer(socket.id);
      setImmediate(() => {
        for (const room of watched) {
          this.presence.request(room.slice("ticket:".length));
        }
      });
    });
  }

  private async watch(
    socket: GreydeskSocket,
    payload: unknown,
  ): Promise<Result<{ ticketId: string }>> {
    const parsed = ClientEventSchemas["ticket:watch"].safeParse(payload);
    if (!parsed.success) {
      return fail(
        "validation_failed",
        "The payload is not valid",
        zodDetails(parsed.error, payload),
      );
    }
    const { ticketId } = parsed.data;
    const principal = socketPrincipal(socket.data);
    if (!canViewTicket(principal, ticketId)) {
      return fail("not_found", "Ticket not found");
    }
    // A customer's one ticket was found through its link at the handshake, and a ticket an agent
    // already watches was found when they first watched it: neither needs the database again.
    if (principal.kind === "customer" || socket.rooms.has(rooms.ticket(ticketId))) {
      return { ok: true, data: { ticketId } };
    }
    if (!(await this.deps.db.read((em) => ticketExists(em, ticketId)))) {
      return fail("not_found", "Ticket not found");
    }
    await socket.join(rooms.ticket(ticketId));
    this.presence.request(ticketId);
    return { ok: true, data: { ticketId } };
  }

  private setTyping(socket: GreydeskSocket, ticketId: string, typing: boolean): void {
    const data = socket.data;
    if (data.kind !== "agent") {
      return;
    }
    const next = typing ? ticketId : data.typingIn === ticketId ? null : data.typingIn;
    this.clearTypingTimer(socket.id);
    if (next !== null) {
      const timer = setTimeout(() => this.setTyping(socket, ticketId, false), TYPING_TTL_MS);
      timer.unref();
      this.typingTimers.set(socket.id, timer);
    }
    if (next === data.typingIn) {
      return;
    }
    const previous = data.typingIn;
    data.typingIn = next;
    this.presence.request(ticketId);
    if (previous !== null && previous !== ticketId) {
      this.presence.request(previous);
    }
  }

  private clearTypingTimer(socketId: string): void {
    const timer = this.typingTimers.get(socketId);
    if (timer !== undefined) {
      clearTimeout(timer);
    }
    this.typingTimers.delete(socketId);
  }

  /** Who is on a ticket now (one entry per agent, typing if any of their sockets types). */
  async viewers(ticketId: string): Promise<Viewer[]> {
    const sockets = await this.io.in(rooms.ticket(ticketId)).fetchSockets();
    const byUser = new Map<string, Viewer>();
    for (const remote of sockets) {
      const data = remote.data;
      if (data.kind !== "agent") {
        continue;
      }
      const viewer = byUser.get(data.userId) ?? {
        userId: data.userId,
        name: data.name,
        typing: false,
      };
      viewer.typing ||= data.typingIn === ticketId;
      byUser.set(data.userId, viewer);
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private async publishPresence(ticketId: string): Promise<void> {
    try {
      const viewers = await this.viewers(ticketId);
      this.io.to(rooms.ticket(ticketId)).emit("presence:viewers", { ticketId, viewers });
    } catch (error) {
      this.deps.logger.warn("realtime", "presence failed", { ticketId, err: String(error) });
    }
  }

  /**
   * Disconnects the sockets whose unsent backlog passed a cap, so memory stays bounded. Runs on a
   * timer as a sweep; the cap itself is enforced as packets are queued (`watchBacklog`).
   */
  dropSlowConsumers(): void {
    for (const socket of this.io.of("/").sockets.values()) {
      this.dropIfSlow(socket);
    }
  }

  /**
   * Measures a socket's backlog each time another SLOW_CONSUMER_CHECK_BYTES have been queued for
   * it, so however fast events come, no more than the cap plus that step waits for a socket that
   * stopped reading. (A timer alone lets a burst queue a second's worth of events past the cap.)
   */
  private watchBacklog(socket: GreydeskSocket): void {
    let sinceCheck = 0;
    socket.conn.on("packetCreate", (packet: { data?: unknown }) => {
      sinceCheck += packetBytes(packet.data);
      if (sinceCheck >= SLOW_CONSUMER_CHECK_BYTES) {
        sinceCheck = 0;
        this.dropIfSlow(socket);
      }
    });
  }

  private dropIfSlow(socket: GreydeskSocket): void {
    // engine.io keeps these private; they are the only measure of what waits to be sent: its
    // own queue (while the transport is not writable) and the websocket's send buffer.
    const conn = socket.conn as unknown as {
      writeBuffer?: { data?: unknown }[];
      transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
      close(discard?: boolean): void;
    };
    if (!socket.connected) {
      return;
    }
    const queued = (conn.writeBuffer ?? []).reduce(
      (bytes, packet) => bytes + packetBytes(packet.data),
      0,
    );
    const buffered = conn.transport?.socket?.bufferedAmount ?? 0;
    if (queued + buffered > SLOW_CONSUMER_MAX_BYTES) {
      this.deps.logger.warn("realtime", "slow consumer disconnected", { queued, buffered });
      socket.disconnect(true);
      // It may never drain: drop the TCP connection and discard what was queued for it.
      conn.transport?.socket?.terminate?.();
      conn.close(true);
    }
  }

  /**
   * Disconnects the agent sockets whose session has ended by time: its absolute lifetime passed
   * (the server's clock, as the HTTP check uses), or its idle expiry did (the session row, which
   * the store compares as it does for HTTP). Sessions ended by a person (sign-out, disable,
   * password) or pruned close their sockets at once through the store's "ended" event; this
   * covers the ones nobody ended. An open socket is not activity: only requests move the idle
   * expiry, so a console left open and untouched for 2 h is signed out like one left closed.
   * Each process checks the sockets it holds. A database that cannot answer proves nothing, so
   * then nobody is disconnected. Returns how many sockets were disconnected.
   */
  async endExpiredSessions(): Promise<number> {
    const agents = [...this.io.of("/").sockets.values()].filter(
      (socket) => socket.data.kind === "agent",
    );
    if (agents.length === 0) {
      return 0;
    }
    const keyOf = (socket: GreydeskSocket) =>
      socket.data.kind === "agent" ? socket.data.sessionKey : "";
    let live: Set<string>;
    try {
      live = await this.deps.auth.store.liveKeys([...new Set(agents.map(keyOf))]);
    } catch (error) {
      this.deps.logger.warn("realtime", "session expiry check failed", { err: String(error) });
      return 0;
    }
    const now = this.deps.auth.clock.now().getTime();
    let ended = 0;
    for (const socket of agents) {
      const data = socket.data;
      if (data.kind !== "agent" || !socket.connected) {
        continue;
      }
      if (!live.has(data.sessionKey) || now - data.signedInAt > ABSOLUTE_TIMEOUT_MS) {
        socket.disconnect(true);
        ended += 1;
      }
    }
    return ended;
  }

  /** Disconnects every socket and closes Socket.io together with the HTTP server under it. */
  async close(): Promise<void> {
    clearInterval(this.slowConsumerTimer);
    clearInterval(this.sessionTimer);
    this.presence.clear();
    for (const timer of this.typingTimers.values()) {
      clearTimeout(timer);
    }
    this.typingTimers.clear();
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
  }
}
