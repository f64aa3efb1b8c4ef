import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { Clock } from "../../clock";
import type { MailConfig } from "../../config/config";
import type { Database } from "../../db/database";
import type { Logger } from "../../logging/logger";
import type { TicketNotifier } from "../../events/facts";
import { IsNull } from "typeorm";
import { LINK_MARK, OutboxMessage } from "../outbox/outbox.entity";
import type { OutboxState } from "../outbox/outbox.entity";
import type { OutboxItemDto } from "../../../../shared/contracts/http/email";
import type { MailHealth } from "../../../../shared/contracts/http/health";
import { ConflictError, NotFoundError } from "../../errors/app-error";
import { MailAddresses } from "./addresses";
import type { MailKeys } from "./mail-keys";
import { OutboxWorker } from "./outbox-worker";
import { renderMail } from "./render";
import { MailIntake } from "./intake";
import { SmtpReceiver } from "./smtp-receiver";
import { ImapPoller, parseImapUrl } from "./imap-poller";
import type { AttachmentsService } from "../attachments/attachments.service";
import type { TicketOpeningPorts } from "../tickets/open-ticket";
import type { TicketLinks } from "../tickets/link-tokens";
import type { RenderedMail } from "./render";
import type { MailCatcher } from "./mail-catcher";
import type { OutboxWorkerOptions } from "./outbox-worker";

export type { MailHealth };

export interface MailServiceOptions {
  worker?: Partial<Omit<OutboxWorkerOptions, "leaseMs">>;
  /** Mail per sender per hour before the receiver defers more. */
  floodLimit?: number;
  /** How often IMAP_URL's mailbox is polled (default a minute). */
  imapPollMs?: number;
  /** `npm run demo`'s relay: sent messages are read back from it in the Outbox page. */
  catcher?: MailCatcher;
}

/** What the receiving side needs beside the outbox: the ticket-opening services. */
export interface MailIntakeDeps {
  opening: TicketOpeningPorts;
  attachments: AttachmentsService;
  links: TicketLinks;
  incomingDir: string;
}

/**
 * The email channel (docs/ARCHITECTURE.md, "Email"): the delivery worker when SMTP_URL is set
 * (without it messages wait in the outbox, and admins read them in the console).
 */
export class MailService {
  readonly addresses: MailAddresses;
  readonly intake: MailIntake;
  private readonly intakeDir: string;
  private worker: OutboxWorker | null = null;
  private receiver: SmtpReceiver | null = null;
  private receiverAddress: AddressInfo | null = null;
  private poller: ImapPoller | null = null;

  constructor(
    private readonly config: MailConfig,
    private readonly db: Database,
    readonly keys: MailKeys,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
    intakeDeps: MailIntakeDeps,
    private readonly options: MailServiceOptions = {},
  ) {
    this.addresses = new MailAddresses(config.from, keys);
    this.intakeDir = intakeDeps.incomingDir;
    this.intake = new MailIntake({
      db,
      notifier,
      clock,
      logger,
      addresses: this.addresses,
      floodLimit: options.floodLimit,
      ...intakeDeps,
    });
  }

  /** Where the built-in receiver listens (SMTP_INBOUND_PORT 0 picks a free port). */
  inboundAddress(): AddressInfo | null {
    return this.receiverAddress;
  }

  async start(): Promise<void> {
    await this.sealLegacyRows();
    if (this.config.smtpUrl !== null) {
      const transport: Transporter<SMTPTransport.SentMessageInfo> = nodemailer.createTransport(
        this.config.smtpUrl,
      );
      this.worker = new OutboxWorker(
        this.db,
        transport,
        this.keys,
        this.addresses,
        this.notifier,
        this.clock,
        this.logger,
        { ...this.options.worker, leaseMs: this.config.leaseMs },
      );
      this.worker.start();
    }
    if (this.config.inbound !== null) {
      await mkdir(this.intakeDir, { recursive: true });
      this.receiver = new SmtpReceiver(this.intake, this.addresses, this.logger);
      this.receiverAddress = await this.receiver.listen(
        this.config.inbound.port,
        this.config.inbound.host,
      );
      this.logger.info("mail", "receiving mail", { port: this.receiverAddress.port });
    }
    if (this.config.imapUrl !== null) {
      await mkdir(this.intakeDir, { recursive: true });
      this.poller = new ImapPoller(
        parseImapUrl(this.config.imapUrl),
        this.intake,
        this.logger,
        this.options.imapPollMs,
      );
      this.poller.start();
    }
  }

