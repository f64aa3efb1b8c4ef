import type { ResponseOf } from "../../../shared/contracts/http/api";
import type { PortalRmaView } from "../../../shared/contracts/http/rma";
import { ApiError, codeForStatus, isApiErrorBody } from "./http";

// The customer's answer to a repair quote. Like every portal call, the link token in the path
// is the credential: no cookie, no CSRF token.

/** `POST /api/portal/tickets/:token/rma/quote`: accept or decline the quote; the RMA after. */
export async function answerQuote(
  token: string,
  decision: "accept" | "decline",
): Promise<PortalRmaView> {
  let response: Response;
  try {
    response = await fetch(`/api/portal/tickets/${encodeURIComponent(token)}/rma/quote`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ decision }),
      credentials: "omit",
    });
  } catch {
    throw new ApiError({
      code: "service_unavailable",
      message: "Could not reach Greydesk. Check your connection and try again.",
      status: 0,
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (isApiErrorBody(body)) {
      const { code, message, details } = body.error;
      throw new ApiError({ code, message, details, status: response.status });
    }
    throw new ApiError({
      code: codeForStatus(response.status),
      message: `The server answered ${response.status}`,
      status: response.status,
    });
  }
  return (body as ResponseOf<"POST /portal/tickets/:token/rma/quote">).rma;
}
