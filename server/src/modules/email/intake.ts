import { mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import type { EntityManager } from "typeorm";
import { parseImei } from "../../../../shared/domain/imei";
import type { ImeiValid } from "../../../../shared/domain/imei";
import { AttachmentLimits, Limits } from "../../../../shared/domain/limits";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { UniqueClashError } from "../../db/db-errors";
import { insertStatement, runInOrder } from "../../db/rows";
import { ValidationError } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { Attachment } from "../attachments/attachment.entity";
import { AttachmentsService } from "../attachments/attachments.service";
import type { StoredBlob } from "../attachments/attachments.service";
import { Customer } from "../customers/customer.entity";
import { hashLinkToken, newLinkToken } from "../tickets/link-tokens";
import type { TicketLinks } from "../tickets/link-tokens";
import { linkMessageFor, openTicket } from "../tickets/open-ticket";
import type { TicketOpeningPorts } from "../tickets/open-ticket";
import { Ticket } from "../tickets/ticket.entity";
import type { TicketNotifier } from "../../events/facts";
import { contactOf } from "../tickets/tickets.presenter";
import { appendEvent } from "../tickets/tickets.repository";
import type { MailAddresses } from "./addresses";
import { automaticKind, bouncedAddresses } from "./auto-mail";
import { MailReceipt, MailSuppression } from "./mail-receipt.entity";
import { clean, oneLine, trimReply } from "./reply-text";

export type IntakeOutcome =
  | "reply"
  | "opened"
  | "duplicate"
  | "bounce"
  | "dropped_auto"
  | "dropped_list"
  | "dropped_loop"
  | "dropped_sender"
  | "unsubscribed";

export interface IntakeResult {
  outcome: IntakeOutcome;
  ticketId: string | null;
}

/** The sender sent more mail than a person writes: answered with a temporary SMTP refusal. */
export class MailFloodError extends Error {
  constructor(readonly sender: string) {
    super("Too much mail from this sender; try again later");
  }
}

/** Mail per sender per hour before the receiver defers more (a person writes far fewer). */
const FLOOD_LIMIT = 20;
const FLOOD_WINDOW_MS = 3600_000;

/** Counts each sender's mail in a sliding hour (per process). */
class SenderThrottle {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  take(sender: string, now: number): boolean {
    const recent = (this.seen.get(sender) ?? []).filter((at) => at > now - FLOOD_WINDOW_MS);
    if (recent.length >= this.limit) {
      this.seen.set(sender, recent);
      return false;
    }
    recent.push(now);
    this.seen.set(sender, recent);
    if (this.seen.size > 10_000) {
      // Bounded memory: the oldest senders are forgotten first.
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) {
        this.seen.delete(oldest);
      }
    }
    return true;
  }
}

/** An IMEI in the subject or text: 15 digits (spaces or dashes between allowed), valid Luhn. */
export function findImei(...texts: string[]): ImeiValid | null {
  for (const text of texts) {
    for (const match of text.matchAll(/(?<![\d])\d(?:[ -]?\d){14,15}(?![\d])/g)) {
      const result = parseImei(match[0]);
      if (result.valid) {
        return result;
      }
    }
  }
  return null;
}

export interface IntakeDeps {
  db: Database;
  /** What opening a ticket needs (customers, handsets, the link message, extensions). */
  opening: TicketOpeningPorts;
  attachments: AttachmentsService;
  notifier: TicketNotifier;
  clock: Clock;
  logger: Logger;
  addresses: MailAddresses;
  links: TicketLinks;
  /** Where attachments are written while they are checked (inside the data folder). */
  incomingDir: string;
  floodLimit?: number;
}

/**
 * What happens to an email that arrives, by SMTP or IMAP (docs/ARCHITECTURE.md, "Email").
 *
 * A reply joins a ticket only through its reply token (the HMAC in the reply address): threading
 * headers and the From address are anyone's to write, so a message without a valid token opens a
 * new ticket, whoever it claims to be from (docs/SECURITY.md, T31). Machine mail (bounces,
 * auto-replies, lists) never opens or feeds a ticket; a bounce marks the customer's address.
 * Each message is taken once, by its Message-ID, in the same transaction as what it wrote.
 */
export class MailIntake {
  private readonly throttle: SenderThrottle;

  constructor(private readonly deps: IntakeDeps) {
    this.throttle = new SenderThrottle(deps.floodLimit ?? FLOOD_LIMIT);
  }

