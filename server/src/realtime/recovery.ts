import { randomBytes } from "node:crypto";
import type { Namespace, Socket } from "socket.io";
import { rooms } from "../../../shared/contracts/realtime";
import type { SocketData } from "../../../shared/contracts/realtime";
import { canViewTicket } from "../auth/policy";
import type { Principal } from "../auth/policy";

type Adapter = Namespace["adapter"];
type Session = Awaited<ReturnType<Adapter["restoreSession"]>>;

/** What socket.io would have restored at once, kept back until the handshake is authorised. */
interface Withheld {
  data: unknown;
  rooms: string[];
  missedPackets: unknown[][];
}

/** socket.io-parser's PacketType.EVENT: the packet type of an emitted event. */
const EVENT_PACKET = 2;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const TICKET_ROOM = new RegExp(`^ticket:(${UUID})$`);

/** A fresh id as socket.io makes them (15 random bytes, base64): unrelated to the old one. */
function freshId(): string {
  return randomBytes(15).toString("base64url");
}

/** socket.io's private state that says who a socket is and whether it was recovered. */
interface SocketState {
  id: string;
  pid: string;
  recovered: boolean;
  packet(packet: { type: number; data: unknown[] }): void;
}

/**
 * Connection-state recovery, made to wait for authorisation (see docs/SECURITY.md, T33/T34).
 *
 * socket.io restores a recovered socket in its constructor, before any middleware runs: it joins
 * the persisted rooms and writes the missed packets to the wire at once. So a pid and an offset,
 * with no credential or with another one, would bring back someone else's rooms and events.
 * The adapter's restoreSession() is the one place every restore goes through (in memory and in
 * Redis alike), so it is wrapped: the session it finds is handed to socket.io with no rooms and
 * no packets, and the real ones wait, tied to the socket's provisional data, until the handshake
 * middleware has authenticated the new connection and calls {@link SessionRecovery.settle}.
 */
export class SessionRecovery {
  private readonly withheld = new WeakMap<object, Withheld>();

  constructor(adapter: Adapter) {
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset): Promise<Session> => {
      const session = await restore(pid, offset);
      // The in-memory adapter answers null (against its type) when it has nothing.
      if (!session) {
        return session;
      }
      // socket.io makes this object the socket's data: the key under which the rest waits.
      const provisional = {};
      this.withheld.set(provisional, {
        data: session.data,
        rooms: session.rooms,
        missedPackets: session.missedPackets,
      });
      return { ...session, data: provisional, rooms: [], missedPackets: [] };
    };
  }

  /** Takes what a recovered socket would have got back; call before its data is replaced. */
  take(socket: Socket): Withheld | null {
    if (!socket.recovered) {
      return null;
    }
    const withheld = this.withheld.get(socket.data as object) ?? null;
    this.withheld.delete(socket.data as object);
    return withheld;
  }

  /**
   * Completes or refuses the recovery of an authenticated socket. It is completed only for the
   * very principal it was persisted for (the same session, the same link), which the handshake
   * has just proved still valid, and only if that principal may hear every room it had. A
   * revoked link, a disabled agent, a signed-out or expired session can never be presented
   * again, so their recovery sessions are dead from that moment, on every server process.
   * Anything else gets a fresh connection, as if the recovery window had passed: new ids (so it
   * is not even the old socket's own room), `recovered` false (the client then resyncs), no
   * rooms and nothing replayed. Returns whether the socket was recovered.
   */
  settle(socket: Socket, withheld: Withheld | null, now: SocketData): boolean {
    if (!socket.recovered) {
      return false;
    }
    const mayRecover =
      withheld !== null &&
      samePrincipal(withheld.data, now) &&
      withheld.rooms.every((room) => room === socket.id || mayHear(now, room));
    // socket.io keeps these private; pid and recovered are what tell the client how it went.
    const state = socket as unknown as SocketState;
    if (!mayRecover) {
      // The namespace holds a connecting socket under its id until the handshake ends.
      const connecting = (socket.nsp as unknown as { _preConnectSockets: Map<string, Socket> })
        ._preConnectSockets;
      connecting.delete(socket.id);
      state.id = freshId();
      connecting.set(state.id, socket);
      state.pid = freshId();
      state.recovered = false;
      return false;
    }
    void socket.join(withheld.rooms);
    // Written as socket.io's own restore writes them: before the CONNECT packet, which the
    // client buffers them behind.
    for (const data of withheld.missedPackets) {
      state.packet({ type: EVENT_PACKET, data });
    }
    return true;
  }
}

/** Whether persisted socket data belongs to exactly the principal that has just authenticated. */
function samePrincipal(before: unknown, now: SocketData): boolean {
  if (typeof before !== "object" || before === null) {
    return false;
  }
  const old = before as Record<string, unknown>;
  if (now.kind === "agent") {
    return old.kind === "agent" && old.userId === now.userId && old.sessionKey === now.sessionKey;
  }
  return old.kind === "customer" && old.ticketId === now.ticketId && old.linkKey === now.linkKey;
}

/** The policy's principal for a socket's data (a socket's agent passed the handshake active). */
export function socketPrincipal(data: SocketData): Principal {
  if (data.kind === "customer") {
    return { kind: "customer", ticketId: data.ticketId };
  }
  return {
    kind: "agent",
    user: { id: data.userId, email: "", name: data.name, role: data.role, disabled: false },
  };
}

/**
 * The rooms a principal may be in: those it joins at connection, and the rooms of the tickets
 * the policy lets it watch (agents only; a customer hears their ticket's public room).
 */
export function mayHear(data: SocketData, room: string): boolean {
  if (data.kind === "customer") {
    return room === rooms.ticketPublic(data.ticketId);
  }
  const ticket = TICKET_ROOM.exec(room);
  if (ticket !== null) {
    return canViewTicket(socketPrincipal(data), ticket[1]);
  }
  return (
    room === rooms.agents ||
    room === rooms.user(data.userId) ||
    room === rooms.session(data.sessionKey)
  );
}
