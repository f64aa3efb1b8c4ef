import { QueryFailedError } from "typeorm";
import { AppError, ConflictError, ServiceUnavailableError } from "../errors/app-error";

const PG_UNAVAILABLE = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const PG_QUERY_CANCELED = "57014";
const NET_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const own = (error as { code?: unknown }).code;
  if (typeof own === "string") {
    return own;
  }
  const driverError = (error as { driverError?: unknown }).driverError;
  return driverError === undefined ? undefined : codeOf(driverError);
}

/** A write that clashed with a unique key: usually a concurrent writer created the same thing. */
export class UniqueClashError extends ConflictError {
  constructor() {
    super("This conflicts with an existing record");
  }
}

/**
 * Maps driver failures a user can meet to API errors: a lost or busy database is a 503 the
 * client may retry, a unique clash a 409. Everything else stays as it is (a 500, logged).
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) {
    return error;
  }
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : "";
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || /database is locked/i.test(message)) {
    return new ServiceUnavailableError("The database is busy, try again", 1);
  }
  if (code === PG_QUERY_CANCELED) {
    // A statement still running at its unit's deadline (statement_timeout), cancelled by the server.
    return new ServiceUnavailableError("This took too long and was not saved, try again", 2);
  }
  if (code !== undefined && (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code))) {
    return new ServiceUnavailableError("The database is unavailable, try again", 2);
  }
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return new ServiceUnavailableError("The database is unavailable, try again", 2);
  }
  if (
    error instanceof QueryFailedError &&
    (code === "23505" || (code === "SQLITE_CONSTRAINT" && /UNIQUE/i.test(message)))
  ) {
    return new UniqueClashError();
  }
  return error;
}