  async accept(raw: Buffer, envelope: { from: string; to: string[] }): Promise<IntakeResult> {
    const mail = await simpleParser(raw, { skipImageLinks: true });
    const { addresses, logger } = this.deps;
    const messageId = oneLine(mail.messageId ?? "", 255) || null;
    const from = mail.from?.value[0];
    const sender = (from?.address ?? "").trim().toLowerCase();

    const automatic = automaticKind(mail, envelope.from);
    if (automatic === "bounce") {
      await this.markBounced(mail, messageId);
      return { outcome: "bounce", ticketId: null };
    }
    if (automatic !== null) {
      logger.info("mail", "dropped automatic mail", { kind: automatic });
      await this.remember(messageId, automatic === "list" ? "dropped_list" : "dropped_auto", null);
      return { outcome: automatic === "list" ? "dropped_list" : "dropped_auto", ticketId: null };
    }
    if (!/^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/.test(sender) || sender.length > Limits.emailMax) {
      return { outcome: "dropped_sender", ticketId: null };
    }
    if (addresses.classify(sender).kind !== "other") {
      // Our own mail coming back (a forward loop): never a ticket.
      return { outcome: "dropped_loop", ticketId: null };
    }
    if (!this.throttle.take(sender, this.deps.clock.now().getTime())) {
      throw new MailFloodError(sender);
    }
    if (messageId !== null && (await this.seen(messageId))) {
      return { outcome: "duplicate", ticketId: null };
    }

    const recipients = [
      ...envelope.to,
      ...[mail.to, mail.cc]
        .flatMap((field) => (field === undefined ? [] : Array.isArray(field) ? field : [field]))
        .flatMap((field) => field.value.map((entry) => entry.address ?? "")),
    ];
    let ticketId: string | null = null;
    for (const recipient of recipients) {
      const target = addresses.classify(recipient);
      if (target.kind === "unsubscribe" && target.ticketId !== null) {
        await this.unsubscribe(target.ticketId, messageId);
        return { outcome: "unsubscribed", ticketId: target.ticketId };
      }
      if (target.kind === "reply" && target.ticketId !== null) {
        ticketId = target.ticketId;
        break;
      }
    }

    const subject = oneLine(mail.subject ?? "", Limits.subjectMax) || "(no subject)";
    const text = clean(trimReply(mail.text ?? "")).slice(0, Limits.messageMax);
    const name = oneLine(from?.name ?? "", Limits.nameMax) || sender.split("@")[0];
    try {
      if (ticketId !== null) {
        const replied = await this.reply(ticketId, sender, text, mail, messageId);
        if (replied !== null) {
          return { outcome: "reply", ticketId: replied };
        }
      }
      return {
        outcome: "opened",
        ticketId: await this.open({ sender, name, subject, text }, mail, messageId),
      };
    } catch (error) {
      if (error instanceof UniqueClashError && messageId !== null && (await this.seen(messageId))) {
        // The same message, arriving twice at once: the other copy was taken.
        return { outcome: "duplicate", ticketId: null };
      }
      throw error;
    }
  }

  private async seen(messageId: string): Promise<boolean> {
    return this.deps.db.read((em) => em.getRepository(MailReceipt).existsBy({ messageId }));
  }

  private receipt(
    em: EntityManager,
    messageId: string | null,
    outcome: IntakeOutcome,
    ticketId: string | null,
  ) {
    return messageId === null
      ? []
      : [
          insertStatement(
            em,
            MailReceipt,
            Object.assign(new MailReceipt(), {
              messageId,
              outcome,
              ticketId,
              receivedAt: this.deps.clock.now(),
            }),
          ),
        ];
  }

