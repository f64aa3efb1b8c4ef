import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { Logger } from "../../logging/logger";
import type { MailAddresses } from "./addresses";
import { MailFloodError } from "./intake";
import type { MailIntake } from "./intake";

/** The largest message taken (25 MB: five 10 MB photos do not fit; the rest are refused). */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in receiver (SMTP_INBOUND_PORT): a plain SMTP server, on loopback unless
 * SMTP_INBOUND_HOST says otherwise, for the desk's MX or a forwarding relay to deliver to. It
 * takes mail for the support address and its reply addresses only (it relays nothing), and
 * answers 250 once the message is committed, so a sender never loses one: a failure is a 451
 * the sender retries.
 */
export class SmtpReceiver {
  private server: SMTPServer | null = null;

  constructor(
    private readonly intake: MailIntake,
    private readonly addresses: MailAddresses,
    private readonly logger: Logger,
  ) {}

  async listen(port: number, host: string): Promise<AddressInfo> {
    const server = new SMTPServer({
      name: this.addresses.domain,
      banner: "Greydesk",
      authOptional: true,
      // No certificate is configured: the receiver sits behind the desk's MX or on loopback.
      disabledCommands: ["AUTH", "STARTTLS"],
      size: MAX_INBOUND_BYTES,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.addresses.classify(address.address).kind === "other") {
          callback(smtpError(550, "5.7.1 This server takes mail for the support desk only"));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            callback(smtpError(552, "5.3.4 Message too large"));
            return;
          }
          const envelope = {
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          };
          this.intake.accept(Buffer.concat(chunks), envelope).then(
            (result) => {
              this.logger.info("mail", "mail received", { outcome: result.outcome });
              callback();
            },
            (error: unknown) => {
              if (error instanceof MailFloodError) {
                callback(smtpError(451, "4.7.1 Too much mail from this sender; try again later"));
                return;
              }
              this.logger.warn("mail", "mail not taken", { err: String(error) });
              callback(smtpError(451, "4.3.0 Temporary failure; try again later"));
            },
          );
        });
      },
    });
    server.on("error", (error) =>
      this.logger.warn("mail", "smtp receiver error", { err: String(error) }),
    );
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(port, host, () => {
        server.server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    return server.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
