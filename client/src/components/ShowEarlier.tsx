import { useLayoutEffect, useRef } from "preact/hooks";

/** The "Show earlier messages" control: its state and what it does. */
export interface EarlierControl {
  /** Whether there is history before the oldest entry shown. */
  more: boolean;
  loading: boolean;
  /** Why the last try failed, in words, or null. */
  error: string | null;
  onShow: () => void;
}

/**
 * The "Show earlier messages" button at the top of a conversation: a ticket's history comes in
 * pages, newest first, and older pages load on demand. While a page loads the button says so
 * (and stays where it is, so focus does not jump); a failure is shown next to it, to retry.
 * Once the first entry is shown the button gives way to a note saying so, which takes the focus
 * the button had (a removed button would drop it to the top of the page). A conversation that
 * fit one page from the start shows neither.
 */
export function ShowEarlier({ more, loading, error, onShow }: EarlierControl) {
  const paged = useRef(more);
  const wasMore = useRef(more);
  const start = useRef<HTMLParagraphElement>(null);
  if (more) {
    paged.current = true;
  }

  useLayoutEffect(() => {
    const reachedStart = wasMore.current && !more;
    wasMore.current = more;
    // Only when the focus went with the button: never take it from where the reader moved it.
    if (
      reachedStart &&
      (document.activeElement === null || document.activeElement === document.body)
    ) {
      start.current?.focus();
    }
  }, [more]);

  if (!more) {
    return paged.current ? (
      <p class="show-earlier show-earlier__start" tabIndex={-1} ref={start}>
        The start of the conversation
      </p>
    ) : null;
  }
  return (
    <div class="show-earlier">
      <button
        type="button"
        class="button button--secondary"
        aria-disabled={loading}
        onClick={() => {
          if (!loading) {
            onShow();
          }
        }}
      >
        {loading ? "Loading earlier messages…" : "Show earlier messages"}
      </button>
      {error !== null && (
        <p class="show-earlier__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
