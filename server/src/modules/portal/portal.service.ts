import type { Readable } from "node:stream";
import type { EntityManager } from "typeorm";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type {
  PortalNetworkDto,
  PortalCreateTicketInput,
  PortalMessageDto,
  PortalMessagePage,
  PortalTicketDto,
  PortalTicketView,
} from "../../../../shared/contracts/http/portal";
import { Limits } from "../../../../shared/domain/limits";
import type { Satisfaction } from "../../../../shared/domain/enums";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { insertStatement } from "../../db/rows";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import { Attachment } from "../attachments/attachment.entity";
import { AttachmentsService } from "../attachments/attachments.service";
import type { IncomingFile } from "../attachments/attachments.service";
import type { TacCatalog } from "../devices/tac-catalog";
import { queueTicketLink } from "../outbox/outbox.repository";
import { linkMessageFor, openTicket } from "../tickets/open-ticket";
import type { TicketOpeningPorts } from "../tickets/open-ticket";
import type { Handset } from "../handsets/handset.entity";
import type { Ticket } from "../tickets/ticket.entity";
import type { TicketNotifier } from "../../events/facts";
import {
  appendEvent,
  findTicketIdByTokenHash,
  findTicketWithRelations,
  listEventPage,
  lockTicket,
  updateTicket,
} from "../tickets/tickets.repository";
import {
  contactOf,
  handsetIsTheirs,
  presentPortalHandset,
  presentPortalMessage,
  presentPortalTicket,
  primaryImei,
} from "../tickets/tickets.presenter";
import { resolveTac } from "../catalog/catalog.repository";
import { deskVerdict } from "../carriers/verdicts";
import { plainVerdict } from "../../../../shared/domain/verdict";
import { hashLinkToken, newLinkToken } from "../tickets/link-tokens";
import type { TicketLinks } from "../tickets/link-tokens";
import { latestPortalRma } from "../rma/rma.presenter";
import { recomputeTicketSla } from "../sla/ticket-sla.repository";

const NOT_FOUND = "Ticket";

/**
 * What a customer can do without an account, holding only a ticket's private link: open a
 * ticket (with photos), read it, reply, rate it when resolved, and replace the link.
 */
export class PortalService {
  constructor(
    private readonly db: Database,
    private readonly tacs: TacCatalog,
    private readonly attachments: AttachmentsService,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly links: TicketLinks,
    /** What opening a ticket needs of the modules below tickets. */
    private readonly opening: TicketOpeningPorts,
  ) {}

  /**
   * Opens a ticket: finds or creates the customer (by email) and the handset (by IMEI), writes
   * the ticket, its first event, its attachments and the outbox message with the link in one
   * transaction. The token is stored only as a hash, so this is the one time its link is known.
   */
  async openTicket(
    input: PortalCreateTicketInput,
    files: IncomingFile[],
  ): Promise<{ ticket: PortalTicketDto; accessUrl: string }> {
    const now = this.clock.now();
    if (input.purchaseDate !== undefined && input.purchaseDate > this.clock.today()) {
      throw new ValidationError("The request is not valid", [
        { path: "purchaseDate", message: "cannot be in the future" },
      ]);
    }
    const token = newLinkToken();
    const accessUrl = this.links.ticket(token);
    const ticket = await this.attachments.withUploads(files, (blobs) =>
      this.db.transaction(
        async (em) => {
          const opened = await openTicket(
            em,
            this.opening,
            {
              channel: "portal",
              contact: { email: input.email, name: input.name, phone: input.phone ?? null },
              handset: {
                imei: input.imei,
                brand: input.brand ?? null,
                model: input.model ?? null,
                purchaseDate: input.purchaseDate ?? null,
              },
              category: input.category,
              priority: "normal",
              subject: input.subject,
              description: input.description,
              assigneeId: null,
              accessTokenHash: hashLinkToken(token),
              actor: { type: "customer", id: null, name: null },
            },
            now,
            (opened) => [
              ...AttachmentsService.rows(opened.ticket.id, opened.firstEventId, blobs, now).map(
                (row) => insertStatement(em, Attachment, row),
              ),
              linkMessageFor(em, this.opening, opened, this.links.seal(accessUrl), now),
            ],
          );
          return opened.ticket;
        },
        { retryOnClash: true },
      ),
    );
    this.notifier.emit("ticket.created", ticket.id);
    return { ticket: presentPortalTicket(ticket), accessUrl };
  }

