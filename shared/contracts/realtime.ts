import { z } from "zod";
import type { ApiErrorBody, Result } from "../errors";
import type { Role } from "../domain/enums";
import type { TicketDto, TicketEventDto } from "./http/tickets";
import type { PortalMessageDto, PortalTicketDto } from "./http/portal";
import type { AssignmentNoticeDto } from "./http/assignment";

/** Who is looking at a ticket right now, and whether they are typing. */
export interface Viewer {
  userId: string;
  name: string;
  typing: boolean;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  "ticket:created": (ticket: TicketDto) => void;
  "ticket:updated": (ticket: TicketDto) => void;
  /** Agents get the full event (notes included); a customer socket only public messages. */
  "ticket:message": (message: TicketEventDto | PortalMessageDto) => void;
  "presence:viewers": (presence: { ticketId: string; viewers: Viewer[] }) => void;
  /** To a customer socket: their ticket changed (status, rating...), as the portal shows it. */
  "ticket:changed": (ticket: PortalTicketDto) => void;
  /** To the assignee's sockets only: a ticket was assigned to them (by someone, or round-robin). */
  "ticket:assigned": (notice: AssignmentNoticeDto) => void;
}

/** An acknowledgement callback carrying a Result envelope. */
export type Ack<T> = (result: Result<T>) => void;

/** Events a client may send; every one is validated and authorised on the server. */
export interface ClientToServerEvents {
  "ticket:watch": (payload: { ticketId: string }, ack: Ack<{ ticketId: string }>) => void;
  "ticket:unwatch": (payload: { ticketId: string }) => void;
  "ticket:typing": (payload: { ticketId: string; typing: boolean }) => void;
}

/** What the server keeps on each socket after the handshake. */
export type SocketData =
  | {
      kind: "agent";
      userId: string;
      name: string;
      role: Role;
      /** The stored key of the session (never the session id itself). */
      sessionKey: string;
      /** When the session signed in (ms since epoch): the socket ends with its absolute lifetime. */
      signedInAt: number;
      /** The ticket this socket's agent is typing on, if any. */
      typingIn: string | null;
    }
  | {
      kind: "customer";
      ticketId: string;
      /** The stored hash of the link the socket opened with (never the token itself). */
      linkKey: string;
    };

/** Runtime schemas of every client event, tied to its type so both fail together. */
export const ClientEventSchemas = {
  "ticket:watch": z.object({ ticketId: z.uuid() }),
  "ticket:unwatch": z.object({ ticketId: z.uuid() }),
  "ticket:typing": z.object({ ticketId: z.uuid(), typing: z.boolean() }),
} satisfies {
  [K in keyof ClientToServerEvents]: z.ZodType<Parameters<ClientToServerEvents[K]>[0]>;
};

/** Room names, from one place. */
export const rooms = {
  agents: "agents",
  /** Agents watching a ticket: every event of it, notes included. */
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /** The customer of a ticket: its public messages only. */
  ticketPublic: (ticketId: string) => `ticket-public:${ticketId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
} as const;

export type { ApiErrorBody };
