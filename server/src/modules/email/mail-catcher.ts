import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message as the catcher received it. */
export interface CaughtMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: Date;
}

/** Messages kept; the oldest go first (the demo sends a few hundred). */
const KEEP = 2_000;
const MAX_SIZE = 2 * 1024 * 1024;

/**
 * A relay that delivers nowhere, for `npm run demo`: an SMTP server (smtp-server) on loopback that
 * accepts every message, parses it (mailparser) and keeps it in memory, so that the demo's
 * outbox really sends, and admins read each message as it arrived in the Outbox page. Nothing is
 * written to disk: the texts carry the customers' private links.
 */
export class MailCatcher {
  private readonly byMessageId = new Map<string, CaughtMail>();
  private readonly server: SMTPServer;
  private address: AddressInfo | null = null;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      size: MAX_SIZE,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              if (parsed.messageId !== undefined) {
                this.keep({
                  messageId: parsed.messageId,
                  to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                  subject: parsed.subject ?? "",
                  text: parsed.text ?? "",
                  receivedAt: new Date(),
                });
              }
              callback();
            },
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
  }

  /** Listens on 127.0.0.1 (port 0: any free one). */
  async start(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.address = this.server.server.address() as AddressInfo;
  }

  /** The `SMTP_URL` that delivers here. */
  get url(): string {
    if (this.address === null) {
      throw new Error("the mail catcher is not listening");
    }
    return `smtp://127.0.0.1:${this.address.port}`;
  }

  /** The message the desk sent with this Message-ID, if it arrived here. */
  caught(messageId: string | null): CaughtMail | null {
    return messageId === null ? null : (this.byMessageId.get(messageId) ?? null);
  }

  get count(): number {
    return this.byMessageId.size;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private keep(mail: CaughtMail): void {
    // A retry of the same message replaces its copy (the desk resends one Message-ID).
    this.byMessageId.delete(mail.messageId);
    this.byMessageId.set(mail.messageId, mail);
    if (this.byMessageId.size > KEEP) {
      const oldest = this.byMessageId.keys().next().value;
      if (oldest !== undefined) {
        this.byMessageId.delete(oldest);
      }
    }
  }
}
