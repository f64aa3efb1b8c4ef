import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/contracts/realtime";
import type { SignedIn } from "./agents";
import type { TestServer } from "./test-server";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open = new Set<TestSocket>();

interface ConnectOptions {
  cookie?: string;
  ticketToken?: string;
  origin?: string;
  transports?: ("websocket" | "polling")[];
}

/** A socket.io client as a browser would be: same origin, the session cookie, websocket. */
export function socketFor(t: TestServer, options: ConnectOptions = {}): TestSocket {
  const socket: TestSocket = connect(t.url, {
    transports: options.transports ?? ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: {
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      Origin: options.origin ?? t.url,
    },
    auth: options.ticketToken ? { ticketToken: options.ticketToken } : {},
  });
  open.add(socket);
  return socket;
}

/** Resolves when connected; rejects with the server's reason when refused. */
export function connected(socket: TestSocket): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    if (socket.connected) {
      return resolve(socket);
    }
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => reject(error));
  });
}

/** Connects as a signed-in agent (its session cookie carried into the handshake). */
export function connectAs(t: TestServer, client: SignedIn): Promise<TestSocket> {
  return connected(socketFor(t, { cookie: client.cookie }));
}

/** The next `event` on `socket` (optionally the first one matching `where`). */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  where: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  ms = 3000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!where(...args)) {
        return;
      }
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args[0]);
    };
    socket.on(event, listener as never);
  });
}

/** Fails if `event` arrives on `socket` within `ms`. */
export function expectNoEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  ms = 300,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (payload: unknown) => {
      clearTimeout(timer);
      socket.off(event, listener as never);
      reject(new Error(`unexpected ${event}: ${JSON.stringify(payload)}`));
    };
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      resolve();
    }, ms);
    socket.on(event, listener as never);
  });
}

/** Resolves when the server disconnects the socket. */
export function disconnected(socket: TestSocket, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      return resolve("already disconnected");
    }
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Closes every socket a test opened (call in afterEach). */
export function closeAll(): void {
  for (const socket of open) {
    socket.disconnect();
  }
  open.clear();
}
