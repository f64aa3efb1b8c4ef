import { useEffect, useState } from "preact/hooks";
import type { PortalTicketView } from "../../../../shared/contracts/http/portal";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchPortalTicket } from "../../api/portal";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Layout } from "../../components/Layout";
import { usePageTitle } from "../../components/usePageTitle";
import { formatDateTime } from "../tickets/format";
import { CATEGORY_LABELS, STATUS_LABELS } from "../tickets/labels";

type TicketState =
  | { kind: "loading" }
  | { kind: "failed"; error: ApiError }
  | { kind: "loaded"; view: PortalTicketView };

/** `/portal/t/<token>`: a customer's ticket, opened from the private link they were given. */
export function PortalTicketPage({ token }: { token: string }) {
  const [state, setState] = useState<TicketState>({ kind: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    fetchPortalTicket(token, controller.signal).then(
      (view) => setState({ kind: "loaded", view }),
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbortError(error)) {
          setState({ kind: "failed", error: asApiError(error) });
        }
      },
    );
    return () => controller.abort();
  }, [token]);

  usePageTitle(state.kind === "loaded" ? state.view.ticket.number : "Your ticket");

  return (
    <Layout wide>
      {state.kind === "loading" && (
        <p role="status" aria-live="polite">
          Loading your ticket…
        </p>
      )}
      {state.kind === "failed" && <TicketError error={state.error} />}
      {state.kind === "loaded" && <TicketView view={state.view} />}
    </Layout>
  );
}

function TicketError({ error }: { error: ApiError }) {
  const badLink = error.code === "not_found" || error.code === "validation_failed";
  return (
    <>
      <h1>{badLink ? "Ticket not found" : "Your ticket could not be shown"}</h1>
      <ErrorMessage error={error} />
      {badLink && (
        <p>
          Check that you opened the whole link we sent you. You can also{" "}
          <a href="/portal">open a new ticket</a>.
        </p>
      )}
    </>
  );
}

function TicketView({ view }: { view: PortalTicketView }) {
  const { ticket, messages, handset, warranty } = view;
  const device = handset
    ? [handset.brand, handset.model].filter((part) => part !== null && part !== "").join(" ")
    : "";
  return (
    <article class="ticket" aria-labelledby="ticket-subject">
      <p class="ticket__number">{ticket.number}</p>
      <h1 id="ticket-subject">{ticket.subject}</h1>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`status status--${ticket.status}`}>{STATUS_LABELS[ticket.status]}</span>
          </dd>
        </div>
        <div>
          <dt>Category</dt>
          <dd>{CATEGORY_LABELS[ticket.category]}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <time dateTime={ticket.createdAt}>{formatDateTime(ticket.createdAt)}</time>
          </dd>
        </div>
        {handset !== null && (
          <div>
            <dt>Phone</dt>
            <dd>
              {device === "" ? "Not named" : device}
              {handset.imeiMasked !== null && (
                <>
                  {" "}
                  <span class="muted">(IMEI {handset.imeiMasked})</span>
                </>
              )}
            </dd>
          </div>
        )}
      </dl>

      {warranty !== null && (
        <section class="card warranty" aria-labelledby="warranty-heading">
          <h2 id="warranty-heading">Warranty</h2>
          <p class={`warranty__summary warranty__summary--${warranty.status}`}>
            {warranty.summary}
          </p>
        </section>
      )}

      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">Conversation</h2>
        {messages.length === 0 ? (
          <p class="muted">No messages yet.</p>
        ) : (
          <ol class="messages">
            {messages.map((message) => (
              <li key={message.id} class={`message message--${message.from}`}>
                <p class="message__meta">
                  <strong>{message.authorName}</strong>
                  <span class="muted">
                    {message.from === "agent" ? " (support team)" : " (you)"}
                  </span>
                  {" · "}
                  <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
                </p>
                <p class="message__body">{message.body}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}