  private async remember(
    messageId: string | null,
    outcome: IntakeOutcome,
    ticketId: string | null,
  ): Promise<void> {
    if (messageId === null) {
      return;
    }
    await this.deps.db
      .transaction(async (em) => {
        if (!(await em.getRepository(MailReceipt).existsBy({ messageId }))) {
          await em.getRepository(MailReceipt).insert({
            messageId,
            outcome,
            ticketId,
            receivedAt: this.deps.clock.now(),
          });
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof UniqueClashError)) {
          throw error;
        }
      });
  }

  /** A bounce: the customers whose address it names are marked (agents see it on the record). */
  private async markBounced(mail: ParsedMail, messageId: string | null): Promise<void> {
    const bounced = bouncedAddresses(mail);
    const now = this.deps.clock.now();
    if (bounced.length > 0) {
      await this.deps.db.transaction(async (em) => {
        for (const email of bounced) {
          await em
            .getRepository(Customer)
            .update({ email }, { emailBouncedAt: now, updatedAt: now });
        }
      });
    }
    this.deps.logger.info("mail", "bounce received", { addresses: bounced.length });
    await this.remember(messageId, "bounce", null);
  }

  private async unsubscribe(ticketId: string, messageId: string | null): Promise<void> {
    await this.deps.db.transaction(async (em) => {
      const repo = em.getRepository(MailSuppression);
      if (
        (await em.getRepository(Ticket).existsBy({ id: ticketId })) &&
        !(await repo.existsBy({ ticketId }))
      ) {
        await repo.insert({ ticketId, createdAt: this.deps.clock.now() });
      }
    });
    await this.remember(messageId, "unsubscribed", ticketId);
  }

  /**
   * Each attachment checked like a portal upload (by its bytes: photos and PDFs only, at most five,
   * 10 MB each); one that fails is left out and named in the message, the rest are kept.
   */
  private async prepareFiles(
    mail: ParsedMail,
  ): Promise<{ blobs: StoredBlob[]; refused: string[]; cleanup: () => Promise<void> }> {
    const parts = mail.attachments.filter(
      (part) => part.contentDisposition !== "inline" || part.filename,
    );
    if (parts.length === 0) {
      return { blobs: [], refused: [], cleanup: () => Promise.resolve() };
    }
    const dir = await mkdtemp(path.join(this.deps.incomingDir, "mail-"));
    const blobs: StoredBlob[] = [];
    const refused: string[] = [];
    for (const [i, part] of parts.entries()) {
      const name = oneLine(part.filename ?? `attachment-${i + 1}`, 200);
      if (blobs.length >= AttachmentLimits.files || part.size > AttachmentLimits.fileBytes) {
        refused.push(name);
        continue;
      }
      const file = path.join(dir, String(i));
      await writeFile(file, part.content);
      try {
        blobs.push(
          ...(await this.deps.attachments.prepare([
            { originalname: name, path: file, size: part.content.length },
          ])),
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) {
          throw error;
        }
        refused.push(name);
      }
    }
    return {
      blobs,
      refused,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }

  private withRefused(text: string, refused: string[]): string {
    return refused.length === 0
      ? text
      : `${text}\n\n[Not accepted (only photos and PDFs up to 10 MB, five at most): ${refused.join(", ")}]`.trim();
  }

  /** The reply joins its ticket; null when the ticket is gone or closed (a new one opens). */
  private async reply(
    ticketId: string,
    sender: string,
    text: string,
    mail: ParsedMail,
    messageId: string | null,
  ): Promise<string | null> {
    const { db, clock, attachments, notifier } = this.deps;
    const now = clock.now();
    const files = await this.prepareFiles(mail);
    try {
      const result = await db.transaction(async (em) => {
        // Locked alone (PostgreSQL locks no outer join), its customer read after.
        const ticket = await em
          .getRepository(Ticket)
          .findOne({ where: { id: ticketId }, ...db.forUpdate });
        if (ticket === null || ticket.status === "closed") {
          return null;
        }
        const customer = await em
          .getRepository(Customer)
          .findOneByOrFail({ id: ticket.customerId });
        const actor = {
          actorType: "customer" as const,
          actorId: customer.id,
          // Whoever holds the reply address writes as the ticket's customer; a different From
          // (a forward) is named so the agent sees who it was.
          actorName:
            sender === customer.email
              ? contactOf(ticket, customer).name
              : oneLine(`${contactOf(ticket, customer).name} (via ${sender})`, Limits.nameMax),
        };
        const body = this.withRefused(text, files.refused) || "(empty reply)";
        const event = await appendEvent(
          em,
          ticket.id,
          { type: "message", public: true, body, ...actor },
          now,
        );
        await attachments.attach(em, ticket.id, event.id, files.blobs, now);
        if (ticket.status === "pending_customer" || ticket.status === "resolved") {
          await em
            .getRepository(Ticket)
            .update({ id: ticket.id }, { status: "open", resolvedAt: null, updatedAt: now });
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
          await this.deps.opening.extensions.changed(em, ticket.id, now);
        }
        await runInOrder(em, this.receipt(em, messageId, "reply", ticket.id));
        return { ticketId: ticket.id, eventId: event.id };
      });
      if (result === null) {
        await attachments.discard(files.blobs);
        return null;
      }
      notifier.emit("ticket.event", result.ticketId, result.eventId);
      notifier.emit("ticket.updated", result.ticketId);
      return result.ticketId;
    } catch (error) {
      await attachments.discard(files.blobs);
      throw error;
    } finally {
      await files.cleanup();
    }
  }

  /** A new ticket from the mail; its private link goes back to the sender. */
  private async open(
    input: { sender: string; name: string; subject: string; text: string },
    mail: ParsedMail,
    messageId: string | null,
  ): Promise<string> {
    const { db, clock, opening, attachments, notifier, links } = this.deps;
    const now = clock.now();
    const imei = findImei(input.subject, input.text);
    const token = newLinkToken();
    const sealed = links.seal(links.ticket(token));
    const files = await this.prepareFiles(mail);
    try {
      const ticketId = await db.transaction(
        async (em) => {
          const opened = await openTicket(
            em,
            opening,
            {
              // The customer's own words, with the portal's rules (docs/ARCHITECTURE.md, "Email").
              channel: "email",
              contact: { email: input.sender, name: input.name, phone: null },
              handset:
                imei === null ? null : { imei, brand: null, model: null, purchaseDate: null },
              category: "other",
              priority: "normal",
              subject: input.subject,
              description: this.withRefused(input.text, files.refused) || "(the email had no text)",
              assigneeId: null,
              accessTokenHash: hashLinkToken(token),
              actor: { type: "customer", id: null, name: null },
            },
            now,
            (opened) => [
              ...AttachmentsService.rows(
                opened.ticket.id,
                opened.firstEventId,
                files.blobs,
                now,
              ).map((row) => insertStatement(em, Attachment, row)),
              linkMessageFor(em, opening, opened, sealed, now),
              ...this.receipt(em, messageId, "opened", opened.ticket.id),
            ],
          );
          return opened.ticket.id;
        },
        { retryOnClash: true },
      );
      notifier.emit("ticket.created", ticketId);
      return ticketId;
    } catch (error) {
      await attachments.discard(files.blobs);
      throw error;
    } finally {
      await files.cleanup();
    }
  }
}
