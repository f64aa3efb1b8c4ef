import { useEffect, useRef, useState } from "preact/hooks";
import type { OutboxItemDto } from "../../../../shared/contracts/http/email";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { listOutbox, retryOutbox } from "../../api/outbox";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RelativeTime } from "../../components/RelativeTime";
import { usePageTitle } from "../../components/usePageTitle";

const STATE_LABELS: Record<OutboxItemDto["state"], string> = {
  queued: "Waiting",
  sent: "Sent",
  failed: "Failed",
};

const KIND_LABELS: Record<string, string> = {
  ticket_link: "Ticket link",
  agent_reply: "Agent reply",
  resolved: "Resolved",
  sign_in_link: "Sign-in link",
  rma_shipped: "Return shipped",
  rma_quote: "Repair quote",
};

/**
 * Admins: the email outbox. Each message with its state and attempts; a waiting or failed one
 * shows its text as it goes out (without SMTP_URL this is where the mail is read), a sent one its
 * text as delivered when the relay is the demo's catcher, and a failed one can be sent again.
 */
export function OutboxPage({ user }: { user: UserDto }) {
  usePageTitle("Outbox");
  const [items, setItems] = useState<OutboxItemDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    const controller = new AbortController();
    listOutbox(controller.signal).then(setItems, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);

  if (user.role !== "admin") {
    return (
      <>
        <h1>Outbox</h1>
        <p>Only admins read the outbox.</p>
      </>
    );
  }

  const retry = (item: OutboxItemDto) => {
    setError(null);
    retryOutbox(item.id).then(
      (updated) => {
        setItems((current) =>
          (current ?? []).map((entry) => (entry.id === updated.id ? updated : entry)),
        );
        setNotice(`“${item.subject}” is queued again`);
      },
      (failure: unknown) => setError(asApiError(failure)),
    );
  };

  return (
    <div class="admin outbox">
      <h1 ref={heading} tabIndex={-1}>
        Outbox
      </h1>
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {error !== null && <ErrorMessage error={error} title="The outbox could not load" />}
      {items === null ? (
        error === null && <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p>No email yet.</p>
      ) : (
        <ul class="outbox__list">
          {items.map((item) => (
            <li key={item.id} class="card outbox__item" data-state={item.state}>
              <div class="outbox__head">
                <span class={`badge outbox__state outbox__state--${item.state}`}>
                  {STATE_LABELS[item.state]}
                </span>
                <span class="outbox__kind">{KIND_LABELS[item.kind] ?? item.kind}</span>
                <span class="outbox__to" dir="auto">
                  {item.recipient}
                </span>
                <RelativeTime iso={item.sentAt ?? item.createdAt} />
              </div>
              <h2 class="outbox__subject" dir="auto">
                {item.subject}
              </h2>
              <p class="outbox__meta">
                {item.attempts === 1 ? "1 attempt" : `${item.attempts} attempts`}
                {item.lastError !== null && (
                  <>
                    {" · "}
                    <span class="outbox__error">{item.lastError}</span>
                  </>
                )}
              </p>
              {item.text !== null && (
                <details class="outbox__body">
                  <summary>Message</summary>
                  <pre dir="auto">{item.text}</pre>
                </details>
              )}
              {item.delivered !== null && (
                <details class="outbox__body">
                  <summary>Message as delivered</summary>
                  <pre dir="auto">{item.delivered}</pre>
                </details>
              )}
              {item.state !== "sent" && (
                <button type="button" class="button" onClick={() => retry(item)}>
                  {item.state === "failed" ? "Retry" : "Send now"}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
