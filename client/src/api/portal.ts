import type {
  PortalCreateTicketBody,
  PortalMessageDto,
  PortalMessagePage,
  PortalTicketView,
} from "../../../shared/contracts/http/portal";
import type { ApiRoute, ResponseOf } from "../../../shared/contracts/http/api";
import type { Satisfaction } from "../../../shared/domain/enums";
import { ApiError, callApi, codeForStatus, isApiErrorBody, pathOf } from "./http";

// The customer portal's calls. Only types come from shared/contracts: its zod schemas stay out
// of the browser. Portal routes take no cookie and no CSRF token (the link token is the
// credential), so these calls do not go through the console's session-aware apiRequest.

/** `GET /api/devices/lookup` answer. */
export type DeviceLookup = ResponseOf<"GET /devices/lookup">;

/** The text fields of `POST /api/portal/tickets`; optional ones are left out when empty. */
export type PortalTicketFields = PortalCreateTicketBody;

/** Called while a request body with files goes up: bytes sent so far of `total`. */
export type UploadProgress = (sent: number, total: number) => void;

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: UploadProgress;
}

const ticketPath = (token: string) => `/api/portal/tickets/${encodeURIComponent(token)}`;

/** The URL of a public attachment of the link's ticket (a download, never shown inline). */
export function portalAttachmentUrl(token: string, attachmentId: string): string {
  return `${ticketPath(token)}/attachments/${encodeURIComponent(attachmentId)}`;
}

/** `GET /api/devices/lookup`: is this an IMEI, which check failed, which model its TAC names. */
export function lookupDevice(imei: string, signal?: AbortSignal): Promise<DeviceLookup> {
  return callApi("GET /devices/lookup", { query: { imei }, signal });
}

/** `GET /api/portal/tickets/:token`: the ticket behind a customer's private link. */
export function fetchPortalTicket(token: string, signal?: AbortSignal): Promise<PortalTicketView> {
  return callApi("GET /portal/tickets/:token", { params: { token }, signal });
}

/** `GET /api/portal/tickets/:token/messages`: the page of the conversation before `before`. */
export function fetchPortalMessages(
  token: string,
  before: string,
  signal?: AbortSignal,
): Promise<PortalMessagePage> {
  return callApi("GET /portal/tickets/:token/messages", {
    params: { token },
    query: { before },
    signal,
  });
}

/** `POST /api/portal/tickets`: JSON, or multipart when there are files. */
export function createPortalTicket(
  fields: PortalTicketFields,
  files: readonly File[],
  options: UploadOptions = {},
): Promise<ResponseOf<"POST /portal/tickets">> {
  return post(
    "POST /portal/tickets",
    pathOf("POST /portal/tickets"),
    { ...fields },
    files,
    options,
  );
}

/** `POST /api/portal/tickets/:token/messages`: the customer's reply, with files. */
export async function sendPortalReply(
  token: string,
  body: string,
  files: readonly File[],
  options: UploadOptions = {},
): Promise<PortalMessageDto> {
  const route = "POST /portal/tickets/:token/messages";
  const answer = await post(route, pathOf(route, { token }), { body }, files, options);
  return answer.message;
}

/** `POST /api/portal/tickets/:token/rating`: once, when the ticket is resolved. */
export async function ratePortalTicket(
  token: string,
  rating: Satisfaction,
  comment: string,
): Promise<void> {
  const trimmed = comment.trim();
  const route = "POST /portal/tickets/:token/rating";
  await post(
    route,
    pathOf(route, { token }),
    trimmed === "" ? { rating } : { rating, comment: trimmed },
    [],
  );
}

/** `POST /api/portal/tickets/:token/revoke`: a new link; the old one stops working at once. */
export function replacePortalLink(
  token: string,
): Promise<ResponseOf<"POST /portal/tickets/:token/revoke">> {
  const route = "POST /portal/tickets/:token/revoke";
  return post(route, pathOf(route, { token }), {}, []);
}

/** The path of an access URL (`/portal/t/<token>`), so links stay on this site. */
export function pathOfAccessUrl(accessUrl: string): string {
  try {
    return new URL(accessUrl, window.location.origin).pathname;
  } catch {
    return accessUrl;
  }
}

/** The token at the end of an access URL. */
export function tokenOfAccessUrl(accessUrl: string): string {
  const segments = pathOfAccessUrl(accessUrl).split("/");
  return decodeURIComponent(segments[segments.length - 1] ?? "");
}

type Fields = Record<string, string | undefined>;

function withoutEmpty(fields: Fields): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      kept[key] = value;
    }
  }
  return kept;
}

/**
 * POSTs `fields` as JSON, or as multipart/form-data with `files` in the `attachments` field.
 * Uses XMLHttpRequest for the multipart case so a slow upload can show its progress. The
 * answer is typed by the route's contract (shared/contracts/http/api.ts).
 */
function post<R extends ApiRoute, T = ResponseOf<R>>(
  _route: R,
  path: string,
  fields: Fields,
  files: readonly File[],
  { signal, onProgress }: UploadOptions = {},
): Promise<T> {
  const kept = withoutEmpty(fields);
  let body: string | FormData;
  if (files.length === 0) {
    body = JSON.stringify(kept);
  } else {
    const form = new FormData();
    for (const [key, value] of Object.entries(kept)) {
      form.append(key, value);
    }
    for (const file of files) {
      form.append("attachments", file, file.name);
    }
    body = form;
  }
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    if (typeof body === "string") {
      xhr.setRequestHeader("Content-Type", "application/json");
    }
    xhr.responseType = "text";
    if (onProgress !== undefined) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) {
          onProgress(event.loaded, event.total);
        }
      };
    }
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.onload = () => {
      done();
      const text = xhr.responseText;
      if (xhr.status >= 200 && xhr.status < 300) {
        if (text === "") {
          resolve(undefined as T);
          return;
        }
        try {
          resolve(JSON.parse(text) as T);
        } catch {
          reject(unreadable(xhr.status));
        }
        return;
      }
      reject(errorFrom(xhr.status, text));
    };
    xhr.onerror = () => {
      done();
      reject(
        new ApiError({
          code: "service_unavailable",
          message: "Could not reach Greydesk. Check your connection and try again.",
          status: 0,
        }),
      );
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException("The request was aborted", "AbortError"));
    };
    xhr.send(body);
  });
}

function unreadable(status: number): ApiError {
  return new ApiError({
    code: status >= 200 && status < 300 ? "internal_error" : codeForStatus(status),
    message: `The server sent an answer that could not be read (HTTP ${status})`,
    status,
  });
}

/** An error answer as an ApiError, trusting its body only when it has the API's shape. */
function errorFrom(status: number, text: string): ApiError {
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = undefined;
  }
  if (isApiErrorBody(parsed)) {
    const { code, message, details, requestId } = parsed.error;
    return new ApiError({ code, message, details, requestId, status });
  }
  if (status === 413) {
    return new ApiError({
      code: "payload_too_large",
      message: "What you sent is too large",
      status,
      details: [{ path: "attachments", message: "each file at most 10 MB" }],
    });
  }
  return new ApiError({
    code: codeForStatus(status),
    message: `The server answered ${status}`,
    status,
  });
}