  /** Polls the mailbox now (IMAP_URL), instead of at the next interval. */
  pollMailbox(): void {
    this.poller?.wake();
  }

  /**
   * Messages queued before delivery existed carry their link in clear in the body: the link is
   * sealed and its place marked; a sent one's body is dropped.
   */
  private async sealLegacyRows(): Promise<void> {
    const sealed = await this.db.transaction(async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const rows = await repo.find({ where: { kind: "ticket_link", sealedLink: IsNull() } });
      let count = 0;
      for (const row of rows) {
        const match = /https?:\/\/\S+\/portal\/t\/[A-Za-z0-9_-]+/.exec(row.body);
        if (match === null) {
          continue;
        }
        count++;
        await repo.update(
          { id: row.id },
          {
            sealedLink: this.keys.seal(match[0]),
            body: row.state === "queued" ? row.body.replace(match[0], LINK_MARK) : "",
          },
        );
      }
      return count;
    });
    if (sealed > 0) {
      this.logger.info("mail", "sealed the links of older outbox messages", { sealed });
    }
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    const receiver = this.receiver;
    const poller = this.poller;
    this.poller = null;
    this.worker = null;
    this.receiver = null;
    this.receiverAddress = null;
    await Promise.all([worker?.stop(), receiver?.close(), poller?.stop()]);
  }

  /** Sends what is due now (the admin's "retry" and tests use it; the worker runs on its own). */
  kick(): void {
    this.worker?.wake();
  }

  /**
   * A message as it is (or was to be) sent: text and HTML with the link opened. A sent message's
   * body is gone; what is left is its subject.
   */
  render(row: OutboxMessage): RenderedMail {
    const link = row.sealedLink === null ? null : this.keys.open(row.sealedLink);
    return renderMail(row.body, link);
  }

  /** The outbox for admins, newest first, each waiting message rendered. */
  async list(state: OutboxState | undefined, limit: number): Promise<OutboxItemDto[]> {
    const rows = await this.db.read((em) =>
      em.getRepository(OutboxMessage).find({
        where: state === undefined ? {} : { state },
        order: { createdAt: "DESC", id: "ASC" },
        take: limit,
      }),
    );
    return rows.map((row) => this.present(row));
  }

  /** Queues a failed or waiting message for an attempt now; a sent one is a 409. */
  async retry(id: string): Promise<OutboxItemDto> {
    const now = this.clock.now();
    const row = await this.db.transaction(async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const found = await repo.findOneBy({ id });
      if (found === null) {
        throw new NotFoundError("Message");
      }
      if (found.state === "sent") {
        throw new ConflictError("This message was sent already", [
          { path: "state", message: "sent" },
        ]);
      }
      await repo.update(
        { id },
        {
          state: "queued",
          nextAttemptAt: null,
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: now,
        },
      );
      return repo.findOneByOrFail({ id });
    });
    this.kick();
    return this.present(row);
  }

  private present(row: OutboxMessage): OutboxItemDto {
    return {
      id: row.id,
      kind: row.kind,
      state: row.state,
      ticketId: row.ticketId,
      recipient: row.recipient,
      subject: row.subject,
      text: row.state === "sent" ? null : this.render(row).text,
      delivered:
        row.state === "sent" ? (this.options.catcher?.caught(row.messageId)?.text ?? null) : null,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      lastError: row.lastError,
      messageId: row.messageId,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
    };
  }

  async health(): Promise<MailHealth> {
    const { backlog, failed } = await this.db.read(async (em) => ({
      backlog: await em.getRepository(OutboxMessage).countBy({ state: "queued" }),
      failed: await em.getRepository(OutboxMessage).countBy({ state: "failed" }),
    }));
    return {
      relay: this.worker === null ? "not_configured" : this.worker.relay,
      ...(this.poller === null ? {} : { mailbox: this.poller.state }),
      backlog,
      failed,
    };
  }
}