  /**
   * The ticket behind a link, as its customer sees it, with the latest page of its conversation;
   * 404 for an unknown or revoked link.
   */
  async view(token: string): Promise<PortalTicketView> {
    return this.db.read(async (em) => {
      const ticket = await this.ticketByToken(em, token);
      const page = await this.messagePage(em, ticket);
      const handset = ticket.handset ?? null;
      // The TAC's model is asked for only when the handset record is not theirs to see.
      const phone =
        handset === null
          ? { handset: null, warranty: null }
          : presentPortalHandset(
              ticket,
              handset,
              handsetIsTheirs(ticket, handset) ? null : await this.tacOf(em, handset),
              this.clock.today(),
            );
      return {
        ticket: presentPortalTicket(ticket),
        ...page,
        ...phone,
        satisfaction:
          ticket.satisfaction !== null && ticket.ratedAt !== null
            ? {
                rating: ticket.satisfaction,
                comment: ticket.satisfactionComment,
                ratedAt: ticket.ratedAt.toISOString(),
              }
            : null,
        canRate: ticket.satisfaction === null && isDone(ticket),
        rma: await latestPortalRma(em, ticket.id),
        network:
          handset !== null && handsetIsTheirs(ticket, handset)
            ? await this.networkWords(em, handset)
            : null,
      };
    });
  }

  /**
   * Whether the customer's phone works on the desk's carrier today, in their words. Only for a
   * handset that is theirs: the variant it is decided from was set by agents or a batch.
   */
  private async networkWords(em: EntityManager, handset: Handset): Promise<PortalNetworkDto> {
    const verdict = await deskVerdict(em, handset.variantId, this.clock.today());
    if (verdict === null) {
      return {
        carrier: null,
        level: "unknown",
        words:
          "We have not identified the exact version of your phone yet, so we cannot say whether " +
          "it works on our network. Your agent will check and tell you.",
      };
    }
    return {
      carrier: verdict.carrier.name,
      level: verdict.level,
      words: plainVerdict(verdict),
    };
  }

  /** The page of the conversation before the cursor `before`; 404 for a dead link. */
  async messages(token: string, before?: string): Promise<PortalMessagePage> {
    return this.db.read(async (em) =>
      this.messagePage(em, await this.ticketByToken(em, token), before),
    );
  }

  /** Public messages only: internal notes and changes never reach the customer. */
  private async messagePage(
    em: EntityManager,
    ticket: Ticket,
    before?: string,
  ): Promise<PortalMessagePage> {
    const page = await listEventPage(
      em,
      ticket.id,
      { publicOnly: true, types: ["created", "message"] },
      Limits.eventPageSize,
      before,
    );
    const files = await AttachmentsService.byEvent(
      em,
      page.events.map((event) => event.id),
    );
    return {
      messages: page.events.map((event) => presentPortalMessage(event, files.get(event.id))),
      earlierCursor: page.earlierCursor,
    };
  }

  /**
   * A customer's reply, with up to five files. It reopens a ticket that was waiting on them or
   * resolved; a closed ticket takes no more replies (409): the customer opens a new one.
   */
  async reply(token: string, body: string, files: IncomingFile[]): Promise<PortalMessageDto> {
    const now = this.clock.now();
    const { message, ticketId } = await this.attachments.withUploads(files, (blobs) =>
      this.db.transaction(async (em) => {
        const ticket = await this.ticketByToken(em, token, true);
        if (ticket.status === "closed") {
          throw new ConflictError("This ticket is closed; please open a new one");
        }
        const customer = ticket.customer!;
        const actor = {
          actorType: "customer" as const,
          actorId: customer.id,
          actorName: contactOf(ticket, customer).name,
        };
        const event = await appendEvent(
          em,
          ticket.id,
          { type: "message", public: true, body, ...actor },
          now,
        );
        await this.attachments.attach(em, ticket.id, event.id, blobs, now);
        const reopen = ticket.status === "pending_customer" || ticket.status === "resolved";
        if (reopen) {
          await updateTicket(em, ticket.id, { status: "open", resolvedAt: null, updatedAt: now });
          await appendEvent(
            em,
            ticket.id,
            {
              type: "status_changed",
              public: true,
              ...actor,
              changes: [{ field: "status", from: ticket.status, to: "open" }],
            },
            now,
          );
          // Waiting on the customer paused the SLA clocks; their answer starts them again.
          await recomputeTicketSla(em, ticket.id, now);
        }
        const stored = await AttachmentsService.byEvent(em, [event.id]);
        return {
          message: presentPortalMessage(event, stored.get(event.id)),
          ticketId: ticket.id,
        };
      }),
    );
    this.notifier.emit("ticket.event", ticketId, message.id);
    this.notifier.emit("ticket.updated", ticketId);
    return message;
  }

