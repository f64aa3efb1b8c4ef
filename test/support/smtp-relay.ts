import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface RelayedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: string;
}

/** What the relay answers to the next message's DATA: accept, or an SMTP error code. */
export type RelayAnswer = "accept" | { code: number; message: string };

export interface TestRelay {
  url: string;
  port: number;
  received: RelayedMail[];
  /** Answers for the next messages, in order; once used up, every message is accepted. */
  answers: RelayAnswer[];
  /** Runs when a message's data has arrived, before the relay answers it. */
  onMessage: ((mail: RelayedMail) => Promise<void> | void) | null;
  /** Resolves once `count` messages have been received (accepted or not). */
  waitFor(count: number, timeoutMs?: number): Promise<RelayedMail[]>;
  /** The first message received (so far or later) to `recipient`. */
  mailTo(recipient: string, timeoutMs?: number): Promise<RelayedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP relay on 127.0.0.1, port 0 (smtp-server): the desk delivers to it over a socket as
 * it would to any relay, and the test reads what arrived, parsed by mailparser.
 */
export async function startTestRelay(): Promise<TestRelay> {
  const received: RelayedMail[] = [];
  const waiters = new Set<() => boolean>();
  const relay: TestRelay = {
    url: "",
    port: 0,
    received,
    answers: [],
    onMessage: null,
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            resolve(received.slice());
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () => reject(new Error(`relay got ${received.length} of ${count} messages`)),
          timeoutMs,
        );
        if (!check()) {
          waiters.add(check);
        }
      }),
    mailTo: async (recipient, timeoutMs = 10_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find((mail) => mail.envelope.to.includes(recipient));
        if (found !== undefined) {
          return found;
        }
        if (Date.now() > end) {
          throw new Error(`no mail to ${recipient}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        void simpleParser(raw).then(async (parsed) => {
          const mail: RelayedMail = {
            envelope: {
              from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            parsed,
            raw,
          };
          received.push(mail);
          for (const waiter of [...waiters]) {
            if (waiter()) {
              waiters.delete(waiter);
            }
          }
          if (relay.onMessage !== null) {
            await relay.onMessage(mail);
          }
          const answer = relay.answers.shift() ?? "accept";
          if (answer === "accept") {
            callback();
          } else {
            const error = Object.assign(new Error(answer.message), {
              responseCode: answer.code,
            });
            callback(error);
          }
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  relay.port = port;
  relay.url = `smtp://127.0.0.1:${port}`;
  return relay;
}
