import type { EntityManager } from "typeorm";
import type { AffectedDto, CertificationDto } from "../../../../shared/contracts/http/catalog";
import type { ActorType, TicketEventType, TicketStatus } from "../../../../shared/domain/enums";
import type { NetworkVerdict } from "../../../../shared/domain/verdict";

/**
 * The ports the catalogue (and the modules just above it: carriers, handsets) reaches the modules
 * above them through. They are declared here, implemented above (carriers/verdicts.ts,
 * tickets/ticket-history.ts) and handed in by the composition root, so the module order of
 * docs/ARCHITECTURE.md holds. Every call runs inside the caller's unit of work (`em`).
 */

/** What the catalogue shows of carriers: verdicts and certifications (carriers implement it). */
export interface CatalogVerdicts {
  /** A variant's verdicts on `date`, on the carriers named or all (the desk's first); null: no variant. */
  verdictsFor(
    em: EntityManager,
    variantId: string,
    date: string,
    carrierIds?: string[],
  ): Promise<NetworkVerdict[] | null>;
  /** A variant's verdict on the desk's carrier on `date`; null if either is missing. */
  deskVerdict(
    em: EntityManager,
    variantId: string | null,
    date: string,
  ): Promise<NetworkVerdict | null>;
  /** A variant's certifications with every carrier, by carrier name. */
  certificationsOf(em: EntityManager, variantId: string): Promise<CertificationDto[]>;
}

/** A change as a ticket's history records it. */
export interface HistoryChange {
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

/** One entry for a ticket's history. */
export interface HistoryEntry {
  type: TicketEventType;
  public: boolean;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  body?: string | null;
  changes?: HistoryChange[] | null;
}

/** A ticket as the modules below tickets see it. */
export interface TicketRef {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  handsetId: string | null;
  /** Loaded only when asked for. */
  customer: { id: string; name: string } | null;
}

/** Which tickets to recheck: those on these handsets, and those on handsets with these TACs. */
export interface FlagScope {
  handsetIds?: readonly string[];
  tacs?: readonly string[];
}

/** Tickets and their history, as the modules below tickets need them (tickets implements it). */
export interface TicketHistory {
  /** The open tickets on handsets of a variant, oldest first; with customers when asked. */
  openTicketsOfVariant(
    em: EntityManager,
    variantId: string,
    withCustomer: boolean,
  ): Promise<TicketRef[]>;
  /** A handset's tickets, newest first; only those not closed when asked. */
  ticketsOfHandset(em: EntityManager, handsetId: string, notClosed: boolean): Promise<TicketRef[]>;
  /** Appends an entry to a ticket's history (and touches the ticket); gives the event's id. */
  append(em: EntityManager, ticketId: string, entry: HistoryEntry, now: Date): Promise<string>;
  /** The ticket changed in a way its extensions (SLA clocks) follow, such as a public reply. */
  changed(em: EntityManager, ticketId: string, now: Date): Promise<void>;
  /**
   * Recomputes the flags of every ticket on the handsets named, or on the handsets carrying an
   * IMEI of one of the TACs named (tickets' one flag rule, the same as at opening), after the
   * caller changed what they depend on (a handset's variant or declared brand, a TAC entry).
   * Gives the ids of the tickets whose flags changed; the caller announces them after commit.
   */
  recheckFlags(em: EntityManager, scope: FlagScope, now: Date): Promise<string[]>;
  /**
   * The ids of the open tickets on a handset whose variant is known: those whose verdict now
   * follows a carrier's band profile, announced when it changes.
   */
  openTicketIdsWithVariant(em: EntityManager): Promise<string[]>;
  /** The handsets customers own of a variant (newest first, at most `limit`) and the totals. */
  ownedHandsetsOfVariant(
    em: EntityManager,
    variantId: string,
    limit: number,
  ): Promise<{ handsets: AffectedDto["handsets"]; handsetCount: number; customerCount: number }>;
  /** Queues the email of an agent's public message on a ticket for its customer, as a reply. */
  mailPublicMessage(
    em: EntityManager,
    ticketId: string,
    message: { agentName: string; body: string },
    now: Date,
  ): Promise<void>;
}
