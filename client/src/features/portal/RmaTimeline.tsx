import { useState } from "preact/hooks";
import type { PortalRmaView } from "../../../../shared/contracts/http/rma";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { answerQuote } from "../../api/portal-rma";
import { formatDateTime } from "../tickets/format";
import "../rma/rma.css";

/**
 * The return of the customer's phone, on their ticket page: each step in plain words with its
 * time, the shipments to and from them with tracking numbers, and the repair quote to accept or
 * decline. (Rendered by PortalTicketPage when the ticket has an RMA.)
 */
export function RmaTimeline({
  token,
  rma: initial,
  onFailed,
}: {
  token: string;
  rma: PortalRmaView;
  onFailed: (error: ApiError) => void;
}) {
  const [answered, setAnswered] = useState<PortalRmaView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // The page refetches after every change; an answer given here shows until it does.
  const rma =
    answered !== null && answered.steps.length >= initial.steps.length ? answered : initial;

  const answer = (decision: "accept" | "decline") => {
    setBusy(true);
    setError(null);
    answerQuote(token, decision)
      .then(setAnswered, (failure: unknown) => {
        const apiError = asApiError(failure);
        setError(apiError);
        onFailed(apiError);
      })
      .finally(() => setBusy(false));
  };

  const last = rma.steps.length - 1;
  return (
    <section class="portal-card rma-timeline" aria-labelledby="rma-heading">
      <h2 id="rma-heading">Your return{rma.number !== null && <> ({rma.number})</>}</h2>
      <p>
        {rma.kind}. <strong>{rma.now}</strong>
      </p>
      {rma.quote !== null && (
        <div class="rma-timeline__quote">
          <h3>Repair quote</h3>
          <p class="rma-timeline__amount">{rma.quote.amount}</p>
          {rma.quote.description !== null && <p dir="auto">{rma.quote.description}</p>}
          {rma.quote.open ? (
            <>
              <p>
                Your phone is not covered by the warranty for this repair. Do you want us to go
                ahead at this price? If you decline, we send your phone back unrepaired.
              </p>
              <div class="button-row">
                <button
                  type="button"
                  class="button"
                  disabled={busy}
                  onClick={() => answer("accept")}
                >
                  Accept the quote
                </button>
                <button
                  type="button"
                  class="button button--secondary"
                  disabled={busy}
                  onClick={() => answer("decline")}
                >
                  Decline
                </button>
              </div>
            </>
          ) : (
            <p>
              {rma.quote.decision === "accepted"
                ? "You accepted this quote."
                : rma.quote.decision === "declined"
                  ? "You declined this quote: we will send your phone back."
                  : ""}
            </p>
          )}
          {error !== null && (
            <p class="field__error" role="alert">
              {error.message}
            </p>
          )}
        </div>
      )}
      <ol class="rma-timeline__steps">
        {rma.steps.map((step, index) => (
          <li
            key={`${step.state}-${step.at}`}
            class={`rma-timeline__step${index === last ? " rma-timeline__step--now" : ""}`}
            aria-current={index === last ? "step" : undefined}
          >
            <span class="rma-timeline__words">{step.words}</span>
            <time class="rma-timeline__when" dateTime={step.at}>
              {formatDateTime(step.at)}
            </time>
          </li>
        ))}
      </ol>
      {rma.legs.length > 0 && (
        <>
          <h3>Shipments</h3>
          <ul class="rma-legs">
            {rma.legs.map((leg) => (
              <li key={leg.direction}>
                <strong>{leg.direction === "to_us" ? "Your phone to us" : "Back to you"}</strong>
                {leg.courier !== null && <> · {leg.courier}</>}
                {leg.trackingNumber !== null && (
                  <>
                    {" "}
                    tracking <span class="mono">{leg.trackingNumber}</span>
                  </>
                )}
                {leg.receivedAt !== null
                  ? ` · delivered ${formatDateTime(leg.receivedAt)}`
                  : leg.shippedAt !== null
                    ? ` · sent ${formatDateTime(leg.shippedAt)}`
                    : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      {rma.replacement !== null && rma.replacement.imeiMasked !== null && (
        <p>
          Your replacement phone: IMEI <span class="mono">{rma.replacement.imeiMasked}</span>
        </p>
      )}
    </section>
  );
}
