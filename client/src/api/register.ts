import type { ResponseOf } from "../../../shared/contracts/http/api";
import type { RegisterCheckBody, RegisterEntryBody } from "../../../shared/contracts/http/register";
import { callApi } from "./http";

// Only types come from shared/contracts/http: its zod schemas stay out of the browser bundle.

/** An IMEI on the register: status, handsets, entries newest first. */
export type RegisterRecord = ResponseOf<"GET /register">["register"];
/** What writing an entry or a check answers: the entry and the IMEI's record after it. */
export type RegisterWritten = ResponseOf<"POST /register/entries">;
export type HandsetRegister = ResponseOf<"GET /handsets/:id/register">;
export type HandsetHistoryPage = ResponseOf<"GET /handsets/:id/history">;

/** An IMEI's register record (the server checks the IMEI as everywhere else). */
export async function lookupImei(imei: string, signal?: AbortSignal): Promise<RegisterRecord> {
  const { register } = await callApi("GET /register", { query: { imei }, signal });
  return register;
}

/** Reports an IMEI lost or stolen, or clears it as recovered. */
export function addRegisterEntry(body: RegisterEntryBody): Promise<RegisterWritten> {
  return callApi("POST /register/entries", { body });
}

/** Logs an external check an agent made. */
export function logRegisterCheck(body: RegisterCheckBody): Promise<RegisterWritten> {
  return callApi("POST /register/checks", { body });
}

/** A handset's IMEIs on the register. */
export function fetchHandsetRegister(
  handsetId: string,
  signal?: AbortSignal,
): Promise<HandsetRegister> {
  return callApi("GET /handsets/:id/register", { params: { id: handsetId }, signal });
}

/** One page of a handset's history, newest first. */
export function fetchHandsetHistory(
  handsetId: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<HandsetHistoryPage> {
  return callApi("GET /handsets/:id/history", {
    params: { id: handsetId },
    query: cursor === null ? { limit: 20 } : { limit: 20, cursor },
    signal,
  });
}