  /**
   * The one-click satisfaction rating: once, and only when the ticket is resolved or closed.
   * Agents see it on the ticket and in its history.
   */
  async rate(token: string, rating: Satisfaction, comment: string | null): Promise<void> {
    const now = this.clock.now();
    const ticketId = await this.db.transaction(async (em) => {
      const ticket = await this.ticketByToken(em, token, true);
      if (!isDone(ticket)) {
        throw new ConflictError("A ticket can be rated once it is resolved", [
          { path: "rating", message: "the ticket is not resolved yet" },
        ]);
      }
      if (ticket.satisfaction !== null) {
        throw new ConflictError("This ticket has been rated already", [
          { path: "rating", message: "already given" },
        ]);
      }
      await updateTicket(em, ticket.id, {
        satisfaction: rating,
        satisfactionComment: comment,
        ratedAt: now,
        updatedAt: now,
      });
      const customer = ticket.customer!;
      await appendEvent(
        em,
        ticket.id,
        {
          type: "rated",
          public: false,
          actorType: "customer",
          actorId: customer.id,
          actorName: contactOf(ticket, customer).name,
          body: comment,
          changes: [{ field: "satisfaction", from: null, to: rating }],
        },
        now,
      );
      return ticket.id;
    });
    this.notifier.emit("ticket.updated", ticketId);
  }

  /**
   * Replaces a ticket's link: the old one is dead at once (404, and its sockets are closed), the
   * new one is returned and queued in the outbox like the first.
   */
  async revoke(token: string): Promise<{ accessUrl: string }> {
    const now = this.clock.now();
    const fresh = newLinkToken();
    const accessUrl = this.links.ticket(fresh);
    const ticketId = await this.db.transaction(async (em) => {
      const ticket = await this.ticketByToken(em, token, true);
      await updateTicket(em, ticket.id, { accessTokenHash: hashLinkToken(fresh), updatedAt: now });
      const customer = ticket.customer!;
      await appendEvent(
        em,
        ticket.id,
        {
          type: "link_revoked",
          public: false,
          actorType: "customer",
          actorId: customer.id,
          actorName: contactOf(ticket, customer).name,
        },
        now,
      );
      await queueTicketLink(
        em,
        {
          ticketId: ticket.id,
          recipient: customer.email,
          name: contactOf(ticket, customer).name,
          number: ticketNumberLabel(ticket.number),
          subject: ticket.subject,
          sealedLink: this.links.seal(accessUrl),
        },
        now,
      );
      return ticket.id;
    });
    this.notifier.emit("ticket.link-revoked", ticketId);
    return { accessUrl };
  }

  /** A file of a public message of the link's ticket; 404 for anything else. */
  async attachment(
    token: string,
    attachmentId: string,
  ): Promise<{ attachment: Attachment; stream: Readable }> {
    const ticketId = await this.ticketIdForToken(token);
    if (ticketId === null) {
      throw new NotFoundError("Attachment");
    }
    return this.attachments.open(ticketId, attachmentId, true);
  }

  /** What the handset's IMEI itself says: the model its TAC names (catalogue, else bundled). */
  private async tacOf(
    em: EntityManager,
    handset: Handset,
  ): Promise<{ brand: string; model: string } | null> {
    const imei = primaryImei(handset);
    if (imei === null) {
      return null;
    }
    const tac = imei.slice(0, 8);
    return (await resolveTac(em, tac)) ?? this.tacs.lookup(tac) ?? null;
  }

  /** The id of the ticket a link token opens, or null (unknown or revoked). */
  ticketIdForToken(token: string): Promise<string | null> {
    return this.db.read((em) => findTicketIdByTokenHash(em, hashLinkToken(token)));
  }

  private async ticketByToken(
    em: EntityManager,
    token: string,
    forUpdate = false,
  ): Promise<Ticket> {
    const id = await findTicketIdByTokenHash(em, hashLinkToken(token));
    if (id !== null && forUpdate) {
      await lockTicket(em, id);
    }
    const ticket = id === null ? null : await findTicketWithRelations(em, id);
    if (ticket === null) {
      throw new NotFoundError(NOT_FOUND);
    }
    return ticket;
  }
}

function isDone(ticket: Ticket): boolean {
  return ticket.status === "resolved" || ticket.status === "closed";
}
