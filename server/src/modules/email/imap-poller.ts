import { ImapFlow } from "imapflow";
import type { Logger } from "../../logging/logger";
import { MailFloodError } from "./intake";
import type { MailIntake } from "./intake";

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** IMAP_URL, `imaps://user:pass@host[:port]/MAILBOX` (INBOX when no mailbox is named). */
export function parseImapUrl(value: string): ImapTarget {
  const url = new URL(value);
  const secure = url.protocol === "imaps:";
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, "")) || "INBOX";
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? (secure ? 993 : 143) : Number(url.port),
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox,
  };
}

/** The envelope sender a delivering MTA wrote as Return-Path (`<>` for a bounce). */
export function returnPathOf(source: Buffer): string {
  const head = source
    .subarray(0, 64 * 1024)
    .toString("latin1")
    .split(/\r?\n\r?\n/)[0];
  const match = /^Return-Path:\s*<([^>]*)>/im.exec(head);
  return match === null ? "unknown" : match[1].trim().toLowerCase();
}

/**
 * Polls a mailbox (IMAP_URL) with imapflow: each unseen message goes through the same intake as
 * the SMTP receiver, and is flagged \Seen once it was taken (or recognised as taken: a message is
 * taken once by its Message-ID, so two processes polling one mailbox do no harm). A message the
 * intake could not take stays unseen and is tried at the next poll.
 */
export class ImapPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** How the last poll went (for health). */
  state: "ok" | "down" | "unknown" = "unknown";

  constructor(
    private readonly target: ImapTarget,
    private readonly intake: MailIntake,
    private readonly logger: Logger,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
  }

  wake(): void {
    if (this.stopped || this.running !== null) {
      return;
    }
    this.running = this.poll()
      .then(
        () => {
          this.state = "ok";
        },
        (error: unknown) => {
          this.state = "down";
          this.logger.warn("mail", "imap poll failed", { err: String(error) });
        },
      )
      .finally(() => {
        this.running = null;
      });
  }

  /** One pass over the mailbox's unseen messages. */
  async poll(): Promise<number> {
    const client = new ImapFlow({
      host: this.target.host,
      port: this.target.port,
      secure: this.target.secure,
      auth: { user: this.target.user, pass: this.target.pass },
      logger: false,
    });
    await client.connect();
    let taken = 0;
    try {
      const lock = await client.getMailboxLock(this.target.mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids) {
          if (this.stopped) {
            break;
          }
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (message === false || message.source === undefined) {
            continue;
          }
          try {
            await this.intake.accept(message.source, {
              from: returnPathOf(message.source),
              to: [],
            });
          } catch (error) {
            if (!(error instanceof MailFloodError)) {
              this.logger.warn("mail", "imap message not taken", { err: String(error) });
            }
            continue;
          }
          await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
          taken++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
    return taken;
  }
}
