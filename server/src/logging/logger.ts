import pino from "pino";
import type { LogLevel } from "../config/config";

/** Areas of the code a log line comes from; filter on `category`. */
export type LogCategory = "server" | "http" | "db" | "auth" | "tickets" | "portal" | "realtime";

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
 * Link tokens travel in URL paths, and IMEIs, emails and search words in query strings; they are
 * cut out before a URL is logged.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/(?:portal\/)?t(?:ickets)?\/)([A-Za-z0-9_-]{20,})/g, "$1[token]")
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
