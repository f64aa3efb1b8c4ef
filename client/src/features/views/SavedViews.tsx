import { useEffect, useRef, useState } from "preact/hooks";
import type { SavedViewDto } from "../../../../shared/contracts/http/views";
import { ViewLimits } from "../../../../shared/domain/limits";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import type { TicketFilters } from "../../api/tickets";
import { createView, deleteView, listViews } from "../../api/views";
import { ErrorMessage } from "../../components/ErrorMessage";
import { SUGGESTED_VIEWS, fromSaved, sameFilters, toSaved } from "./filters";
import "./views.css";

/**
 * The agent's saved queue views: one click applies a view's filters, the current filters can be
 * saved under a name, and a view can be deleted. Views are the agent's own (the server's rule).
 */
export function SavedViews({
  filters,
  onApply,
}: {
  filters: TicketFilters;
  onApply: (filters: TicketFilters) => void;
}) {
  const [views, setViews] = useState<SavedViewDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const nameBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (naming) {
      nameBox.current?.focus();
    }
  }, [naming]);

  useEffect(() => {
    const controller = new AbortController();
    listViews(controller.signal).then(setViews, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);

  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    work()
      .catch((failure: unknown) => setError(asApiError(failure)))
      .finally(() => setBusy(false));
  };

  const save = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") {
      return;
    }
    run(async () => {
      const view = await createView(trimmed, toSaved(filters));
      setViews((current) => [...(current ?? []), view]);
      setNaming(false);
      setName("");
    });
  };

  const addSuggested = () =>
    run(async () => {
      const created: SavedViewDto[] = [];
      for (const suggestion of SUGGESTED_VIEWS) {
        created.push(await createView(suggestion.name, suggestion.filters));
      }
      setViews((current) => [...(current ?? []), ...created]);
    });

  const remove = (view: SavedViewDto) =>
    run(async () => {
      await deleteView(view.id);
      setViews((current) => (current ?? []).filter((item) => item.id !== view.id));
    });

  return (
    <section class="saved-views" aria-labelledby="saved-views-title">
      <h2 id="saved-views-title" class="visually-hidden">
        Saved views
      </h2>
      <ul class="chips saved-views__list">
        {(views ?? []).map((view) => (
          <li key={view.id} class="saved-views__item">
            <button
              type="button"
              class="chip"
              aria-pressed={sameFilters(filters, fromSaved(view.filters))}
              onClick={() => onApply(fromSaved(view.filters))}
            >
              <span dir="auto">{view.name}</span>
            </button>
            <button
              type="button"
              class="button button--quiet button--small saved-views__remove"
              aria-label={`Delete the view ${view.name}`}
              disabled={busy}
              onClick={() => remove(view)}
            >
              ×
            </button>
          </li>
        ))}
        {views !== null && views.length === 0 && (
          <li>
            <button
              type="button"
              class="button button--quiet button--small"
              disabled={busy}
              onClick={addSuggested}
            >
              Add suggested views
            </button>
          </li>
        )}
        <li>
          {naming ? (
            <form class="saved-views__form" onSubmit={save}>
              <label class="visually-hidden" for="saved-view-name">
                Name of the new view
              </label>
              <input
                id="saved-view-name"
                value={name}
                maxLength={ViewLimits.nameMax}
                placeholder="Name this view"
                autoComplete="off"
                onInput={(event) => setName(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === "Escape") {
                    setNaming(false);
                  }
                }}
                ref={nameBox}
              />
              <button type="submit" class="button button--small" disabled={busy}>
                Save view
              </button>
            </form>
          ) : (
            <button
              type="button"
              class="button button--secondary button--small"
              onClick={() => setNaming(true)}
            >
              Save these filters as a view
            </button>
          )}
        </li>
      </ul>
      {error !== null && <ErrorMessage error={error} title="The views could not be saved" />}
    </section>
  );
}
