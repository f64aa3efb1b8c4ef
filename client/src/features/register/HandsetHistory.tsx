import { useEffect, useState } from "preact/hooks";
import type { HandsetChangeDto } from "../../../../shared/contracts/http/register";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchHandsetHistory } from "../../api/register";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime } from "../tickets/format";
import { CHANGE_SOURCE_LABELS, HISTORY_FIELD_LABELS } from "./words";
import "./register.css";

/** The register's statuses as the history shows them. */
const REGISTER_WORDS: Record<string, string> = {
  none: "not on it",
  flagged: "flagged",
  clear: "cleared",
};

function shown(field: string, value: string | null, label: string | null): string {
  if (field === "register" && value !== null) {
    return REGISTER_WORDS[value] ?? value;
  }
  return label ?? value ?? "none";
}

/**
 * Every change of a handset's record, newest first, whatever the state of its tickets: who
 * (an agent, the customer, an import, Greydesk), when, which field, from what to what. Pages
 * on with "Show older". `version` fetches the first page again when it changes.
 */
export function HandsetHistory({ handsetId, version }: { handsetId: string; version?: string }) {
  const [items, setItems] = useState<HandsetChangeDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchHandsetHistory(handsetId, null, controller.signal).then(
      (page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [handsetId, version]);

  const older = () => {
    if (cursor === null) {
      return;
    }
    setLoading(true);
    fetchHandsetHistory(handsetId, cursor)
      .then(
        (page) => {
          setItems((current) => [...(current ?? []), ...page.items]);
          setCursor(page.nextCursor);
        },
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setLoading(false));
  };

  return (
    <section class="card handset-history" aria-labelledby={`handset-history-${handsetId}`}>
      <h2 id={`handset-history-${handsetId}`} class="card__title">
        Handset history
      </h2>
      {error !== null && <ErrorMessage error={error} title="The history could not load" />}
      {items === null ? (
        error === null && <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">No change recorded since this handset was first seen.</p>
      ) : (
        <ol class="handset-history__list">
          {items.map((item) => (
            <li key={item.id} class="handset-history__item">
              <p class="handset-history__change">
                {HISTORY_FIELD_LABELS[item.field] ?? item.field}:{" "}
                <span dir="auto">{shown(item.field, item.from, item.fromLabel)}</span> →{" "}
                <span dir="auto">{shown(item.field, item.to, item.toLabel)}</span>
              </p>
              <p class="handset-history__meta">
                {item.actor.name ?? CHANGE_SOURCE_LABELS[item.source]}
                {item.actor.name !== null &&
                  ` (${CHANGE_SOURCE_LABELS[item.source].toLowerCase()})`}
                {" · "}
                <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
              </p>
              {item.context !== null && (
                <p class="muted" dir="auto">
                  {item.context}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {cursor !== null && (
        <button
          type="button"
          class="button button--secondary button--small"
          disabled={loading}
          onClick={older}
        >
          Show older
        </button>
      )}
    </section>
  );
}
