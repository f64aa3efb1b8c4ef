import pino from "pino";
import type { LogLevel } from "../config/config";

/** Areas of the code a log line comes from; filter on `category`. */
export type LogCategory =
  "server" | "http" | "db" | "auth" | "tickets" | "portal" | "realtime" | "mail";

export type LogFields = Record<string, unknown>;

/** Keys whose values never reach a log, wherever they sit in the fields. */
const REDACTED = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "accessUrl",
  "ticketToken",
  "body",
  "description",
  "cookie",
  "authorization",
  "sessionSecret",
];

/**
 * Link tokens travel in URL paths (`/api/portal/tickets/<token>/...` and the page
 * `/portal/t/<token>`), and IMEIs, emails and search words in query strings; they are cut out
 * before a URL is logged. Routing ignores case and decodes escapes, so the match does too: any
 * long segment after `/t/` or `/tickets/`, in any case, escaped or not, is hidden (a ticket's
 * own id there is hidden with it, which costs nothing).
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/(?:portal\/)?t(?:ickets)?\/)[^/?#]{20,}/gi, "$1[token]")
    .replace(/([?&](?:imei|identifier|q|email)=)[^&#]*/gi, "$1[redacted]");
}

export interface Logger {
  info(category: LogCategory, message: string, fields?: LogFields): void;
  warn(category: LogCategory, message: string, fields?: LogFields): void;
  error(category: LogCategory, message: string, fields?: LogFields): void;
  debug(category: LogCategory, message: string, fields?: LogFields): void;
  /** The underlying pino instance, for pino-http. */
  readonly pino: pino.Logger;
}

/** A logger with categories and redaction; `destination` is for tests that read the output. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const base = pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [...REDACTED, ...REDACTED.map((key) => `*.${key}`)],
        censor: "[redacted]",
      },
    },
    destination,
  );
  const at =
    (method: "info" | "warn" | "error" | "debug") =>
    (category: LogCategory, message: string, fields: LogFields = {}) =>
      base[method]({ category, ...fields }, message);
  return {
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    debug: at("debug"),
    pino: base,
  };
}
